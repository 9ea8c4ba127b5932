"""Replay (issue 17): a recorded conversation asked again with the current code and policy is
identical, turn for turn; with one threshold changed in a copy of the policy, exactly the turns
that depend on it change, and the cause names the policy file."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assistant.decisions import platform_of, requested_at_of, snapshot_of
from assistant.errors import UserInputError
from assistant.replay import replay
from assistant.services import Services
from assistant.store.records import StoredDecision, TurnRecord
from tools.engine import run_check
from tools.policy import load_policy
from tools.result import jsonable

REPO = Path(__file__).resolve().parents[2]
MINIMUM_STATED = re.compile(r"(?<![\d,.])500(?![\d,])")  # the policy's minimum draw, as answers print it
DEMO_ACCOUNTS = json.loads((REPO / "assistant/store/fixtures/demo_accounts.json").read_text(encoding="utf-8"))
# The questions the chat UI suggests (assistant/web/ui_texts.yaml), then the hand-off button:
# one demo conversation per demo account.
DEMO_QUESTIONS = {
    "zh": ["有额度为什么借不出来", "我现在最多能借多少", "还款了额度怎么没恢复", "为什么提额失败"],
    "en": ["Why can't I borrow although I have a limit?", "How much can I borrow now?",
           "I repaid, why is my limit not back?", "Why was my limit increase refused?"],
}


def converse(services: Services, account_id: str, messages: list[str], *, handoff: bool = False) -> str:
    """One conversation about a stored account; returns its id."""
    from assistant.accounts import load_account

    snapshot, platform = load_account(account_id, services.store)
    conversation_id = None
    for message in messages:
        conversation_id = services.assistant.ask(message, snapshot, platform=platform,
                                                 conversation_id=conversation_id).conversation_id
    assert conversation_id is not None
    if handoff:
        services.assistant.handoff(snapshot, conversation_id, platform=platform)
    return conversation_id


@pytest.fixture(scope="module")
def demo_conversations(services: Services) -> list[str]:
    ids = []
    for account in DEMO_ACCOUNTS:
        lang = "en" if account["account_id"].endswith("-en") else "zh"
        ids.append(converse(services, account["account_id"], DEMO_QUESTIONS[lang], handoff=True))
    return ids


@pytest.fixture(scope="module")
def min_draw_1000(tmp_path_factory: pytest.TempPathFactory, services: Services) -> Path:
    """A copy of the policy with another minimum draw (and nothing else changed)."""
    original = services.settings.policy_file.read_text(encoding="utf-8")
    changed = original.replace("min_amount: 500 ", "min_amount: 1000", 1)
    assert changed != original
    path = tmp_path_factory.mktemp("policy") / "min-draw-1000.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


def test_every_demo_conversation_replays_identical(services: Services, demo_conversations: list[str]) -> None:
    for conversation_id in demo_conversations:
        report = replay(services, conversation_id)
        assert report.identical, (conversation_id, report.to_data()["turns"])
        assert [t.turn for t in report.turns] == [1, 2, 3, 4, 5]
        assert report.changes == []


def test_done_when_an_ask_replays_identical(services: Services) -> None:
    conversation_id = converse(services, "demo-multi", ["为什么借不了"])
    data = replay(services, conversation_id).to_data()
    assert data["identical"] is True
    assert data["turns"] == [{"turn": 1, "identical": True, "outcome_changed": False, "differences": []}]
    assert data["timing"]["turns_replayed"] == 1 and data["timing"]["ms_per_turn"] > 0


def test_turn_reports_one_turn_after_replaying_the_ones_before(services: Services) -> None:
    conversation_id = converse(services, "demo-small-limit", ["我想借5000，为什么借不了？", "那3000呢？"])
    report = replay(services, conversation_id, turn=2)
    assert [t.turn for t in report.turns] == [2] and report.identical
    assert len(report.replayed) == 2  # turn 2 inherits the amount's thread from turn 1


def test_replay_writes_nothing_to_the_store(services: Services) -> None:
    conversation_id = converse(services, "demo-overdue", ["为什么借不出来"], handoff=True)
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    before = (services.store.conversations.turns(conversation_id),
              services.store.decisions.for_conversation(conversation_id), len(list(services.store.audit.since(epoch))))
    replay(services, conversation_id)
    after = (services.store.conversations.turns(conversation_id),
             services.store.decisions.for_conversation(conversation_id), len(list(services.store.audit.since(epoch))))
    assert after == before


@pytest.mark.parametrize("turn", [0, 3])
def test_a_turn_out_of_range_is_bad_input(services: Services, turn: int) -> None:
    conversation_id = converse(services, "demo-healthy", ["你好", "我现在最多能借多少"])
    with pytest.raises(UserInputError):
        replay(services, conversation_id, turn=turn)


def test_unknown_conversations_and_turns_without_a_record_are_bad_input(services: Services) -> None:
    with pytest.raises(UserInputError, match="unknown conversation"):
        replay(services, "no-such-conversation")
    conversation_id = services.store.conversations.create("demo-healthy", "zh")
    services.store.conversations.add_turn(conversation_id, TurnRecord(user_text="written before records"))
    with pytest.raises(UserInputError, match="no decision record"):
        replay(services, conversation_id)


def test_a_bad_policy_file_named_for_replay_is_bad_input(services: Services, tmp_path: Path) -> None:
    conversation_id = converse(services, "demo-healthy", ["你好"])
    broken = tmp_path / "broken.yaml"
    broken.write_text("policy_version: [", encoding="utf-8")
    with pytest.raises(UserInputError, match="--policy"):
        replay(services, conversation_id, policy_file=broken)


def test_another_minimum_draw_changes_exactly_the_turns_that_depend_on_it(
        services: Services, min_draw_1000: Path) -> None:
    conversation_id = converse(services, "demo-healthy", ["你好", "我要借800", "怎么刷额度"])
    report = replay(services, conversation_id, policy_file=min_draw_1000)
    assert [t.identical for t in report.turns] == [True, False, True]
    changed = report.turns[1]
    assert changed.outcome_changed
    fields = {d.field: d for d in changed.differences}
    assert fields["reason_codes"].before == [] and fields["reason_codes"].after == ["AMOUNT_BELOW_MINIMUM"]
    assert all("policy file" in d.cause for d in changed.differences)
    assert [c["component"] for c in report.changes] == ["policy file"]


def test_over_every_demo_conversation_only_the_turns_that_read_the_minimum_change(
        services: Services, demo_conversations: list[str], min_draw_1000: Path) -> None:
    """The oracle is independent of replay: a turn must differ exactly when one of its checks
    read `min_amount`, and its outcome must change exactly when the engine, run directly on
    the recorded inputs, decides differently under the new policy, or when what the customer
    read (the answer, a cited rule's text) stated the minimum."""
    new_policy = load_policy(min_draw_1000)
    differing = outcome_changed = 0
    for conversation_id in demo_conversations:
        report = replay(services, conversation_id, policy_file=min_draw_1000)
        records = {r.turn_seq: r for r in services.store.decisions.for_conversation(conversation_id)}
        for turn in report.turns:
            record = records[turn.turn]
            assert turn.identical == (not _read_the_minimum(record)), (conversation_id, turn.to_data())
            expected = _engine_decides_otherwise(record, new_policy) or _states_the_minimum(record)
            assert turn.outcome_changed == expected, (conversation_id, turn.to_data())
            assert all("policy file" in d.cause for d in turn.differences)
            differing += not turn.identical
            outcome_changed += turn.outcome_changed
    assert differing > 0 and outcome_changed > 0  # the threshold matters for some demo accounts


def _read_the_minimum(record: StoredDecision) -> bool:
    return any("min_amount" in entry.get("inputs", {}) for check in record.checks for entry in check["trace"])


def _states_the_minimum(record: StoredDecision) -> bool:
    texts = [record.answer["answer"], *(s.get("text", "") for s in record.answer.get("sections", []))]
    return any(MINIMUM_STATED.search(text) for text in texts)


def _engine_decides_otherwise(record: StoredDecision, policy: Any) -> bool:
    """The recorded checks run again on the recorded inputs under `policy`: does any outcome
    (allowed, caps, reasons with their facts, next steps) change?"""
    snapshot, platform, at = snapshot_of(record), platform_of(record), requested_at_of(record)
    for recorded in record.checks:
        amount = Decimal(str(recorded["amount"])) if recorded["amount"] is not None else None
        fresh = run_check(snapshot, recorded["action"], amount=amount, at=at, platform=platform, policy=policy)
        keys = ("allowed", "max_amount_now", "caps", "reasons", "next_steps")
        if json.dumps(jsonable({k: recorded[k] for k in keys}), sort_keys=True) != json.dumps(
                jsonable({k: fresh.to_data()[k] for k in keys}), sort_keys=True):
            return True
    return False
