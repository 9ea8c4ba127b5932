"""Hand-off records: a case a human agent picks up, with the summary they act on."""

from __future__ import annotations

import uuid
from typing import Any, get_args

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import UserInputError
from assistant.store.errors import NotFoundError
from assistant.store.records import HandoffRecord, HandoffStatus
from assistant.store.schema import Handoff, utcnow
from assistant.store.transactions import affected_rows, transaction

STATUSES = get_args(HandoffStatus)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise UserInputError(f"hand-off status must be one of {', '.join(STATUSES)}")


class HandoffRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(
        self,
        *,
        account_id: str,
        summary: dict[str, Any],
        conversation_id: str | None = None,
        turn_seq: int | None = None,
        status: str = "open",
    ) -> str:
        """Record a hand-off (reason codes, facts, trace id … in `summary`); returns its id."""
        _check_status(status)
        handoff_id = str(uuid.uuid4())
        with transaction(self._sessions) as session:
            session.add(
                Handoff(
                    id=handoff_id,
                    account_id=account_id,
                    summary=summary,
                    conversation_id=conversation_id,
                    turn_seq=turn_seq,
                    status=status,
                    created_at=utcnow(),
                )
            )
        return handoff_id

    def get(self, handoff_id: str) -> HandoffRecord | None:
        """One hand-off, or None."""
        with transaction(self._sessions) as session:
            row = session.get(Handoff, handoff_id)
            return HandoffRecord.model_validate(row, from_attributes=True) if row else None

    def set_status(self, handoff_id: str, status: str) -> None:
        """Move a hand-off along (open → in_progress → resolved/closed)."""
        _check_status(status)
        with transaction(self._sessions) as session:
            changed = affected_rows(
                session.execute(
                    update(Handoff).where(Handoff.id == handoff_id).values(status=status)
                )
            )
            if not changed:
                raise NotFoundError(f"unknown hand-off {handoff_id!r}")
