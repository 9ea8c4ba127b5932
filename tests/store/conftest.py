"""Store fixtures: every repository test runs on SQLite (a file under tmp_path) and, when
LIMIT_ASSISTANT_TEST_PG_URL is set (see .ci/postgres.sh), on PostgreSQL in a fresh schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from assistant.settings import Settings
from assistant.store.db import Store

PG_URL = os.environ.get("LIMIT_ASSISTANT_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LIMIT_ASSISTANT_DATABASE_URL", raising=False)
    monkeypatch.delenv("LIMIT_ASSISTANT_CONFIG", raising=False)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new, empty schema (dropped afterwards)."""
    if not PG_URL:
        pytest.skip("LIMIT_ASSISTANT_TEST_PG_URL is not set (run .ci/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings pointing at an empty database of each back-end."""
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data")
    return Settings(
        data_dir=tmp_path / "data", database_url=request.getfixturevalue("pg_schema_url")
    )


@pytest.fixture
def store(db_settings: Settings) -> Iterator[Store]:
    """An empty, migrated store (no demo accounts)."""
    opened = Store.open(db_settings, seed_demo=False)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(db_settings: Settings) -> Iterator[Store]:
    """A migrated store seeded with the demo accounts."""
    opened = Store.open(db_settings)
    yield opened
    opened.close()
