from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from assistant.errors import UserInputError
from assistant.store.db import Store
from assistant.store.errors import NotFoundError
from assistant.store.records import TurnRecord


def turn(text: str = "有额度为什么借不出来", **fields: object) -> TurnRecord:
    return TurnRecord(user_text=text, **fields)


def test_create_and_get(store: Store) -> None:
    conversation_id = store.conversations.create("demo-overdue", "zh")
    record = store.conversations.get(conversation_id)
    assert record is not None
    assert (record.account_id, record.lang, record.state) == ("demo-overdue", "zh", {})
    assert record.created_at.tzinfo is not None
    assert store.conversations.get("no-such-id") is None


def test_unsupported_language_is_refused(store: Store) -> None:
    with pytest.raises(UserInputError):
        store.conversations.create("u-1", "fr")


def test_turns_are_numbered_and_keep_everything(store: Store) -> None:
    conversation_id = store.conversations.create("demo-overdue", "zh")
    check = {
        "action": "borrow",
        "max_amount_now": Decimal(0),
        "reasons": [
            {"code": "OVERDUE_UNPAID", "facts": {"overdue_amount": Decimal("1200.10"), "days": 5}}
        ],
        "trace": [{"rule": "overdue_unpaid", "outcome": "OVERDUE_UNPAID"}],
    }
    first = turn(
        intent="cannot_borrow",
        slots={"amount": Decimal(5000)},
        checks=[check],
        answer="您有逾期未还的欠款 1,200.10 元。",
        citations=[
            {"doc_id": "borrowing-rules", "section_id": "overdue-blocks-borrowing", "title": "逾期"}
        ],
        reason_codes=["OVERDUE_UNPAID"],
        next_steps=["REPAY_OVERDUE"],
    )
    assert store.conversations.add_turn(conversation_id, first) == 1
    assert store.conversations.add_turn(conversation_id, turn("那3000呢", handoff=True)) == 2
    turns = store.conversations.turns(conversation_id)
    assert [t.seq for t in turns] == [1, 2]
    assert turns[0].checks[0]["reasons"][0]["facts"]["overdue_amount"] == Decimal("1200.10")
    assert turns[0].citations[0]["section_id"] == "overdue-blocks-borrowing"
    assert turns[0].reason_codes == ["OVERDUE_UNPAID"] and turns[0].next_steps == ["REPAY_OVERDUE"]
    assert turns[1].handoff is True and turns[1].refused is False
    assert turns[1].conversation_id == conversation_id


def test_seq_is_per_conversation(store: Store) -> None:
    a = store.conversations.create("u-1", "zh")
    b = store.conversations.create("u-2", "en")
    assert store.conversations.add_turn(a, turn()) == 1
    assert store.conversations.add_turn(b, turn()) == 1
    assert store.conversations.add_turn(a, turn()) == 2


def test_turn_for_an_unknown_conversation_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.conversations.add_turn("missing", turn())
    assert store.conversations.turns("missing") == []


def test_a_turn_writes_the_state_the_next_turn_reads(store: Store) -> None:
    conversation_id = store.conversations.create("u-1", "en")
    store.conversations.add_turn(conversation_id, turn(),
                                 state={"intent": "cannot_borrow", "amount": Decimal("3000.50")})
    state = store.conversations.get(conversation_id).state
    assert state == {"intent": "cannot_borrow", "amount": Decimal("3000.50")}


def test_a_started_conversation_is_written_with_its_first_turn(store: Store) -> None:
    conversation_id = store.conversations.start("u-1", "en")
    assert store.conversations.get(conversation_id).account_id == "u-1"  # known here already
    other = Store(store.engine)  # another worker on the same database
    assert other.conversations.get(conversation_id) is None  # nothing written yet
    assert store.conversations.add_turn(conversation_id, turn(), state={"intent": "greeting"}) == 1
    record = other.conversations.get(conversation_id)
    assert (record.account_id, record.lang, record.state) == ("u-1", "en", {"intent": "greeting"})
    assert store.conversations.add_turn(conversation_id, turn()) == 2
    assert [t.seq for t in other.conversations.turns(conversation_id)] == [1, 2]


def test_a_started_conversation_whose_turn_failed_leaves_nothing(store: Store) -> None:
    conversation_id = store.conversations.start("u-1", "zh")
    with pytest.raises(Exception):  # noqa: B017 -- any failure inside the transaction
        store.conversations.add_turn(conversation_id, turn(), audits=[{"no_such_column": 1}])
    assert Store(store.engine).conversations.get(conversation_id) is None
    assert store.conversations.turns(conversation_id) == []


def test_concurrent_add_turn_gives_distinct_consecutive_seqs(store: Store) -> None:
    conversation_id = store.conversations.create("u-1", "zh")
    threads, per_thread = 8, 10
    seqs: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def writer(n: int) -> None:
        start.wait()
        try:
            for i in range(per_thread):
                seq = store.conversations.add_turn(conversation_id, turn(f"t{n}-{i}"))
                with lock:
                    seqs.append(seq)
        except Exception as exc:  # noqa: BLE001  (re-raised by the assertion below)
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert sorted(seqs) == list(range(1, threads * per_thread + 1))
    assert [t.seq for t in store.conversations.turns(conversation_id)] == sorted(seqs)
