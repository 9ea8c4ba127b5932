"""LLM-layer fixtures: a deterministic assistant on demo accounts (data under tmp) and the
local OpenAI-compatible stub server. Helpers (fake chat models, phraser): tests/helpers/llm.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import Settings
from tests.helpers.llm import Asker
from tests.helpers.stub_llm import StubLLM


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    for name in ("LIMIT_ASSISTANT_DATABASE_URL", "LIMIT_ASSISTANT_CONFIG", "LIMIT_ASSISTANT_LLM",
                 "LIMIT_ASSISTANT_LLM_BASE_URL", "LIMIT_ASSISTANT_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("llm-data")


@pytest.fixture(scope="session")
def services(data_dir: Path) -> Services:
    """The deterministic assistant (LLM off) on the shipped demo accounts."""
    return Services(Settings(data_dir=data_dir, llm="off"))


@pytest.fixture(scope="session")
def ask(services: Services) -> Asker:
    return Asker(services)


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    server = StubLLM().start()
    yield server
    server.stop()
