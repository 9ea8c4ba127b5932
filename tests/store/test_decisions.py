"""Decision records in the store (issue 17): written with their turn in one transaction, read
back byte for byte (their hash still verifies), and never updated — the repository offers no
way to, and the database refuses an UPDATE on SQLite and on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from assistant.decisions import canonical_json, record_sha256, sha256_text, verify
from assistant.store.db import Store
from assistant.store.decisions import DecisionRepository
from assistant.store.records import DecisionRecord, TurnRecord
from assistant.store.schema import Decision

SNAPSHOT = canonical_json({"account_id": "u-1", "as_of": "2026-11-20T10:00:00+08:00",
                           "limit": {"available": "6000", "total": "15000", "used": "9000"}})


def decision(message: str = "为什么借不了", **overrides: Any) -> DecisionRecord:
    fields: dict[str, Any] = {
        "kind": "ask", "message": message, "default_lang": "zh", "product": {"zh": "借呗", "en": "credit line"},
        "snapshot": SNAPSHOT, "snapshot_sha256": sha256_text(SNAPSHOT), "platform": None,
        "platform_sha256": None, "requested_at": None, "request_time": "2026-11-20T10:00:00+08:00",
        "policy_version": "2026.11", "policy_sha256": "ab" * 32, "package_version": "0.1.0",
        "git_commit": None, "code_sha256": "cd" * 32, "intent_model_sha256": None, "knowledge_sha256": None,
        "phraser": None,
        "checks": [{"action": "borrow", "max_amount_now": Decimal(0), "trace": [{"rule": "overdue_unpaid"}],
                    "reasons": [{"code": "OVERDUE_UNPAID", "facts": {"overdue_amount": Decimal("1200.10")}}]}],
        "plan": None, "answer": {"answer": "不能借款", "intent": "cannot_borrow", "confidence": 0.8125},
        "answer_sha256": sha256_text("不能借款"), "deterministic_sha256": None,
        "wording": {"zh": {"reasons": [], "plan": []}, "en": {"reasons": [], "plan": []}},
    }
    fields.update(overrides)
    fields = {**fields, "record_sha256": record_sha256(fields)}
    return DecisionRecord.model_validate(fields)


def test_a_decision_is_written_with_its_turn_and_reads_back_verifiable(store: Store) -> None:
    conversation_id = store.conversations.create("u-1", "zh")
    seq = store.conversations.add_turn(conversation_id, TurnRecord(user_text="为什么借不了"), decision=decision())
    stored = store.decisions.get(conversation_id, seq)
    assert stored is not None and stored.turn_seq == seq == 1
    assert stored.snapshot == SNAPSHOT  # the canonical text, byte for byte
    assert stored.checks[0]["reasons"][0]["facts"]["overdue_amount"] == Decimal("1200.10")
    assert verify(stored)
    assert store.decisions.for_conversation(conversation_id) == [stored]


def test_the_record_keeps_the_message_unmasked_while_the_turn_masks_it(store: Store) -> None:
    # Replay needs the message as the customer typed it; the turn (exported, shown) is masked.
    conversation_id = store.conversations.create("u-1", "zh")
    typed = "我手机13812345678为什么借不了"
    store.conversations.add_turn(conversation_id, TurnRecord(user_text="我手机138****5678为什么借不了"),
                                 decision=decision(typed))
    record = store.decisions.get(conversation_id, 1)
    assert record is not None and record.message == typed


def test_a_tampered_record_no_longer_verifies(store: Store) -> None:
    record = decision()
    assert verify(record)
    assert not verify(record.model_copy(update={"answer": {"answer": "可以借款", "intent": "cannot_borrow"}}))


def test_turn_and_decision_are_one_transaction(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.store import conversations

    conversation_id = store.conversations.create("u-1", "zh")

    def broken(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("disk trouble while writing the record")

    monkeypatch.setattr(conversations, "decision_values", broken)
    with pytest.raises(RuntimeError):
        store.conversations.add_turn(conversation_id, TurnRecord(user_text="为什么借不了"), decision=decision())
    assert store.conversations.turns(conversation_id) == []
    assert store.decisions.for_conversation(conversation_id) == []


def test_the_repository_has_no_way_to_change_or_remove_a_record() -> None:
    public = {name for name in dir(DecisionRepository) if not name.startswith("_")}
    assert public == {"for_conversation", "get", "since"}


def test_the_database_refuses_an_update(store: Store) -> None:
    conversation_id = store.conversations.create("u-1", "zh")
    store.conversations.add_turn(conversation_id, TurnRecord(user_text="为什么借不了"), decision=decision())
    with pytest.raises(DBAPIError, match="immutable"), store.sessions.begin() as session:
        session.execute(update(Decision).where(Decision.conversation_id == conversation_id)
                        .values(answer_sha256="0" * 64))
    with pytest.raises(DBAPIError, match="immutable"), store.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET message = 'rewritten'"))
    record = store.decisions.get(conversation_id, 1)
    assert record is not None and record.message == "为什么借不了" and verify(record)


def test_one_record_per_turn(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    from assistant.store.decisions import decision_row
    from assistant.store.schema import utcnow

    conversation_id = store.conversations.create("u-1", "zh")
    store.conversations.add_turn(conversation_id, TurnRecord(user_text="为什么借不了"), decision=decision())
    with pytest.raises(IntegrityError), store.sessions.begin() as session:
        session.add(decision_row(conversation_id, 1, decision("again"), utcnow()))


def test_a_replay_recreates_a_conversation_under_its_recorded_id(store: Store) -> None:
    recorded = "5f0c6f3e-3f5e-4c89-a5c1-1f1a8a0b2c3d"
    assert store.conversations.create("u-1", "en", conversation_id=recorded) == recorded
    record = store.conversations.get(recorded)
    assert record is not None and record.lang == "en"


def test_json_the_record_already_wrote_is_stored_for_record_turn_and_audit_rows(store: Store) -> None:
    """The canonical JSON `build_decision` made for the hash is what the JSON columns get (on
    SQLite and PostgreSQL): the record, the turn's checks and the audit row read back as written."""
    record = decision()
    check = record.checks[0]
    texts = {name: canonical_json(getattr(record, name)) for name in ("product", "checks", "answer", "wording")}
    record.keep_encoded(texts, [canonical_json(check)])
    conversation_id = store.conversations.start("u-1", "zh")
    audit = {"account_id": "u-1", "action": "borrow", "request": {"amount": "3000"}, "result": check,
             "policy_version": "2026.11"}
    seq = store.conversations.add_turn(conversation_id, TurnRecord(user_text="为什么借不了", checks=[check]),
                                       audits=[audit], decision=record)
    stored = store.decisions.get(conversation_id, seq)
    assert stored is not None and verify(stored) and stored.plan is None  # None stays SQL NULL
    assert stored.checks == [check] and stored.answer == record.answer and stored.wording == record.wording
    assert store.conversations.turns(conversation_id)[0].checks == [check]
    rows = [a for a in store.audit.since(stored.created_at) if a.conversation_id == conversation_id]
    assert [a.result for a in rows] == [check]
