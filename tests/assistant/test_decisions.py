"""Every answered turn leaves a decision record (issue 17) with what replay and a written notice
need: the inputs as received (canonical JSON and its hash), the request time, the versions that
decided, the checks with their trace, the plan, the answer and its hash."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

import pytest

import assistant.nlu
from assistant.decisions import intent_model_fingerprint, platform_of, snapshot_of, verify
from assistant.dialogue import Assistant
from assistant.models import Answer
from assistant.services import Services
from assistant.store.records import StoredDecision

AT = datetime.fromisoformat("2026-11-20T15:30:00+08:00")


def record_of(services: Services, turn: Any) -> StoredDecision:
    record = services.store.decisions.get(turn.conversation_id, turn.seq)
    assert record is not None, "every answered turn has its decision record"
    return record


def test_the_inputs_are_recorded_as_canonical_json_with_their_hash(services: Services, ask: Any) -> None:
    turn = ask("demo-multi", "为什么借不了")
    record = record_of(services, turn)
    data = json.loads(record.snapshot)
    assert record.snapshot == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert record.snapshot_sha256 == hashlib.sha256(record.snapshot.encode()).hexdigest()
    assert data["account_id"] == "demo-multi" and data["limit"]["available"] == "6000"
    assert snapshot_of(record).account_id == "demo-multi"
    assert record.requested_at is None and record.request_time == "2026-11-20T10:00:00+08:00"
    assert verify(record)


def test_the_platform_and_request_time_are_kept_as_given(services: Services, ask: Any) -> None:
    turn = ask("demo-funding-quota", "为什么借不出来", at=AT)
    record = record_of(services, turn)
    assert record.platform is not None and platform_of(record) is not None
    assert record.platform_sha256 == hashlib.sha256(record.platform.encode()).hexdigest()
    assert record.requested_at == record.request_time == AT.isoformat()


def test_the_versions_that_decided_are_recorded(services: Services, ask: Any) -> None:
    record = record_of(services, ask("demo-overdue", "有额度为什么借不出来"))
    policy_bytes = services.settings.policy_file.read_bytes()
    assert record.policy_sha256 == hashlib.sha256(policy_bytes).hexdigest()
    assert record.policy_version == services.policy.policy_version
    assert record.package_version
    assert record.git_commit is None or re.fullmatch(r"[0-9a-f]{40}", record.git_commit)
    assert record.code_sha256 and re.fullmatch(r"[0-9a-f]{64}", record.code_sha256)
    assert record.knowledge_sha256 and record.phraser is None


def test_the_intent_model_hash_comes_through_one_seam(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assistant.nlu, "model_fingerprint", lambda: "f" * 64, raising=False)
    assert intent_model_fingerprint() == "f" * 64
    monkeypatch.delattr(assistant.nlu, "model_fingerprint")
    assert intent_model_fingerprint() is None


def test_checks_trace_answer_and_its_hash_are_recorded(services: Services, ask: Any) -> None:
    turn = ask("demo-multi", "我要借5000为什么借不了")
    record = record_of(services, turn)
    result: Answer = turn.result
    assert [c["action"] for c in record.checks] == [c.action for c in result.checks]
    assert record.checks[0]["trace"] and all("rule" in e and "outcome" in e for e in record.checks[0]["trace"])
    assert record.answer["answer"] == result.answer
    assert {k: record.answer[k] for k in result.contract_view()} == json.loads(json.dumps(result.contract_view()))
    assert record.answer_sha256 == hashlib.sha256(result.answer.encode()).hexdigest()
    assert record.plan == (json.loads(json.dumps(result.plan.model_dump(), default=str)) if result.plan else None)


def test_the_reasons_are_the_answers_own_sentences_and_worded_in_the_other_language(
        services: Services, ask: Any) -> None:
    turn = ask("demo-multi", "为什么借不了")
    record = record_of(services, turn)
    own = record.wording["zh"]["reasons"]
    assert [r["sentence"] for r in own] == [r.sentence for r in turn.result.reasons]
    other = record.wording["en"]["reasons"]
    assert [r["code"] for r in other] == [r["code"] for r in own] == ["OVERDUE_UNPAID", "ID_DOCUMENT_EXPIRED",
                                                                     "REPAYMENT_NOT_POSTED"]
    assert "1,200" in other[0]["sentence"] and re.search(r"[A-Za-z]{4}", other[0]["sentence"])


def test_a_handoff_by_button_is_recorded_as_such(services: Services, ask: Any) -> None:
    first = ask("demo-risk-hold", "为什么借不出来")
    snapshot, platform = snapshot_of(record_of(services, first)), None
    turn = services.assistant.handoff(snapshot, first.conversation_id, platform=platform)
    record = record_of(services, turn)
    assert record.kind == "handoff" and record.answer["handoff_id"] == turn.result.handoff_id
    assert record.answer["handoff"] is True


def test_turns_without_a_check_are_recorded_too(services: Services, ask: Any) -> None:
    record = record_of(services, ask("demo-healthy", "你好"))
    assert record.checks == [] and record.answer["intent"] == "greeting" and verify(record)


class RewordingPhraser:
    """An LLM stand-in that re-words every answer."""

    def phrase(self, message: str, deterministic: Answer, context: Any = None) -> Answer:
        return deterministic.model_copy(update={"answer": "（润色）" + deterministic.answer})


def test_an_llm_worded_answer_keeps_the_hash_of_the_deterministic_one(services: Services, ask: Any) -> None:
    assistant = Assistant(policy=services.policy, store=services.store, book=services.section_book,
                          retriever_factory=services.retriever, product={"zh": "借呗", "en": "credit line"},
                          phraser=RewordingPhraser(), provenance=services.provenance)
    snapshot = snapshot_of(record_of(services, ask("demo-overdue", "为什么借不出来")))
    turn = assistant.ask("为什么借不出来", snapshot)
    record = record_of(services, turn)
    assert record.phraser == "RewordingPhraser"
    assert record.answer_sha256 == hashlib.sha256(turn.result.answer.encode()).hexdigest()
    deterministic = turn.result.answer.removeprefix("（润色）")
    assert record.deterministic_sha256 == hashlib.sha256(deterministic.encode()).hexdigest()


def test_a_turns_check_data_is_computed_and_written_as_json_once(services: Services, ask: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """One to_data and one JSON text per check for the record, the turn and the audit rows
    (a what-if turn has two checks), and all three read back equal."""
    from tools.result import CheckResult

    to_data, encoded = CheckResult.to_data, json.dumps
    made: list[dict[str, Any]] = []
    written: list[Any] = []

    def counting_to_data(self: CheckResult) -> dict[str, Any]:
        made.append(data := to_data(self))
        return data

    def recording_dumps(value: Any, *args: Any, **kwargs: Any) -> str:
        written.append(value)
        return encoded(value, *args, **kwargs)

    monkeypatch.setattr(CheckResult, "to_data", counting_to_data)
    monkeypatch.setattr(json, "dumps", recording_dumps)
    turn = ask("demo-overdue", "如果我把逾期还了能借多少")
    monkeypatch.undo()
    checks = turn.result.checks
    assert len(checks) == 2 and len(made) == 2
    assert sum(any(value is data for data in made) for value in written) == 2  # once each, for the record
    assert not any(isinstance(value, list) and value and value[0] is made[0] for value in written)
    record = record_of(services, turn)
    stored = services.store.conversations.turns(turn.conversation_id)[-1]
    audit = [a for a in services.store.audit.since(AT.replace(year=2000)) if a.conversation_id == turn.conversation_id]
    assert stored.checks == record.checks == [a.result for a in audit] and verify(record)
    assert [a.request["simulated"] for a in audit] == [False, True]


def test_the_plan_is_worded_in_the_other_language_without_planning_again(
        services: Services, ask: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.dialogue
    import tools.plan

    calls: list[Any] = []
    planned = tools.plan.plan

    def counting_plan(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return planned(*args, **kwargs)

    monkeypatch.setattr(assistant.dialogue, "plan", counting_plan)
    monkeypatch.setattr(tools.plan, "plan", counting_plan)
    turn = ask("demo-overdue", "有额度为什么借不出来")
    assert turn.result.plan is not None and len(calls) == 1
    record = record_of(services, turn)
    assert record.wording["zh"]["plan"] == turn.result.plan.sentences
    assert record.wording["en"]["plan"] and re.search(r"[A-Za-z]{4}", record.wording["en"]["plan"][0])
