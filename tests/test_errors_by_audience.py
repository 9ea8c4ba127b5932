"""Errors reach the one who must act: the operator's mistakes are never the customer's "invalid input".

- A bad policy file, a bad corpus file or a `{{placeholder}}` typo is a configuration error:
  CLI exit 3; HTTP 503 `unavailable`, with no file path in the body.
- A damaged account store (a SQLite file that is not a database) is an unavailable service:
  CLI exit 4 with what the operator should do; HTTP 503 `unavailable`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.settings import DEFAULT_CORPUS_DIR, DEFAULT_POLICY_FILE, Settings
from assistant.web import create_app

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "有额度为什么借不出来"


def broken_policy(tmp_path: Path) -> Path:
    """The default policy without `draw.min_amount`."""
    path = tmp_path / "policy.yaml"
    text = DEFAULT_POLICY_FILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith("min_amount:")]
    assert len(lines) < len(text.splitlines())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corpus_with_typo(tmp_path: Path) -> Path:
    """The default corpus with one placeholder misspelt."""
    corpus = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus)
    doc = corpus / "zh" / "borrowing-rules.md"
    text = doc.read_text(encoding="utf-8")
    assert "{{draw.min_amount}}" in text
    doc.write_text(text.replace("{{draw.min_amount}}", "{{draw.minimum_amount}}", 1), encoding="utf-8")
    return corpus


def damaged_store(data_dir: Path) -> Path:
    """A data directory whose SQLite file is not a database (overwritten by something else)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "limit-assistant.sqlite3"
    path.write_bytes(b"this is not a database, whatever its name says\n" * 200)
    return path


def run_cli(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"LIMIT_ASSISTANT_DATA_DIR": str(data_dir), "LIMIT_ASSISTANT_EMBEDDER": "hashing",
                   "PATH": "/usr/bin:/bin", "HOME": str(data_dir), **env}
    return subprocess.run([sys.executable, "-m", "assistant", *args], check=False, capture_output=True, text=True,
                          env=environment, cwd=ROOT, timeout=120)


# -- the command line -------------------------------------------------------------------------


def test_cli_bad_policy_file_is_a_configuration_error(tmp_path: Path) -> None:
    policy = broken_policy(tmp_path)
    done = run_cli("check", "demo-overdue", "--action", "borrow", data_dir=tmp_path / "data",
                   LIMIT_ASSISTANT_POLICY_FILE=str(policy))
    assert done.returncode == 3, done.stderr
    assert "configuration" in done.stderr and "draw.min_amount" in done.stderr


def test_cli_placeholder_typo_is_a_configuration_error(tmp_path: Path) -> None:
    corpus = corpus_with_typo(tmp_path)
    done = run_cli("ask", "demo-overdue", QUESTION, "--json", data_dir=tmp_path / "data",
                   LIMIT_ASSISTANT_CORPUS_DIR=str(corpus))
    assert done.returncode == 3, done.stderr
    assert "unknown policy placeholder {{draw.minimum_amount}}" in done.stderr


def test_cli_damaged_store_is_unavailable_and_says_what_to_do(tmp_path: Path) -> None:
    damaged_store(tmp_path / "data")
    done = run_cli("ask", "demo-overdue", QUESTION, data_dir=tmp_path / "data")
    assert done.returncode == 4, done.stderr
    assert "damaged" in done.stderr and "backup" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


# -- HTTP ---------------------------------------------------------------------------------------


def client_for(tmp_path: Path, **settings: object) -> TestClient:
    values: dict[str, object] = {"data_dir": tmp_path / "data", "embedder": "hashing"}
    values.update(settings)
    services = Services(Settings(**values))  # type: ignore[arg-type]
    return TestClient(create_app(services, surfaces=False, warm_up=False))


def assert_unavailable_without_details(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "unavailable"
    assert "Retry-After" in response.headers
    body = response.text
    for detail in ("/", ".yaml", ".md", "sqlite", "placeholder", "min_amount"):
        assert detail not in body, f"{detail!r} leaked to the caller: {body}"


def test_http_bad_policy_file_is_503_without_a_path(tmp_path: Path) -> None:
    client = client_for(tmp_path, policy_file=broken_policy(tmp_path))
    response = client.post("/api/chat", json={"message": QUESTION, "account_id": "demo-overdue"})
    assert_unavailable_without_details(response)


def test_http_placeholder_typo_is_503_without_a_path(tmp_path: Path) -> None:
    client = client_for(tmp_path, corpus_dir=corpus_with_typo(tmp_path))
    response = client.post("/api/chat", json={"message": QUESTION, "account_id": "demo-overdue"})
    assert_unavailable_without_details(response)


@pytest.mark.parametrize("route, body", [
    ("/api/chat", {"message": QUESTION, "account_id": "demo-overdue"}),
    ("/api/check", {"account_id": "demo-overdue", "action": "borrow"}),
])
def test_http_damaged_store_is_503(tmp_path: Path, route: str, body: dict[str, str]) -> None:
    damaged_store(tmp_path / "data")
    client = client_for(tmp_path)
    assert_unavailable_without_details(client.post(route, json=body))
