"""Behaviour tests of the assistant (CONTRACT.md sections 3–5) over the shipped demo accounts.

One `Services` for the whole session: a fresh SQLite store in a temporary directory, seeded with
the demo accounts, the LLM off. The knowledge index (needed by policy questions) is built by the
first policy question; because that build takes a while, its directory is kept in pytest's
cache (`.pytest_cache/d/limit_assistant_kb`, inside the repository, never the home directory)
and reused while the corpus is unchanged. Nothing here needs the network. Helpers: tests/helpers/assistant.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.accounts import load_account
from assistant.dialogue import Turn
from assistant.services import Services
from assistant.settings import Settings
from tests.helpers.assistant import Ask, Chat
from tests.helpers.env import isolated_env
from tools.snapshot import Platform


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Services]:
    data_dir = _knowledge_dir(request, tmp_path_factory)
    db_file = tmp_path_factory.mktemp("assistant-store") / "store.sqlite3"
    with isolated_env():
        settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{db_file}", llm="off", lang="zh")
        built = Services(settings)
        yield built
        built.store.close()


def _knowledge_dir(request: pytest.FixtureRequest, factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)
    if cache is None:  # -p no:cacheprovider: build the index in a temporary directory
        return factory.mktemp("assistant-data")
    return Path(cache.mkdir("limit_assistant_kb"))


@pytest.fixture(scope="session")
def ask(services: Services) -> Ask:
    """ask(account_id, message, *, conversation_id=None, at=None, platform=None) -> Turn.

    The account comes from the demo store with the platform state stored beside it (funding
    quota accounts) unless `platform` is given, as the CLI does.
    """

    def _ask(account_id: str, message: str, *, conversation_id: str | None = None,
             at: datetime | None = None, platform: Platform | None = None) -> Turn:
        snapshot, stored_platform = load_account(account_id, services.store)
        return services.assistant.ask(message, snapshot, platform=platform or stored_platform,
                                      at=at, conversation_id=conversation_id)

    return _ask


@pytest.fixture
def chat(ask: Ask) -> Any:
    """chat(account_id) -> Chat; `.say(message)` continues the same conversation."""
    return lambda account_id: Chat(ask, account_id)


@pytest.fixture(scope="session")
def policy_ready(ask: Ask) -> None:
    """Build (or load) the knowledge index once, before the policy-question tests time anything."""
    ask("demo-healthy", "单笔最少借多少")
