"""Helpers of the security suite (issue 9): two private accounts with distinctive figures, so
that a leak is easy to see: OWNER (the caller of most tests) and VICTIM (whose id, figures and
conversation text must never reach OWNER); settings, credentials and error assertions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.services import Services
from assistant.settings import Settings
from assistant.web.tokens import mint_token

SECRET = "security-suite-secret"
API_KEY = "sec-key-one"
OTHER_API_KEY = "sec-key-two"
OWNER = "acct-owner-7"
VICTIM = "acct-victim-9"
# What VICTIM's data looks like on the wire: none of it may reach another caller.
VICTIM_MARKERS = (VICTIM, "48213", "48,213", "3777.77", "3,777.77", "紫罗兰大象", "violet-elephant")
VICTIM_SECRET_TEXT = "我的暗号是紫罗兰大象 violet-elephant，为什么借不出来"


def owner_snapshot() -> dict[str, Any]:
    """A healthy non-demo account (15,000 available)."""
    return {"account_id": OWNER, "as_of": "2026-11-20T10:00:00+08:00",
            "customer": {"age": 35}, "limit": {"total": 20000, "used": 5000, "available": 15000}}


def victim_snapshot() -> dict[str, Any]:
    """A non-demo account with figures that appear nowhere else (48,213 available; 3,777.77 overdue)."""
    return {"account_id": VICTIM, "as_of": "2026-11-20T10:00:00+08:00",
            "customer": {"age": 41}, "limit": {"total": 60000, "used": 11787, "available": 48213},
            "overdue": {"amount": 3777.77, "days": 9, "count_12m": 1}}


def make_settings(data_dir: Path, db_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "database_url": f"sqlite:///{db_dir / 'store.sqlite3'}",
                              "embedder": "hashing", "llm": "off", "lang": "zh", "rate_limit": "100000/minute"}
    values.update(overrides)
    return Settings(**values)


def seed_private_accounts(services: Services) -> None:
    services.store.accounts.put(OWNER, owner_snapshot())
    services.store.accounts.put(VICTIM, victim_snapshot())


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def user_headers(account_id: str, **kwargs: Any) -> dict[str, str]:
    return bearer(mint_token(account_id, SECRET, **kwargs))


def assert_json_error(response: Any) -> dict[str, str]:
    """The `error` object of a 4xx JSON error: the contract's shape, no stack trace."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body["error"]  # type: ignore[no-any-return]


def leaked_markers(text: str, markers: tuple[str, ...] = VICTIM_MARKERS) -> list[str]:
    return [m for m in markers if m in text]

