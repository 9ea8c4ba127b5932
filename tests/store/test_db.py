from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from assistant.errors import ConfigError, ServiceUnavailable
from assistant.settings import Settings
from assistant.store.db import Store, current_revision, make_engine, migrate
from assistant.store.migrations import HEAD, alembic_config
from assistant.store.schema import Base
from assistant.store.seed import load_demo_accounts

TABLES = {"accounts", "conversations", "turns", "handoffs", "feedback", "audit_log", "store_meta"}
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_head_constant_matches_the_migration_scripts() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_upgrade_from_empty_creates_the_schema_the_models_describe(store: Store) -> None:
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD
        assert TABLES <= set(inspect(connection).get_table_names())
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs == []


def test_migrate_twice_is_a_no_op(store: Store) -> None:
    migrate(store.engine)
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD


def test_open_creates_the_data_directory_and_a_wal_sqlite_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "nested" / "data")
    with Store.open(settings, seed_demo=False) as store:
        assert store.backend == "sqlite"
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "nested" / "data" / "limit-assistant.sqlite3").is_file()


def test_in_memory_sqlite_is_shared_between_threads() -> None:
    store = Store(make_engine("sqlite://"))
    migrate(store.engine)
    store.accounts.put("u-1", {"account_id": "u-1"})
    import threading

    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(store.accounts.get("u-1")))
    worker.start()
    worker.join()
    assert seen == [{"account_id": "u-1"}]


@pytest.mark.parametrize(
    "url", ["mysql://u@localhost/db", "not a url", "oracle+cx_oracle://u@h/db"]
)
def test_unsupported_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        make_engine(url)


def test_plain_postgresql_url_uses_psycopg_3() -> None:
    engine = make_engine("postgresql://u@127.0.0.1:1/db")
    assert engine.dialect.driver == "psycopg"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_postgres_is_service_unavailable(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_free_port()}/nothing"
    with pytest.raises(ServiceUnavailable, match="cannot be reached"):
        Store.open(Settings(data_dir=tmp_path, database_url=url))


def test_locked_sqlite_is_service_unavailable_then_recovers(tmp_path: Path) -> None:
    store = Store.open(Settings(data_dir=tmp_path), seed_demo=False, busy_timeout_ms=100)
    store.accounts.put("u-1", {"account_id": "u-1", "n": 1})
    blocker = sqlite3.connect(tmp_path / "limit-assistant.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(ServiceUnavailable, match="busy"):
            store.accounts.put("u-1", {"account_id": "u-1", "n": 2})
        with pytest.raises(ServiceUnavailable):
            store.conversations.create("u-1", "zh")
        assert store.accounts.get("u-1") == {"account_id": "u-1", "n": 1}  # WAL: reads go on
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.accounts.put("u-1", {"account_id": "u-1", "n": 3})
    assert store.accounts.get("u-1")["n"] == 3
    store.close()


@pytest.mark.postgres
def test_dropped_postgres_connections_recover_on_the_next_call(
    pg_schema_url: str, tmp_path: Path
) -> None:
    store = Store.open(Settings(data_dir=tmp_path, database_url=pg_schema_url), seed_demo=False)
    store.accounts.put("u-1", {"account_id": "u-1"})
    admin = create_engine(pg_schema_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert killed >= 1
    assert store.accounts.get("u-1") == {"account_id": "u-1"}  # pool_pre_ping reconnects
    store.close()


def test_processes_starting_at_once_all_succeed(db_settings: Settings) -> None:
    env = {**os.environ, "LIMIT_ASSISTANT_DATA_DIR": str(db_settings.data_dir)}
    if db_settings.database_url:
        env["LIMIT_ASSISTANT_DATABASE_URL"] = db_settings.database_url
    code = (
        "from assistant.settings import Settings; from assistant.store.db import Store; "
        "Store.open(Settings()).close()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    failures = [p.stderr.read() for p in processes if p.wait(timeout=60) != 0]
    assert failures == []
    with Store.open(db_settings) as store:
        assert len(store.accounts.list(demo_only=True)) == len(load_demo_accounts())
