"""Like/dislike feedback on one answer.

A second rating of the same turn replaces the first (the user changed their mind: the UI's
thumbs toggle), keeping the original `created_at`; a comment given earlier is kept unless a new
one is sent.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import UserInputError
from assistant.store.errors import NotFoundError
from assistant.store.masking import mask_pii
from assistant.store.records import FeedbackRecord
from assistant.store.schema import Feedback, Turn, utcnow
from assistant.store.transactions import transaction
from assistant.store.upsert import upsert

MAX_COMMENT_LENGTH = 2000


class FeedbackRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(
        self, conversation_id: str, turn_seq: int, rating: str, comment: str | None = None
    ) -> FeedbackRecord:
        """Store (or replace) the rating of one turn; the turn must exist."""
        if rating not in ("up", "down"):
            raise UserInputError("rating must be 'up' or 'down'")
        if comment is not None and len(comment) > MAX_COMMENT_LENGTH:
            raise UserInputError(f"comment is longer than {MAX_COMMENT_LENGTH} characters")
        now = utcnow()
        row = {
            "conversation_id": conversation_id,
            "turn_seq": turn_seq,
            "rating": rating,
            # Customers type card and phone numbers into complaints: never store them in clear.
            "comment": mask_pii(comment) if comment is not None else None,
            "created_at": now,
            "updated_at": now,
        }
        updated = ["rating", "updated_at"] + (["comment"] if comment is not None else [])
        with transaction(self._sessions) as session:
            turn = session.scalar(
                select(Turn.id).where(Turn.conversation_id == conversation_id, Turn.seq == turn_seq)
            )
            if turn is None:
                raise NotFoundError(f"conversation {conversation_id!r} has no turn {turn_seq}")
            upsert(
                session,
                Feedback,
                [row],
                key=["conversation_id", "turn_seq"],
                update=updated,
            )
            stored = session.scalars(
                select(Feedback).where(
                    Feedback.conversation_id == conversation_id, Feedback.turn_seq == turn_seq
                )
            ).one()
            return FeedbackRecord.model_validate(stored, from_attributes=True)

    def get(self, conversation_id: str, turn_seq: int) -> FeedbackRecord | None:
        """The rating of one turn, or None."""
        with transaction(self._sessions) as session:
            row = session.scalars(
                select(Feedback).where(
                    Feedback.conversation_id == conversation_id, Feedback.turn_seq == turn_seq
                )
            ).one_or_none()
            return FeedbackRecord.model_validate(row, from_attributes=True) if row else None
