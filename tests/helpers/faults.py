"""Helpers of the fault-injection tests: deployments on explicit Settings in temporary directories.

A *deployment* is what one server process holds: `Services` and a TestClient on its app. A
*restart* forgets everything the process cached (the retriever, Chroma's shared clients) and
builds a new deployment on the same data directory, as a new worker would.

Building the knowledge index once per session (`golden`) gives the healthy answers every fault
test compares with; tests copy that index instead of building their own. The cheap `hashing`
embedder is used throughout: no model is loaded, nothing touches the network or the home
directory.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from fastapi.testclient import TestClient
from sqlalchemy import text

from assistant.services import Services
from assistant.settings import Settings
from assistant.store import Store
from assistant.web import create_app

REPO = Path(__file__).resolve().parents[2]
# Read at import, before the faults conftest clears LIMIT_ASSISTANT_* for the session.
PG_URL = os.environ.get("LIMIT_ASSISTANT_TEST_PG_URL")
PG_DIR = Path(os.environ.get("LIMIT_ASSISTANT_PG_DIR", "/tmp/limit-assistant-pg"))

POLICY_QUESTIONS = ("单笔最少借多少", "一天最多能借几次", "What is the minimum amount per draw?")
CHECK_QUESTION = ("demo-overdue", "为什么借不出来5000")
CHECK_FOLLOW_UP = "那3000呢"
# SQLite busy timeout for in-process stores: long enough to queue, short enough for a test.
SHORT_BUSY_TIMEOUT_MS = 300



def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "embedder": "hashing", "rate_limit": "100000/minute",
                              "llm": "off"}
    values.update(overrides)
    return Settings(**values)


def forget_process_caches() -> None:
    """What a process restart forgets: the shared retriever and Chroma's cached clients."""
    from chromadb.api.shared_system_client import SharedSystemClient

    import knowledge.retrieval

    knowledge.retrieval._retrievers.clear()
    SharedSystemClient.clear_system_cache()


@dataclass
class Deployment:
    """One server process: its services and a client on its web app."""

    services: Services
    client: TestClient

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def chat(self, message: str, account_id: str = "demo-healthy", conversation_id: str | None = None) -> Any:
        body: dict[str, Any] = {"message": message, "account_id": account_id}
        if conversation_id is not None:
            body["conversation_id"] = conversation_id
        return self.client.post("/api/chat", json=body)

    def index_health(self) -> dict[str, Any]:
        response = self.client.get("/healthz")
        assert response.status_code == 200, response.text
        return response.json()["components"]["index"]  # type: ignore[no-any-return]


def deploy(settings: Settings, *, busy_timeout_ms: int | None = None) -> Deployment:
    """A fresh process's deployment on `settings` (no warm-up: the first request does the work)."""
    forget_process_caches()
    services = Services(settings)
    if busy_timeout_ms is not None:
        services.__dict__["store"] = Store.open(settings, busy_timeout_ms=busy_timeout_ms)
    app = create_app(services, surfaces=False, warm_up=False)
    return Deployment(services, TestClient(app, raise_server_exceptions=False))


def answer_of(response: Any) -> tuple[str, str, list[str]]:
    """(intent, answer, cited section ids) of a 200 chat response."""
    assert response.status_code == 200, response.text
    body = response.json()
    return body["intent"], body["answer"], [c["section_id"] for c in body["citations"]]


def assert_unavailable(response: Any) -> None:
    """A clear temporary error: 503 JSON `unavailable` with Retry-After, no stack trace."""
    assert response.status_code == 503, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == "unavailable", body
    assert "Traceback" not in response.text
    assert int(response.headers["Retry-After"]) > 0


@dataclass(frozen=True)
class Golden:
    """A complete healthy index and the answers it gives."""

    data_dir: Path
    policy: dict[str, tuple[str, str, list[str]]]
    check: tuple[str, str, list[str]]


def copy_index(golden: Golden, data_dir: Path) -> Path:
    """A data directory holding a copy of the golden index (and an empty account store)."""
    from knowledge.embedders import get_embedder
    from knowledge.index import manifest_path, read_manifest, write_manifest
    from knowledge.vectorstore import target_label

    source, target = make_settings(golden.data_dir), make_settings(data_dir)
    embedder = get_embedder(source.embedder)
    shutil.copytree(source.chroma_dir, target.chroma_dir)
    # The manifest is named after, and records, where the index lives: move it with the copy.
    manifest = read_manifest(manifest_path(source, embedder))
    assert manifest is not None and manifest.state == "complete"
    write_manifest(manifest_path(target, embedder), manifest.model_copy(update={"target": target_label(target)}))
    return data_dir


def row_counts(store: Store) -> dict[str, int]:
    """Rows of every table a conversation writes."""
    with store.engine.connect() as connection:
        return {table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("conversations", "turns", "audit_log", "handoffs", "feedback")}


def sqlite_file(settings: Settings) -> Path:
    return Path(settings.resolved_database_url.removeprefix("sqlite:///"))


class SqliteLock:
    """Another process's connection holding an exclusive write transaction on the store."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=0)

    def __enter__(self) -> Self:
        self.connection.execute("BEGIN EXCLUSIVE")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def run_cli(data_dir: Path, *args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m assistant ARGS` as a user runs it, on `data_dir` with the hashing embedder."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LIMIT_ASSISTANT_")}
    environment.update(LIMIT_ASSISTANT_DATA_DIR=str(data_dir), LIMIT_ASSISTANT_EMBEDDER="hashing",
                       PYTHONPATH=str(REPO), **env)
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=timeout, check=False)


def assert_one_line_error(result: subprocess.CompletedProcess[str], exit_code: int) -> str:
    """The CLI failed with `exit_code` and one clear `error:` line on stderr, no traceback."""
    assert result.returncode == exit_code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]
