"""Conversations and their turns: the dialogue history several server workers share."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import UserInputError
from assistant.store.decisions import decision_values
from assistant.store.errors import NotFoundError
from assistant.store.jsoncodec import Encoded
from assistant.store.records import ConversationRecord, DecisionRecord, StoredTurn, TurnRecord
from assistant.store.schema import AuditEntry, Conversation, Decision, Handoff, Turn, utcnow
from assistant.store.transactions import affected_rows, core_transaction, transaction
from assistant.store.writequeue import WriteQueue

# A duplicate seq can only come from a writer that bypassed the row lock below; retrying once
# or twice is enough for that, and a bounded loop never spins.
SEQ_ATTEMPTS = 3
# Conversations started (`start`) whose first turn is not stored yet. A turn that failed leaves
# its entry behind; the oldest are forgotten beyond this many.
MAX_PENDING = 10_000


_INSERT_CONVERSATION = insert(Conversation)
_INSERT_TURN = insert(Turn)
_INSERT_AUDIT = insert(AuditEntry)
_INSERT_DECISION = insert(Decision)
_INSERT_HANDOFF = insert(Handoff)
_HANDOFF_EXISTS = select(Handoff.id).where(Handoff.id == bindparam("id"))
_TOUCH = (update(Conversation).where(Conversation.id == bindparam("conversation_id"))
          .values(updated_at=bindparam("updated_at")))
_TOUCH_WITH_STATE = _TOUCH.values(state=bindparam("state", type_=Conversation.__table__.c.state.type))
_READ = (select(Conversation.id, Conversation.account_id, Conversation.lang, Conversation.state,
                Conversation.created_at, Conversation.updated_at)
         .where(Conversation.id == bindparam("conversation_id")))
_LAST_SEQ = select(func.max(Turn.seq)).where(Turn.conversation_id == bindparam("conversation_id"))


def _reuse_check_texts(turn: TurnRecord, audits: Sequence[dict[str, Any]],
                       decision: DecisionRecord | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The turn's column values and the audit rows, with the check data the decision record has
    already written as JSON (the same objects) given as that text: a turn's checks, with their
    traces, are serialised once for the record, the turn and the audit log."""
    fields = {name: getattr(turn, name) for name in TurnRecord.model_fields}  # no deep copy
    rows = list(audits)
    if decision is None:
        return fields, rows
    texts = [text for check in turn.checks if (text := decision.check_text(check)) is not None]
    if turn.checks and len(texts) == len(turn.checks):
        fields["checks"] = Encoded("[" + ",".join(texts) + "]")
    for i, row in enumerate(rows):
        text = decision.check_text(row.get("result"))
        if text is not None:
            rows[i] = {**row, "result": Encoded(text)}
    return fields, rows


@dataclass(frozen=True)
class _Pending:
    account_id: str
    lang: str
    created_at: datetime


class ConversationRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._pending: OrderedDict[str, _Pending] = OrderedDict()
        self._pending_lock = threading.Lock()
        # SQLite has one writer at a time, and a waiting writer polls with growing sleeps (1, 2,
        # 5, 10 ms …): turn writes of every thread and worker process queue on a lock instead,
        # woken as soon as the writer before them commits (assistant.store.writequeue).
        bind = sessions.kw.get("bind")
        self._write_lock: AbstractContextManager[Any] = (
            WriteQueue(bind.url.database) if bind is not None and bind.dialect.name == "sqlite" else nullcontext())

    def start(self, account_id: str, lang: str) -> str:
        """A new conversation's id, written with its first turn (`add_turn`, one transaction):
        a turn that fails leaves no empty conversation, and a turn costs one round trip.
        Until then only this repository knows the id (`get` finds it); nobody else has it."""
        if lang not in ("zh", "en"):
            raise UserInputError(f"language must be zh or en, not {lang!r}")
        conversation_id = str(uuid.uuid4())
        with self._pending_lock:
            self._pending[conversation_id] = _Pending(account_id, lang, utcnow())
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
        return conversation_id

    def create(self, account_id: str, lang: str, state: dict[str, Any] | None = None, *,
               conversation_id: str | None = None) -> str:
        """Start a conversation about one account; returns its id (a new UUID string unless
        `conversation_id` is given: a replay re-creates a recorded conversation under its id)."""
        if lang not in ("zh", "en"):
            raise UserInputError(f"language must be zh or en, not {lang!r}")
        conversation_id = conversation_id or str(uuid.uuid4())
        now = utcnow()
        with transaction(self._sessions) as session:
            session.add(
                Conversation(
                    id=conversation_id,
                    account_id=account_id,
                    lang=lang,
                    state=state or {},
                    created_at=now,
                    updated_at=now,
                )
            )
        return conversation_id

    def get(self, conversation_id: str) -> ConversationRecord | None:
        """The conversation with its dialogue state, or None."""
        pending = self._pending.get(conversation_id)
        if pending is not None:
            return ConversationRecord(id=conversation_id, account_id=pending.account_id, lang=pending.lang,
                                      state={}, created_at=pending.created_at, updated_at=pending.created_at)
        with core_transaction(self._sessions) as connection:
            row = connection.execute(_READ, {"conversation_id": conversation_id}).first()
            return ConversationRecord.model_validate(row._mapping) if row else None

    def add_turn(
        self,
        conversation_id: str,
        turn: TurnRecord,
        *,
        state: dict[str, Any] | None = None,
        audits: Sequence[dict[str, Any]] = (),
        handoffs: Sequence[dict[str, Any]] = (),
        decision: DecisionRecord | None = None,
    ) -> int:
        """Append a turn and return its sequence number (1, 2, …; unique per conversation).

        The turn, the conversation's new dialogue `state`, the `audits` (AuditEntry fields of
        the checks the turn ran), its `handoffs` (Handoff fields: id, account_id, summary) and
        its `decision` record are written in one transaction: a failure stores none of them, so
        a retried turn is never stored twice and no answered turn lacks its record.
        """
        for attempt in range(SEQ_ATTEMPTS):
            try:
                return self._insert_turn(conversation_id, turn, state, audits, handoffs, decision)
            except IntegrityError:
                if attempt == SEQ_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _insert_turn(
        self,
        conversation_id: str,
        turn: TurnRecord,
        state: dict[str, Any] | None,
        audits: Sequence[dict[str, Any]],
        handoffs: Sequence[dict[str, Any]] = (),
        decision: DecisionRecord | None = None,
    ) -> int:
        pending = self._pending.get(conversation_id)
        turn_fields, audit_rows = _reuse_check_texts(turn, audits, decision)  # before the write lock
        with self._write_lock, core_transaction(self._sessions) as connection:
            # Core inserts of fixed statements (values as parameters, so SQLAlchemy compiles each
            # once): the ORM's unit of work was most of a turn's store time (bench/api.py).
            now = utcnow()
            if pending is not None:  # its first turn: the conversation is written with it
                connection.execute(_INSERT_CONVERSATION, {
                    "id": conversation_id, "account_id": pending.account_id, "lang": pending.lang,
                    "state": state or {}, "created_at": pending.created_at, "updated_at": now})
                seq = 1
            else:
                seq = self._next_seq(connection, conversation_id, state, now)
            connection.execute(_INSERT_TURN, {"conversation_id": conversation_id, "seq": seq, "created_at": now,
                                              **turn_fields})
            if audit_rows:
                connection.execute(_INSERT_AUDIT,
                                   [{"conversation_id": conversation_id, "created_at": now, **a} for a in audit_rows])
            for handoff in handoffs:
                # A conversation has one case: a second hand-off request keeps its number.
                if connection.execute(_HANDOFF_EXISTS, {"id": handoff["id"]}).first() is not None:
                    continue
                connection.execute(_INSERT_HANDOFF, {"conversation_id": conversation_id, "turn_seq": seq,
                                                     "status": "open", "created_at": now, **handoff})
            if decision is not None:
                connection.execute(_INSERT_DECISION, decision_values(conversation_id, seq, decision, now))
        if pending is not None:
            with self._pending_lock:
                self._pending.pop(conversation_id, None)
        return seq

    @staticmethod
    def _next_seq(connection: Connection, conversation_id: str, state: dict[str, Any] | None, now: datetime) -> int:
        # Touching the conversation row first takes its write lock (a row lock on PostgreSQL,
        # the database write lock on SQLite), so concurrent writers of one conversation queue
        # here and each then reads the latest seq.
        params: dict[str, Any] = {"conversation_id": conversation_id, "updated_at": now}
        if state is not None:
            params["state"] = state
        touch = _TOUCH_WITH_STATE if state is not None else _TOUCH
        if not affected_rows(connection.execute(touch, params)):
            raise NotFoundError(f"unknown conversation {conversation_id!r}")
        last = connection.execute(_LAST_SEQ, {"conversation_id": conversation_id}).scalar()
        return (last or 0) + 1

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        """All turns of a conversation in order (empty if it has none or does not exist)."""
        statement = select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.seq)
        with transaction(self._sessions) as session:
            return [
                StoredTurn.model_validate(row, from_attributes=True)
                for row in session.scalars(statement)
            ]
