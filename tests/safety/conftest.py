"""Safety-test fixtures: an isolated environment and the local OpenAI-compatible stub server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.stub_llm import StubLLM


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    for name in ("LIMIT_ASSISTANT_DATABASE_URL", "LIMIT_ASSISTANT_CONFIG", "LIMIT_ASSISTANT_LLM",
                 "LIMIT_ASSISTANT_LLM_BASE_URL", "LIMIT_ASSISTANT_LLM_TIMEOUT", "LIMIT_ASSISTANT_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    server = StubLLM().start()
    yield server
    server.stop()
