"""Fixtures of the security suite (issue 9): deployments over SQLite stores in temporary
directories, the cheap `hashing` embedder, no network, no home directory; and the fuzz
bookkeeping printed at the end of the run. Helpers: tests/helpers/security.py.
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
from assistant.web import create_app
from tests.helpers.env import isolated_env
from tests.helpers.fuzzing import ATTACK_OUTCOMES, REPORT_ENV, TRIED, inputs_total
from tests.helpers.security import (
    API_KEY,
    OTHER_API_KEY,
    SECRET,
    make_settings,
    seed_private_accounts,
)


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A developer's own LIMIT_ASSISTANT_* configuration must not change what is tested."""
    with isolated_env(data_dir=str(tmp_path_factory.mktemp("security-env")), embedder="hashing"):
        yield


@pytest.fixture(scope="session")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory whose knowledge index (shipped corpus) the deployments share."""
    return tmp_path_factory.mktemp("security-kb")


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
