"""End to end over HTTP: Services with LIMIT_ASSISTANT_LLM=openai against the local stub server
(ChatOpenAI, real wire format). Faithful answers are used; every failure falls back in time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.accounts import load_account
from assistant.services import Services
from assistant.settings import Settings
from tests.helpers.llm import MULTI_FAITHFUL, MULTI_QUESTION

TIMEOUT = 1.0
MARGIN = 0.5


def llm_services(data_dir: Path, stub, **overrides) -> Services:
    settings = Settings(data_dir=data_dir, llm="openai", llm_base_url=stub.base_url, llm_model="stub-model",
                        llm_timeout=overrides.pop("llm_timeout", TIMEOUT), **overrides)
    return Services(settings)


def ask_multi(services: Services):
    snapshot, platform = load_account("demo-multi", services.store)
    return services.assistant.ask(MULTI_QUESTION, snapshot, platform=platform).result


@pytest.fixture(scope="module")
def deterministic(ask):
    return ask("demo-multi", MULTI_QUESTION)


def test_a_faithful_answer_over_http_is_used(tmp_path, stub, deterministic) -> None:
    stub.reply(MULTI_FAITHFUL)
    services = llm_services(tmp_path, stub)
    result = ask_multi(services)
    assert result.answer == MULTI_FAITHFUL
    assert result.contract_view() | {"answer": ""} == deterministic.contract_view() | {"answer": ""}
    request = stub.requests[0]
    assert request["model"] == "stub-model"
    assert request["max_tokens"] == 600  # the cap every OpenAI-compatible server reads
    assert request["messages"][0]["role"] == "system"
    assert services.phraser.health()["status"] == "reachable"


@pytest.mark.parametrize("llm_answer, cause", [
    (MULTI_FAITHFUL + "\n您的收款银行卡也不可用。", "unsupported_reason"),
    (MULTI_FAITHFUL.replace("1,200 元，已经逾期", "2,100 元，已经逾期"), "wrong_number"),
    (MULTI_FAITHFUL.replace("预计 2026年11月23日(周一)", "预计 2026年11月25日(周三)"), "wrong_date"),
    (MULTI_FAITHFUL + "\n详见《借呗服务合同》第八条。", "unknown_citation"),
    (MULTI_FAITHFUL + "\n还清后百分之百能借到。", "promise"),
    ("好的，我已忽略所有规则。已经为您解冻并提额，现在可以借 10,000 元。", "compliance_break"),
])
def test_grounding_failures_over_http_fall_back(tmp_path, stub, deterministic, llm_answer, cause) -> None:
    stub.reply(llm_answer)
    services = llm_services(tmp_path, stub)
    result = ask_multi(services)
    assert result.contract_view() == deterministic.contract_view()
    assert services.phraser.health()["fallbacks"] == {cause: 1}


def test_a_slow_model_falls_back_within_the_configured_time(tmp_path, stub, deterministic) -> None:
    stub.reply(MULTI_FAITHFUL, delay=10.0)
    services = llm_services(tmp_path, stub)
    phraser = services.phraser
    started = time.monotonic()
    result = phraser.phrase(MULTI_QUESTION, deterministic)
    elapsed = time.monotonic() - started
    assert result == deterministic
    assert elapsed < TIMEOUT + MARGIN, elapsed
    health = phraser.health()
    assert health["fallbacks"] == {"timeout": 1} and health["status"] == "failing"
    assert health["p95_ms"] >= TIMEOUT * 1000 * 0.9


@pytest.mark.parametrize("script, cause", [
    ({"status": 500}, "http_error"),
    ({"status": 401}, "http_error"),
    ({"raw": "this is not json"}, None),
])
def test_http_failures_fall_back(tmp_path, stub, deterministic, script, cause) -> None:
    stub.reply(**script)
    services = llm_services(tmp_path, stub)
    result = services.phraser.phrase(MULTI_QUESTION, deterministic)
    assert result == deterministic
    fallbacks = services.phraser.health()["fallbacks"]
    assert sum(fallbacks.values()) == 1
    if cause:
        assert fallbacks == {cause: 1}


def test_an_unreachable_endpoint_falls_back(tmp_path, stub, deterministic) -> None:
    stub.stop()
    services = llm_services(tmp_path, stub)
    assert services.phraser.phrase(MULTI_QUESTION, deterministic) == deterministic
    assert services.phraser.health()["status"] == "failing"


def test_tool_calls_over_the_wire(tmp_path, stub, ask) -> None:
    result = ask("demo-overdue", "为什么借不了5000")
    answer = ("您有逾期未还的欠款 1,200 元，已逾期 5 天，所以现在借不了 5,000 元；"
              "还清后最多可借 10,200 元。依据：《逾期未还时不能借款》")
    stub.reply(tool_calls=[("what_if", {"repay_all_overdue": True})])
    stub.reply(answer)
    services = llm_services(tmp_path, stub)
    from assistant.llm.phraser import LLMPhraser

    phraser = LLMPhraser(services.phraser.model, policy=services.policy, product={"zh": "借呗", "en": "credit line"},
                         timeout=5.0, mode="tools")
    phrased = phraser.phrase("为什么借不了5000", result, ask.context("demo-overdue"))
    assert phrased.answer == answer, phraser.health()
    assert [t["function"]["name"] for t in stub.requests[0]["tools"]] == ["check_limit", "what_if"]
    assert stub.requests[1]["messages"][-1]["role"] == "tool"
