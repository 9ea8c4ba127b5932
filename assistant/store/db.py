"""Engine, migrations and the `Store` that owns them.

`Store.open(settings)` is the one entry point: it makes the engine for the configured URL
(SQLite file in the data directory by default), brings the schema to the newest Alembic
revision and seeds the demo accounts, then exposes the repositories. Build it once per process
and pass it down; it is thread-safe (one session per call).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from assistant.errors import ConfigError, ServiceUnavailable
from assistant.settings import Settings
from assistant.store import jsoncodec
from assistant.store.accounts import AccountRepository
from assistant.store.audit import AuditRepository
from assistant.store.conversations import ConversationRepository
from assistant.store.decisions import DecisionRepository
from assistant.store.feedback import FeedbackRepository
from assistant.store.handoffs import HandoffRepository
from assistant.store.migrations import HEAD, alembic_config
from assistant.store.seed import DEMO_FIXTURE, ensure_demo_accounts
from assistant.store.transactions import is_outage, unavailable_message

log = logging.getLogger("limit_assistant.store")

SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_POOL_SIZE = 40  # anyio's default worker-thread limit, which runs FastAPI's blocking routes
POSTGRES_CONNECT_TIMEOUT_S = 5


def _parse_url(url: str) -> URL:
    # `postgresql://` alone would pick psycopg2, which we do not ship; psycopg 3 is the driver.
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        return make_url(url)
    except ArgumentError:
        raise ConfigError(f"database URL is not a valid SQLAlchemy URL: {url!r}") from None


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, tuned for several threads and processes."""
    parsed = _parse_url(url)
    options: dict[str, Any] = {
        "json_serializer": jsoncodec.dumps,
        "json_deserializer": jsoncodec.loads,
        # Statement parameters carry customers' messages: keep them out of logs and errors.
        "hide_parameters": True,
    }
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        options["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        if parsed.database in (None, "", ":memory:"):
            options["poolclass"] = StaticPool  # one shared in-memory database for all threads
        else:
            # As many pooled connections as a web worker has threads: with the default 5, busy
            # workers opened (and closed after one turn) an extra connection per request, each
            # with its PRAGMAs (bench/api.py profile). A SQLite connection is only a file handle.
            options["pool_size"] = SQLITE_POOL_SIZE
    elif backend == "postgresql":
        options["pool_pre_ping"] = True
        options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    else:
        raise ConfigError(f"unsupported database back-end {backend!r}: use SQLite or PostgreSQL")
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"no driver for {parsed.drivername} ({exc}); for PostgreSQL install "
            "'limit-assistant[postgres]' (psycopg 3) and use postgresql+psycopg://"
        ) from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms, parsed.database))
        # pysqlite commits DDL on its own, so a migration cut short (a full disk) left tables
        # without alembic_version and the store never started again. Taking over BEGIN makes
        # every transaction, DDL included, all-or-nothing (SQLAlchemy's documented recipe).
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    return engine


def _sqlite_pragmas(busy_timeout_ms: int, database: str | None) -> Any:
    on_disk = database not in (None, "", ":memory:")

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers go on while one process writes; the busy timeout makes writers queue
        # instead of failing at once; NORMAL sync is safe with WAL and much faster.
        if on_disk:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        dbapi_connection.isolation_level = None  # no implicit transactions: see "begin" above

    return on_connect


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose records stay readable after commit (repositories copy them out anyway)."""
    return sessionmaker(engine, expire_on_commit=False)


def current_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at, or None for an empty database."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


# Any fixed 64-bit number: the PostgreSQL advisory lock all limit-assistant processes share.
_PG_MIGRATION_LOCK = (
    int.from_bytes(hashlib.sha256(b"limit-assistant:migrate").digest()[:8], "big") >> 1
)


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision; safe when several processes start at once.

    PostgreSQL: a transaction-scoped advisory lock serialises the upgrades (DDL is
    transactional). SQLite: an exclusive lock on a file next to the database does the same;
    whoever comes second finds the schema current and does nothing.
    """
    with _startup_lock(engine):
        _migrate(engine)


def _migrate(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            if current_revision(connection) == HEAD:
                return
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            if current_revision(connection) == HEAD:
                return
            from alembic import command

            log.info(
                "migrating the store at %s to revision %s", engine.url.render_as_string(), HEAD
            )
            command.upgrade(alembic_config(connection), "head")
    except DBAPIError as exc:
        if is_outage(exc):
            raise ServiceUnavailable(unavailable_message(exc)) from exc
        raise


@contextlib.contextmanager
def _startup_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own write lock is all there is
        yield
        return
    with open(f"{database}.migrate-lock", "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


class Store:
    """The persistent store: one engine and the repositories that share it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)
        self.accounts = AccountRepository(self.sessions)
        self.conversations = ConversationRepository(self.sessions)
        self.handoffs = HandoffRepository(self.sessions)
        self.feedback = FeedbackRepository(self.sessions)
        self.audit = AuditRepository(self.sessions)
        self.decisions = DecisionRepository(self.sessions)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        seed_demo: bool = True,
        fixture: Path = DEMO_FIXTURE,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    ) -> Store:
        """Connect to the configured database, migrate it and seed the demo accounts."""
        url = settings.resolved_database_url
        _create_sqlite_directory(url)
        store = cls(make_engine(url, busy_timeout_ms=busy_timeout_ms))
        try:
            # Seeding under the same lock as the migration: two web workers starting together
            # otherwise raced for SQLite's write lock and one warm-up failed "database is
            # locked" (about one bench/api.py start in five).
            with _startup_lock(store.engine):
                _migrate(store.engine)
                if seed_demo:
                    ensure_demo_accounts(store.sessions, fixture)
        except BaseException:
            store.close()
            raise
        return store

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def ping(self) -> None:
        """Raise ServiceUnavailable unless the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except DBAPIError as exc:
            raise ServiceUnavailable(unavailable_message(exc)) from exc

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _create_sqlite_directory(url: str) -> None:
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        try:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the data directory for {parsed.database}: {exc}"
            ) from None
