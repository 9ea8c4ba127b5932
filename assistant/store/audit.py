"""The audit log: every check with its full trace and the policy version that decided it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import UserInputError
from assistant.store.records import AuditRecord
from assistant.store.schema import AuditEntry, utcnow
from assistant.store.transactions import transaction

EXPORT_BATCH = 500


class AuditRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(
        self,
        *,
        account_id: str,
        action: str,
        request: dict[str, Any],
        result: dict[str, Any],
        policy_version: str,
        conversation_id: str | None = None,
    ) -> int:
        """Append one audited check (request and result including its trace); returns the id."""
        entry = AuditEntry(
            account_id=account_id,
            action=action,
            request=request,
            result=result,
            policy_version=policy_version,
            conversation_id=conversation_id,
            created_at=utcnow(),
        )
        with transaction(self._sessions) as session:
            session.add(entry)
            session.flush()
            return entry.id

    def since(self, start: datetime, end: datetime | None = None) -> Iterator[AuditRecord]:
        """Entries created at or after `start` (and before `end`), oldest first, streamed."""
        if start.tzinfo is None or (end is not None and end.tzinfo is None):
            raise UserInputError("audit export times need a UTC offset")
        statement = select(AuditEntry).where(AuditEntry.created_at >= start)
        if end is not None:
            statement = statement.where(AuditEntry.created_at < end)
        statement = statement.order_by(AuditEntry.created_at, AuditEntry.id).execution_options(
            yield_per=EXPORT_BATCH
        )
        with transaction(self._sessions) as session:
            for row in session.scalars(statement):
                yield AuditRecord.model_validate(row, from_attributes=True)
