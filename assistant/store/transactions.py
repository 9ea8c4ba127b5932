"""One transaction per repository call, with database outages turned into ServiceUnavailable.

A locked SQLite file (after its busy timeout) or an unreachable PostgreSQL server is an operator
problem that usually passes: the caller gets `ServiceUnavailable` with one clear line, the
connection is returned to (or dropped from) the pool, and the next call simply tries again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import ServiceUnavailable


def unavailable_message(exc: BaseException) -> str:
    """A one-line description of a database outage, without SQL or parameters."""
    original = getattr(exc, "orig", None) or exc
    first_line = (str(original).strip().splitlines() or [type(original).__name__])[0]
    if "locked" in first_line or "busy" in first_line:
        hint = "the database is busy (locked by another writer)"
    else:
        hint = "the database cannot be reached"
    return f"account store: {hint}: {first_line[:200]}"


def is_outage(exc: BaseException) -> bool:
    """True for errors that mean "the database is not available now", not "the code is wrong"."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in a transaction: committed on success, rolled back on any error."""
    try:
        with sessions.begin() as session:
            yield session
    except DBAPIError as exc:
        if is_outage(exc):
            raise ServiceUnavailable(unavailable_message(exc)) from exc
        raise
    except PoolTimeoutError as exc:
        raise ServiceUnavailable(unavailable_message(exc)) from exc


def affected_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed."""
    return cast(CursorResult[Any], result).rowcount
