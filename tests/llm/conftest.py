"""LLM-layer fixtures: a deterministic assistant on demo accounts (data under tmp), fake chat
models that record what they were asked, and the local OpenAI-compatible stub server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field

from assistant.accounts import load_account
from assistant.llm.phraser import LLMPhraser
from assistant.models import Answer
from assistant.services import Services
from assistant.settings import Settings
from tests.llm.stub_server import StubLLM

PRODUCT = {"zh": "借呗", "en": "credit line"}


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


class Asker:
    """Deterministic answers for (demo account, question), as the dialogue composes them."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(self, account_id: str, question: str) -> Answer:
        snapshot, platform = load_account(account_id, self.services.store)
        return self.services.assistant.ask(question, snapshot, platform=platform).result

    def context(self, account_id: str) -> Any:
        from assistant.llm.tools import ConversationContext

        snapshot, platform = load_account(account_id, self.services.store)
        return ConversationContext(snapshot=snapshot, platform=platform)


@pytest.fixture(scope="session")
def ask(services: Services) -> Asker:
    return Asker(services)


class RecordingFake(FakeMessagesListChatModel):
    """langchain's scripted fake, recording every request and accepting bound tools."""

    requests: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.requests.append(list(messages))
        return super()._generate(messages, *args, **kwargs)

    def bind_tools(self, tools: Any, **kwargs: Any) -> RecordingFake:
        self.bound_tools.extend(tools)
        return self


def fake_model(*replies: str | AIMessage) -> RecordingFake:
    messages = [r if isinstance(r, AIMessage) else AIMessage(content=r) for r in replies]
    return RecordingFake(responses=messages, requests=[], bound_tools=[])


def phraser_for(model: Any, services: Services, **kwargs: Any) -> LLMPhraser:
    return LLMPhraser(model, policy=services.policy, product=PRODUCT, timeout=kwargs.pop("timeout", 5.0), **kwargs)


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    server = StubLLM().start()
    yield server
    server.stop()
