"""Helpers of the LLM-layer tests: deterministic answers on demo accounts, fake chat models that
record what they were asked, a phraser over them, and a multi-reason answer written by hand."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field

from assistant.accounts import load_account
from assistant.llm.phraser import LLMPhraser
from assistant.models import Answer
from assistant.services import Services

PRODUCT = {"zh": "借呗", "en": "credit line"}


MULTI_QUESTION = "为什么借不了10000"
MULTI_FAITHFUL = (
    "您好！我帮您看了截至 2026年11月20日(周五) 10:00 的账户，目前借不了 10,000 元，主要有这几个原因：\n"
    "1. 您有逾期未还的欠款 1,200 元，已经逾期 5 天，需要先还清。\n"
    "2. 您的身份证件已于 2026年11月15日 过期，需要上传新的证件。\n"
    "3. 您想借的 10,000 元超过了可用额度 6,000 元。\n"
    "4. 您 2026年11月20日(周五) 08:30 通过银行转账还的 1,200 元尚未入账，预计 2026年11月23日(周一) 09:00 入账。\n"
    "建议您：还清逾期欠款、上传有效的身份证件、降低借款金额，并在 2026年11月23日(周一) 09:00 之后再试。\n"
    "依据：《逾期未还时不能借款》、《身份证件有效期》、《可用额度与借款金额》、《还款入账时间》\n"
    # The recourse plan (CONTRACT section 9) is part of every not-allowed borrow answer.
    "最快在那笔转账入账时就可以借 10,000 元：现在上传有效身份证件，再还 2,800 元借款释放额度；"
    "周五那笔 1,200 元转账入账后逾期就结清了，不用再还。届时最多可借 10,000 元。"
)


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

