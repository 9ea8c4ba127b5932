"""LLM off is the default and changes nothing; LLM on with a failing endpoint changes nothing
either: every answer is the deterministic assistant's own."""

from __future__ import annotations

import pytest

from assistant.accounts import load_account
from assistant.errors import ConfigError
from assistant.llm import health_of
from assistant.services import Services
from assistant.settings import Settings, load_settings
from tests.helpers.stub_llm import Scripted

DEMO_QUESTIONS = [
    ("demo-overdue", "我的额度还有一万多，为什么借5000借不出来？"),
    ("demo-multi", "我现在最多能借多少"),
    ("demo-pending-transfer", "还款了额度怎么没恢复"),
    ("demo-reduced", "额度怎么被降了"),
    ("demo-increase-cooldown", "why did my limit increase fail"),
    ("demo-healthy", "你好"),
    ("demo-healthy", "怎么刷额度"),
]


def answers(services: Services) -> list[dict]:
    out = []
    for account_id, question in DEMO_QUESTIONS:
        snapshot, platform = load_account(account_id, services.store)
        out.append(services.assistant.ask(question, snapshot, platform=platform).result.contract_view())
    return out


def test_llm_is_off_by_default(tmp_path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.llm == "off"
    services = Services(settings)
    assert services.phraser is None
    assert services.assistant.phraser is None
    assert health_of(services.phraser) == {"configured": False, "status": "off"}


def test_llm_on_needs_an_endpoint(tmp_path) -> None:
    with pytest.raises(ConfigError, match="LLM_BASE_URL"):
        load_settings(data_dir=tmp_path, llm="openai")


def test_off_answers_equal_the_deterministic_assistant(tmp_path, services) -> None:
    expected = answers(services)
    again = answers(Services(Settings(data_dir=tmp_path, llm="off")))
    assert again == expected
    assert expected[-1]["refused"] is True


def test_on_with_a_failing_endpoint_answers_like_off(tmp_path, stub, services) -> None:
    stub.default = Scripted(status=503)
    on = Services(Settings(data_dir=tmp_path, llm="openai", llm_base_url=stub.base_url, llm_timeout=2.0))
    assert answers(on) == answers(services)
    health = health_of(on.phraser)
    assert health["configured"] is True and health["status"] == "failing"
    # Every turn but the refusal reached the endpoint, and every one fell back.
    assert health["calls"] == len(DEMO_QUESTIONS) - 1 == health["fallbacks"]["http_error"]
    assert health["skipped"] == 1
