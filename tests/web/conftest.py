"""Web API fixtures: apps on explicit Settings over a SQLite store in a temporary directory.

Two deployments: demo mode (no secret; one API key) and secured (secret + two API keys). Both
use the cheap `hashing` embedder so no model is loaded; no test touches the network or ~.
Helpers: tests/helpers/web.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.web import create_app
from tests.helpers.env import isolated_env
from tests.helpers.web import (
    API_KEY,
    OTHER_API_KEY,
    OTHER_PRIVATE_ACCOUNT,
    PRIVATE_ACCOUNT,
    SECRET,
    make_settings,
    private_snapshot,
)


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with isolated_env(data_dir=str(tmp_path_factory.mktemp("env-data"))):
        yield


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

