"""Table definitions (SQLAlchemy 2 declarative). The schema itself is created by the Alembic
migrations in `assistant/store/migrations`; a test checks both agree.

These ORM classes stay inside `assistant.store`: repositories turn rows into pydantic records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC on every back-end (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store only accepts timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The store's clock: creation and update times only, never a business decision."""
    return datetime.now(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
AutoId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


class Account(Base):
    __tablename__ = "accounts"

    account_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The platform state (maintenance windows, funding quota) a demo account is meant to be
    # checked with; null for real accounts, whose platform state is not per account.
    platform: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(128), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Turn(Base):
    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("conversation_id", "seq", name="uq_turns_conversation_seq"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    user_text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(40))
    slots: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    checks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text, default="")
    citations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    next_steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    handoff: Mapped[bool] = mapped_column(Boolean, default=False)
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Handoff(Base):
    __tablename__ = "handoffs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    turn_seq: Mapped[int | None] = mapped_column(Integer)
    account_id: Mapped[str] = mapped_column(String(128), index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("conversation_id", "turn_seq", name="uq_feedback_conversation_turn"),
        CheckConstraint("rating IN ('up', 'down')", name="ck_feedback_rating"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    turn_seq: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(4))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(128), index=True)
    action: Mapped[str] = mapped_column(String(32))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36))


class Decision(Base):
    """One answered turn's decision record (`assistant.decisions`): written with its turn, never
    updated (the migration adds a trigger that refuses UPDATE on every back-end)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("conversation_id", "turn_seq", name="uq_decisions_conversation_turn"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    turn_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    default_lang: Mapped[str] = mapped_column(String(8))
    product: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot: Mapped[str] = mapped_column(Text)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str | None] = mapped_column(Text)
    platform_sha256: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[str | None] = mapped_column(String(40))
    request_time: Mapped[str] = mapped_column(String(40))
    policy_version: Mapped[str] = mapped_column(String(32))
    policy_sha256: Mapped[str | None] = mapped_column(String(64))
    package_version: Mapped[str | None] = mapped_column(String(64))
    git_commit: Mapped[str | None] = mapped_column(String(64))
    code_sha256: Mapped[str | None] = mapped_column(String(64))
    intent_model_sha256: Mapped[str | None] = mapped_column(String(64))
    knowledge_sha256: Mapped[str | None] = mapped_column(String(64))
    phraser: Mapped[str | None] = mapped_column(String(64))
    checks: Mapped[list[Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer_sha256: Mapped[str] = mapped_column(String(64))
    deterministic_sha256: Mapped[str | None] = mapped_column(String(64))
    wording: Mapped[dict[str, Any]] = mapped_column(JSON)
    record_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoreMeta(Base):
    """Key/value facts about the store itself (e.g. which demo fixture was seeded)."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
