"""Alembic environment: runs on the connection `assistant.store.db.migrate` hands over."""

from __future__ import annotations

from alembic import context

from assistant.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by the developer helper `revision()`
    from sqlalchemy import create_engine

    connection = create_engine(
        context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    ).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
