"""Fixtures of the security suite (issue 9): deployments over SQLite stores in temporary
directories, the cheap `hashing` embedder, no network, no home directory.

Two private accounts with distinctive figures, so that a leak is easy to see: OWNER (the caller
of most tests) and VICTIM (whose id, figures and conversation text must never reach OWNER).
"""

from __future__ import annotations

import json
import os
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
from tests.security.fuzzing import ATTACK_OUTCOMES, REPORT_ENV, TRIED, inputs_total

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


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A developer's own LIMIT_ASSISTANT_* configuration must not change what is tested."""
    with isolated_env(data_dir=str(tmp_path_factory.mktemp("security-env")), embedder="hashing"):
        yield


@pytest.fixture(scope="session")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory whose knowledge index (shipped corpus) the deployments share."""
    return tmp_path_factory.mktemp("security-kb")


def make_settings(data_dir: Path, db_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "database_url": f"sqlite:///{db_dir / 'store.sqlite3'}",
                              "embedder": "hashing", "llm": "off", "lang": "zh", "rate_limit": "100000/minute"}
    values.update(overrides)
    return Settings(**values)


def seed_private_accounts(services: Services) -> None:
    services.store.accounts.put(OWNER, owner_snapshot())
    services.store.accounts.put(VICTIM, victim_snapshot())


@pytest.fixture(scope="session")
def secure_services(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> Services:
    services = Services(make_settings(knowledge_dir, tmp_path_factory.mktemp("secure-db"), secret=SECRET,
                                      api_keys=f"{API_KEY},{OTHER_API_KEY}"))
    seed_private_accounts(services)
    return services


@pytest.fixture(scope="session")
def demo_services(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> Services:
    services = Services(make_settings(knowledge_dir, tmp_path_factory.mktemp("demo-db"), api_keys=API_KEY))
    seed_private_accounts(services)
    return services


@pytest.fixture(scope="session")
def secure_client(secure_services: Services) -> TestClient:
    return TestClient(create_app(secure_services, surfaces=False, warm_up=False))


@pytest.fixture(scope="session")
def demo_client(demo_services: Services) -> TestClient:
    return TestClient(create_app(demo_services, surfaces=False, warm_up=False))


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


# -- fuzz bookkeeping ---------------------------------------------------------------------------


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ATTACK_OUTCOMES:
        terminalreporter.section("prompt-injection suite (issue 9)")
        terminalreporter.write_line(", ".join(f"{k}: {v}" for k, v in sorted(ATTACK_OUTCOMES.items())))
    if not TRIED:
        return
    terminalreporter.section("fuzz inputs tried (issue 9)")
    for name, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{name:<40} {count:>7}")
    terminalreporter.write_line(f"{'total inputs':<40} {inputs_total(TRIED):>7}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get(REPORT_ENV)
    if target and (TRIED or ATTACK_OUTCOMES):
        report = {"inputs_tried": dict(sorted(TRIED.items())), "attacks": dict(sorted(ATTACK_OUTCOMES.items()))}
        Path(target).write_text(json.dumps(report, indent=2), encoding="utf-8")
