"""One transaction per repository call, with database outages turned into ServiceUnavailable.

A locked SQLite file (after its busy timeout), an unreachable PostgreSQL server or a damaged
database file is an operator problem (the first two usually pass): the caller gets `ServiceUnavailable` with one clear line, the
connection is returned to (or dropped from) the pool, and the next call simply tries again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Engine, Result
from sqlalchemy.exc import DatabaseError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import ServiceUnavailable

# SQLite's words for a file it cannot use as a database: overwritten, truncated, encrypted.
_DAMAGED = ("file is not a database", "malformed", "not a database", "file is encrypted")
_UNOPENABLE = ("unable to open database file", "readonly database", "disk i/o error")


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0][:200]


def unavailable_message(exc: BaseException) -> str:
    """A one-line description of a database outage, without SQL or parameters, that says what
    the operator can do about it."""
    first_line = _first_line(exc)
    lowered = first_line.lower()
    if "locked" in lowered or "busy" in lowered:
        hint = "the database is busy (locked by another writer); retry shortly"
    elif is_damaged(exc):
        hint = ("the database file is damaged; restore it from a backup, or move it out of the data "
                "directory to start an empty store (the demo accounts are re-created on start)")
    elif any(word in lowered for word in _UNOPENABLE):
        hint = ("the database file cannot be opened or written; check that the data directory "
                "exists, is writable by this user and has free space")
    else:
        hint = "the database cannot be reached; check that it is running and the URL is right"
    return f"account store: {hint} ({first_line})"


def is_damaged(exc: BaseException) -> bool:
    """A database file that exists but cannot be read as one (a damaged SQLite file)."""
    return isinstance(exc, DatabaseError) and any(word in _first_line(exc).lower() for word in _DAMAGED)


def is_outage(exc: BaseException) -> bool:
    """True for errors that mean "the database is not usable now", not "the code is wrong":
    unreachable, locked, unopenable or damaged. The operator acts; the code is fine."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    if is_damaged(exc):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@contextmanager
def _outages_as_unavailable() -> Iterator[None]:
    """A lost or exhausted database is the operator's problem (ServiceUnavailable), not a bug."""
    try:
        yield
    except DBAPIError as exc:
        if is_outage(exc):
            raise ServiceUnavailable(unavailable_message(exc)) from exc
        raise
    except PoolTimeoutError as exc:
        raise ServiceUnavailable(unavailable_message(exc)) from exc


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in a transaction: committed on success, rolled back on any error."""
    with _outages_as_unavailable(), sessions.begin() as session:
        yield session


@contextmanager
def core_transaction(sessions: sessionmaker[Session]) -> Iterator[Connection]:
    """A connection in a transaction, without an ORM session: for the fixed Core statements of
    a chat turn (the session's bookkeeping was a fifth of a turn's store CPU, bench/api.py).
    Committed on success, rolled back on any error; outages as in `transaction`."""
    engine = cast(Engine, sessions.kw["bind"])
    with _outages_as_unavailable(), engine.begin() as connection:
        yield connection


def affected_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed."""
    return cast(CursorResult[Any], result).rowcount
