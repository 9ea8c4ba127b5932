"""`limit-assistant export` carries the decision records (issue 17), PII-masked like every row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.accounts import load_account
from assistant.cli._app import _register_commands, app
from assistant.services import Services
from assistant.settings import Settings

_register_commands()
runner = CliRunner()


def test_export_has_one_masked_decision_row_per_answered_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")
    services = Services(Settings(data_dir=tmp_path / "data", embedder="hashing"))
    snapshot, platform = load_account("demo-multi", services.store)
    turn = services.assistant.ask("我手机13812345678，为什么借不出来", snapshot, platform=platform)
    services.assistant.ask("转人工", snapshot, platform=platform, conversation_id=turn.conversation_id)

    result = runner.invoke(app, ["export", "--since", "2000-01-01", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if '"decision"' in line]
    decisions = [row for row in rows if row["kind"] == "decision"]
    assert [row["turn"] for row in decisions] == [1, 2]
    first = decisions[0]
    assert first["conversation_id"] == turn.conversation_id and first["account_id"] == "demo-multi"
    assert first["reason_codes"] == ["OVERDUE_UNPAID", "ID_DOCUMENT_EXPIRED", "REPAYMENT_NOT_POSTED"]
    assert "13812345678" not in result.stdout and "138****5678" in first["text"]
    assert first["detail"]["snapshot_sha256"] and first["detail"]["checks"][0]["trace"]
    assert first["detail"]["verified"] is True
