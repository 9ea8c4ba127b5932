"""Decision records: read-only access. A record is written only with its turn, in the turn's
transaction (`ConversationRepository.add_turn(decision=…)`), and never changed afterwards:
this repository has no update or delete, and the database refuses UPDATE (migration 0002)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import UserInputError
from assistant.store.jsoncodec import Encoded
from assistant.store.records import DecisionRecord, StoredDecision
from assistant.store.schema import Decision
from assistant.store.transactions import transaction

EXPORT_BATCH = 500
# The record's fields stored in JSON columns (the rest are text and hashes).
JSON_FIELDS = ("product", "checks", "plan", "answer", "wording")


def decision_values(conversation_id: str, turn_seq: int, record: DecisionRecord,
                    created_at: datetime) -> dict[str, Any]:
    """The column values of `record`'s row (add_turn inserts them inside its transaction).

    The record's own values, not a `model_dump` copy: the row is written and the record is
    frozen, so copying its checks and answer only cost time. Its JSON columns are written from
    the text `build_decision` already made for the record's hash (`jsoncodec.Encoded`)."""
    values = {name: getattr(record, name) for name in DecisionRecord.model_fields}
    for name in JSON_FIELDS:
        text = record.encoded(name)
        if text is not None and values[name] is not None:  # None stays SQL NULL
            values[name] = Encoded(text)
    values.update(conversation_id=conversation_id, turn_seq=turn_seq, created_at=created_at)
    return values


def decision_row(conversation_id: str, turn_seq: int, record: DecisionRecord, created_at: datetime) -> Decision:
    """The ORM row for `record`."""
    return Decision(**decision_values(conversation_id, turn_seq, record, created_at))


class DecisionRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def for_conversation(self, conversation_id: str) -> list[StoredDecision]:
        """The conversation's records in turn order (empty for an unknown conversation)."""
        statement = (select(Decision).where(Decision.conversation_id == conversation_id)
                     .order_by(Decision.turn_seq))
        with transaction(self._sessions) as session:
            return [StoredDecision.model_validate(row, from_attributes=True) for row in session.scalars(statement)]

    def get(self, conversation_id: str, turn_seq: int) -> StoredDecision | None:
        """The record of one turn, or None."""
        statement = select(Decision).where(Decision.conversation_id == conversation_id,
                                           Decision.turn_seq == turn_seq)
        with transaction(self._sessions) as session:
            row = session.scalars(statement).first()
            return StoredDecision.model_validate(row, from_attributes=True) if row else None

    def since(self, start: datetime, end: datetime) -> Iterator[StoredDecision]:
        """Records created in [start, end), oldest first, streamed (for exports)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise UserInputError("decision export times need a UTC offset")
        statement = (select(Decision).where(Decision.created_at >= start, Decision.created_at < end)
                     .order_by(Decision.created_at, Decision.id).execution_options(yield_per=EXPORT_BATCH))
        with transaction(self._sessions) as session:
            for row in session.scalars(statement):
                yield StoredDecision.model_validate(row, from_attributes=True)
