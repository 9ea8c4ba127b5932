"""Fault-injection fixtures: an isolated environment, a small disk, the PostgreSQL server to stop
and restart, and the golden index built once per session that every fault test compares with.
Helpers (deployments, restarts, assertions): tests/helpers/faults.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from tests.helpers.env import isolated_env
from tests.helpers.faults import (
    CHECK_QUESTION,
    PG_DIR,
    PG_URL,
    POLICY_QUESTIONS,
    Golden,
    answer_of,
    copy_index,
    deploy,
    forget_process_caches,
    make_settings,
)
from tests.helpers.postgres import PgServer


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A developer's own LIMIT_ASSISTANT_* settings must not change what is tested."""
    with isolated_env(data_dir=str(tmp_path_factory.mktemp("env-data"))):
        yield


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs to put a data directory on (skipped where mounting is not allowed)."""
    from tests.helpers.disk import mounted_tmpfs

    with mounted_tmpfs(tmp_path / "small-disk") as disk:
        if disk is None:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        yield disk


@pytest.fixture
def pg_server() -> PgServer:
    """The PostgreSQL of LIMIT_ASSISTANT_TEST_PG_URL, to stop and restart (`.ci/postgres.sh`)."""
    if not PG_URL:
        pytest.skip("LIMIT_ASSISTANT_TEST_PG_URL is not set (run .ci/postgres.sh)")
    try:
        return PgServer(PG_DIR, PG_URL)
    except (OSError, LookupError) as exc:
        pytest.skip(f"cannot control the PostgreSQL server from here ({exc}); set LIMIT_ASSISTANT_PG_DIR")


@pytest.fixture
def pg_schema_url(pg_server: PgServer) -> Iterator[str]:
    """A URL whose search_path is a new, empty schema (dropped afterwards)."""
    assert PG_URL is not None
    schema = f"faults_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        pg_server.start_if_stopped()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Golden:
    data_dir = tmp_path_factory.mktemp("golden") / "data"
    deployment = deploy(make_settings(data_dir))
    policy = {q: answer_of(deployment.chat(q)) for q in POLICY_QUESTIONS}
    check = answer_of(deployment.chat(CHECK_QUESTION[1], CHECK_QUESTION[0]))
    assert deployment.index_health()["status"] == "ok"
    assert all(intent == "policy_question" for intent, _, _ in policy.values()), policy
    assert check[0] == "cannot_borrow"
    deployment.services.store.close()
    forget_process_caches()
    return Golden(data_dir, policy, check)


@pytest.fixture
def indexed_dir(golden: Golden, tmp_path: Path) -> Path:
    return copy_index(golden, tmp_path / "data")
