"""Helpers of the web API tests: credentials, settings, a private account, SSE and error parsing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from assistant.web.tokens import mint_token

SECRET = "test-secret-do-not-use"
API_KEY = "key-one"
OTHER_API_KEY = "key-two"
PRIVATE_ACCOUNT = "acct-private-1"
OTHER_PRIVATE_ACCOUNT = "acct-private-2"


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "embedder": "hashing", "rate_limit": "1000/minute"}
    values.update(overrides)
    return Settings(**values)


def private_snapshot(account_id: str) -> dict[str, Any]:
    """A healthy non-demo account (15,000 available)."""
    return {"account_id": account_id, "as_of": "2026-11-20T10:00:00+08:00",
            "limit": {"total": 20000, "used": 5000, "available": 15000}}


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def user_headers(account_id: str, **kwargs: Any) -> dict[str, str]:
    return bearer(mint_token(account_id, SECRET, **kwargs))


def sse_events(text: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a Server-Sent Events body, comments skipped."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


def error_of(response: Any) -> dict[str, str]:
    """The `error` object of a JSON error response (asserting the shape)."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    assert "Traceback" not in json.dumps(body)
    return body["error"]  # type: ignore[no-any-return]
