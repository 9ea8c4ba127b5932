from __future__ import annotations

import pytest

from assistant.errors import UserInputError
from assistant.store.db import Store
from assistant.store.errors import NotFoundError
from assistant.store.records import TurnRecord


@pytest.fixture
def conversation(store: Store) -> str:
    conversation_id = store.conversations.create("demo-frozen", "zh")
    store.conversations.add_turn(conversation_id, TurnRecord(user_text="我要申诉", handoff=True))
    return conversation_id


def test_handoff_round_trip(store: Store, conversation: str) -> None:
    summary = {
        "reason_codes": ["ACCOUNT_FROZEN"],
        "facts": {"status_reason": "risk_control"},
        "trace_id": "abc",
        "conversation_id": conversation,
    }
    handoff_id = store.handoffs.create(
        account_id="demo-frozen", summary=summary, conversation_id=conversation, turn_seq=1
    )
    record = store.handoffs.get(handoff_id)
    assert record is not None
    assert (record.status, record.turn_seq, record.summary) == ("open", 1, summary)
    store.handoffs.set_status(handoff_id, "resolved")
    assert store.handoffs.get(handoff_id).status == "resolved"
    assert store.handoffs.get("missing") is None


def test_handoff_status_is_checked(store: Store) -> None:
    with pytest.raises(UserInputError):
        store.handoffs.create(account_id="u", summary={}, status="lost")
    with pytest.raises(NotFoundError):
        store.handoffs.set_status("missing", "closed")


def test_feedback_needs_an_existing_turn(store: Store, conversation: str) -> None:
    with pytest.raises(NotFoundError):
        store.feedback.add(conversation, 2, "up")
    with pytest.raises(NotFoundError):
        store.feedback.add("missing", 1, "up")


@pytest.mark.parametrize("rating", ["good", "", "UP"])
def test_feedback_rating_is_up_or_down(store: Store, conversation: str, rating: str) -> None:
    with pytest.raises(UserInputError):
        store.feedback.add(conversation, 1, rating)


def test_second_rating_replaces_the_first(store: Store, conversation: str) -> None:
    first = store.feedback.add(conversation, 1, "down", "没说清楚")
    second = store.feedback.add(conversation, 1, "up")
    assert second.id == first.id
    assert (second.rating, second.comment) == ("up", "没说清楚")  # comment kept when none sent
    assert second.created_at == first.created_at and second.updated_at >= first.updated_at
    third = store.feedback.add(conversation, 1, "down", "still unclear")
    assert store.feedback.get(conversation, 1) == third
    assert third.comment == "still unclear"
    assert store.feedback.get(conversation, 5) is None


def test_overlong_comment_is_refused(store: Store, conversation: str) -> None:
    with pytest.raises(UserInputError):
        store.feedback.add(conversation, 1, "up", "x" * 2001)
