"""`limit-assistant serve` (refusals, URLs), `token` and `export`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app
from assistant.services import Services
from assistant.settings import Settings
from assistant.web.tokens import verify_token

_register_commands()
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")
    return tmp_path / "data"


def test_serve_refuses_a_public_host_in_demo_mode(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "demo mode" in result.output and "127.0.0.1" in result.output


def test_serve_builds_the_index_and_prints_the_urls(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: started.update(target=target, **kwargs))
    result = runner.invoke(app, ["serve", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "building the knowledge index" in result.output
    for path in ("/ui", "/openapi.json", "/widget/demo"):  # /docs needs a CDN: not advertised
        assert f"http://127.0.0.1:8123{path}" in result.output
    assert started["target"] == "app:build_app" and started["factory"] is True
    assert (started["host"], started["port"], started["workers"]) == ("127.0.0.1", 8123, 2)


def test_token_needs_a_secret(env: Path) -> None:
    result = runner.invoke(app, ["token", "demo-healthy"])
    assert result.exit_code == 3
    assert "LIMIT_ASSISTANT_SECRET" in result.output


def test_token_mints_a_verifiable_token(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_SECRET", "s3")
    result = runner.invoke(app, ["token", "acct-9", "--ttl", "120", "--json"])
    assert result.exit_code == 0, result.output
    minted = json.loads(result.stdout)
    assert verify_token(minted["token"], "s3").account_id == "acct-9"


def test_export_writes_masked_audit_turns_and_handoffs(env: Path) -> None:
    services = Services(Settings(data_dir=env, embedder="hashing"))
    snapshot_ref = "demo-overdue"
    from assistant.accounts import load_account

    snapshot, platform = load_account(snapshot_ref, services.store)
    turn = services.assistant.ask("我手机13812345678，为什么借不出来", snapshot, platform=platform)
    services.assistant.ask("转人工", snapshot, platform=platform, conversation_id=turn.conversation_id)
    services.store.feedback.add(turn.conversation_id, 1, "down", "身份证110101199003071234")

    jsonl = runner.invoke(app, ["export", "--since", "2000-01-01", "--format", "jsonl"])
    assert jsonl.exit_code == 0, jsonl.output
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    kinds = [row["kind"] for row in rows]
    assert kinds.count("audit") == 2 and kinds.count("turn") == 2 and kinds.count("handoff") == 1
    assert kinds.count("feedback") == 1
    audit = next(row for row in rows if row["kind"] == "audit")
    assert audit["policy_version"] == "2026.11" and audit["detail"]["result"]["trace"]
    assert "13812345678" not in jsonl.stdout and "110101199003071234" not in jsonl.stdout

    out = env / "export.csv"
    csv_run = runner.invoke(app, ["export", "--since", "2000-01-01", "--until", "2099-12-31", "--format", "csv", "--out", str(out)])
    assert csv_run.exit_code == 0, csv_run.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == len(rows)
    assert json.loads(table[0]["detail"])["result"]["policy_version"] == "2026.11"

    empty = runner.invoke(app, ["export", "--since", "2000-01-01", "--until", "2000-01-02", "--format", "jsonl"])
    assert empty.exit_code == 0 and empty.stdout == ""


@pytest.mark.parametrize("args", [["--since", "soon", "--format", "jsonl"], ["--since", "2026-01-01", "--format", "xml"],
                                  ["--since", "2026-02-01", "--until", "2026-01-01", "--format", "csv"]])
def test_export_rejects_bad_options(env: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
