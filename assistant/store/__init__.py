"""The persistent store: accounts, conversations, turns, decision records, hand-offs, feedback and
the audit log.

SQLAlchemy 2 over SQLite (embedded default, a file in the data directory) or PostgreSQL (by
`LIMIT_ASSISTANT_DATABASE_URL`), schema managed by Alembic migrations shipped in this package.
Open it once with `Store.open(settings)` and pass it down; repositories return pydantic
records, never ORM objects. SQLAlchemy is imported only when the store is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.store.db import Store, make_engine, migrate

__all__ = ["Store", "make_engine", "migrate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from assistant.store import db

        return getattr(db, name)
    raise AttributeError(name)
