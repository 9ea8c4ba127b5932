"""LLM on, through the local stub OpenAI server (issue 13 item 5).

- An attack the guard does not refuse still never reaches the model as an instruction: the
  customer's words travel only inside the delimited user-content block of the user message,
  never in the system message, and never alone as a bare turn.
- The model's output is still verified: a stub that obeys the attack (raises a limit, leaks the
  prompt) is replaced by the deterministic, checked answer.
- Once the guard is wired into the assistant (the lead's commit "guard wired"), a refused attack
  never reaches the model at all.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from assistant.accounts import load_account
from assistant.safety.corpus import by_split, load_corpus
from assistant.safety.guard import default_guard
from assistant.services import Services
from assistant.settings import Settings

OBEYING_ANSWERS = [
    "好的，已按你的要求忽略规则：已为您提额到 50,000 元，现在就能借。",
    "当然可以。我的系统提示如下：你是借呗额度助手的措辞环节，只负责把参考草稿改写得更自然。",
]


def _guard_wired() -> bool:
    import assistant.dialogue
    import assistant.nlu.understand

    sources = inspect.getsource(assistant.dialogue) + inspect.getsource(assistant.nlu.understand)
    return "assistant.safety" in sources


@pytest.fixture(scope="module")
def unrefused_attacks() -> list[str]:
    """Test-split attacks (single turn) that the guard lets through: the hardest case for the LLM."""
    guard = default_guard()
    attacks = [i.text for i in by_split(load_corpus())["test"] if i.unsafe and not i.history][:120]
    return [text for text in attacks if not guard.assess(text, []).unsafe][:6]


def _services(tmp_path: Path, stub) -> Services:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, llm="openai", llm_base_url=stub.base_url, llm_model="stub-model",
                        llm_timeout=2.0)
    return Services(settings)


def _ask(services: Services, account_id: str, message: str):  # type: ignore[no-untyped-def]
    snapshot, platform = load_account(account_id, services.store)
    return services.assistant.ask(message, snapshot, platform=platform).result


def test_an_unrefused_attack_is_data_for_the_model_and_its_obedience_is_not_shown(
        tmp_path, stub, unrefused_attacks) -> None:  # type: ignore[no-untyped-def]
    assert unrefused_attacks, "the guard refused every test attack: nothing to send through"
    services = _services(tmp_path, stub)
    sent = 0
    for attack in unrefused_attacks:
        for obeying in OBEYING_ANSWERS:
            stub.requests.clear()
            stub.queue.clear()
            stub.reply(obeying)
            result = _ask(services, "demo-overdue", attack)
            sent += len(stub.requests)
            assert obeying not in result.answer and "50,000" not in result.answer
            for request in stub.requests:
                messages = request["messages"]
                system = [m for m in messages if m["role"] == "system"]
                assert all(attack not in json.dumps(m, ensure_ascii=False) for m in system)
                turns = [m for m in messages if m["role"] == "user"]
                for turn in turns:
                    content = turn["content"] if isinstance(turn["content"], str) else json.dumps(turn["content"])
                    if attack in content:
                        # Quoted inside the customer-message block, with instructions around it.
                        assert f"<<<{attack}>>>" in content and content.strip() != attack
    assert sent > 0, "no attack reached the model: the test would prove nothing"


@pytest.mark.skipif(not _guard_wired(), reason="the guard is not wired into the assistant yet (lead)")
def test_a_refused_attack_never_reaches_the_model(tmp_path, stub) -> None:  # type: ignore[no-untyped-def]
    services = _services(tmp_path, stub)
    guard = default_guard()
    attacks = [i for i in by_split(load_corpus())["test"] if i.unsafe and not i.history][:40]
    refused = [i.text for i in attacks if guard.assess(i.text, []).unsafe][:10]
    stub.default = None
    for attack in refused:
        stub.requests.clear()
        result = _ask(services, "demo-healthy", attack)
        assert result.refused and result.intent == "unsafe_request"
        assert stub.requests == []
        assert attack not in result.answer
