"""Decision records: one per answered turn, immutable (issue 17).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out rather than imported from `schema.py`, so this revision never changes when the
# models move on.
TS = sa.DateTime(timezone=True)
AUTO_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
HASH = sa.String(64)
IMMUTABLE = "decision records are immutable"


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", AUTO_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "conversation_id",
            sa.String(36),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("turn_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("default_lang", sa.String(8), nullable=False),
        sa.Column("product", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("snapshot_sha256", HASH, nullable=False),
        sa.Column("platform", sa.Text(), nullable=True),
        sa.Column("platform_sha256", HASH, nullable=True),
        sa.Column("requested_at", sa.String(40), nullable=True),
        sa.Column("request_time", sa.String(40), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("policy_sha256", HASH, nullable=True),
        sa.Column("package_version", sa.String(64), nullable=True),
        sa.Column("git_commit", sa.String(64), nullable=True),
        sa.Column("code_sha256", HASH, nullable=True),
        sa.Column("intent_model_sha256", HASH, nullable=True),
        sa.Column("knowledge_sha256", HASH, nullable=True),
        sa.Column("phraser", sa.String(64), nullable=True),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("answer_sha256", HASH, nullable=False),
        sa.Column("deterministic_sha256", HASH, nullable=True),
        sa.Column("wording", sa.JSON(), nullable=False),
        sa.Column("record_sha256", HASH, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("conversation_id", "turn_seq", name="uq_decisions_conversation_turn"),
    )
    _refuse_updates()


def _refuse_updates() -> None:
    """The database itself refuses UPDATE, so no code path (ours or a console) can rewrite a
    record. DELETE stays possible: erasure and retention act on whole conversations."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION decisions_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{IMMUTABLE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER decisions_immutable BEFORE UPDATE ON decisions "
            "FOR EACH ROW EXECUTE FUNCTION decisions_refuse_update()"
        )
    else:
        op.execute(
            "CREATE TRIGGER decisions_immutable BEFORE UPDATE ON decisions "
            f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
        )


def downgrade() -> None:
    op.drop_table("decisions")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS decisions_refuse_update()")
