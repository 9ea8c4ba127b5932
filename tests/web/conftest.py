"""Web API fixtures: apps on explicit Settings over a SQLite store in a temporary directory.

Two deployments: demo mode (no secret; one API key) and secured (secret + two API keys). Both
use the cheap `hashing` embedder so no model is loaded; no test touches the network or ~.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.tokens import mint_token
from tests.helpers import isolated_env

SECRET = "test-secret-do-not-use"
API_KEY = "key-one"
OTHER_API_KEY = "key-two"
PRIVATE_ACCOUNT = "acct-private-1"
OTHER_PRIVATE_ACCOUNT = "acct-private-2"


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with isolated_env(data_dir=str(tmp_path_factory.mktemp("env-data"))):
        yield


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "embedder": "hashing", "rate_limit": "1000/minute"}
    values.update(overrides)
    return Settings(**values)


def private_snapshot(account_id: str) -> dict[str, Any]:
    """A healthy non-demo account (15,000 available)."""
    return {"account_id": account_id, "as_of": "2026-11-20T10:00:00+08:00",
            "limit": {"total": 20000, "used": 5000, "available": 15000}}


@pytest.fixture(scope="session")
def demo_services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    services = Services(make_settings(tmp_path_factory.mktemp("demo"), api_keys=API_KEY))
    services.store.accounts.put(PRIVATE_ACCOUNT, private_snapshot(PRIVATE_ACCOUNT))
    return services


@pytest.fixture(scope="session")
def secure_services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    services = Services(make_settings(tmp_path_factory.mktemp("secure"), secret=SECRET,
                                      api_keys=f"{API_KEY},{OTHER_API_KEY}",
                                      cors_origins="https://bank.example, https://shop.example/"))
    for account_id in (PRIVATE_ACCOUNT, OTHER_PRIVATE_ACCOUNT):
        services.store.accounts.put(account_id, private_snapshot(account_id))
    return services


@pytest.fixture(scope="session")
def demo_client(demo_services: Services) -> TestClient:
    return TestClient(create_app(demo_services, surfaces=False, warm_up=False))


@pytest.fixture(scope="session")
def secure_client(secure_services: Services) -> TestClient:
    return TestClient(create_app(secure_services, surfaces=False, warm_up=False))


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
