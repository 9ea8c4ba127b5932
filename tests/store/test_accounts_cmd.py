from __future__ import annotations

import json

from typer.testing import CliRunner

import assistant.cli.accounts_cmd  # noqa: F401  (registers `accounts` on the app)
from assistant.cli._app import app
from assistant.store.seed import load_demo_accounts

runner = CliRunner()


def test_list_json_has_every_demo_account_with_a_description() -> None:
    result = runner.invoke(app, ["accounts", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = {row["account_id"]: row for row in json.loads(result.stdout)}
    assert set(listed) == {a.account_id for a in load_demo_accounts()}
    assert listed["demo-overdue"]["description"] == "逾期5天未还1,200元"
    assert listed["demo-overdue"]["is_demo"] is True


def test_list_in_english() -> None:
    result = runner.invoke(app, ["accounts", "list", "--json", "--lang", "en"])
    rows = {row["account_id"]: row["description"] for row in json.loads(result.stdout)}
    assert rows["demo-overdue"] == "1,200 overdue for 5 days"


def test_list_table_shows_ids_and_descriptions() -> None:
    result = runner.invoke(app, ["accounts", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "demo-pending-transfer" in result.stdout and "逾期5天未还1,200元" in result.stdout


def test_bad_language_is_one_line_and_exit_2() -> None:
    result = runner.invoke(app, ["accounts", "list", "--lang", "fr"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
