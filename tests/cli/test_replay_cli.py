"""`limit-assistant replay CONVERSATION_ID [--turn N] [--json] [--policy FILE]` (issue 17):
identical → exit 0; another policy (by LIMIT_ASSISTANT_POLICY_FILE or --policy) → exit 1 with
the policy named as the cause; bad input → exit 2 with one line, never a traceback."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app
from assistant.settings import DEFAULT_POLICY_FILE

_register_commands()
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("replay-data")
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("LIMIT_ASSISTANT_")]:
            mp.delenv(key)
        mp.setenv("LIMIT_ASSISTANT_DATA_DIR", str(path))
        mp.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")
        yield path


@pytest.fixture(scope="module")
def min_draw_1000(data_dir: Path) -> Path:
    text = DEFAULT_POLICY_FILE.read_text(encoding="utf-8")
    path = data_dir.parent / "policy-min-draw-1000.yaml"
    path.write_text(text.replace("min_amount: 500 ", "min_amount: 1000", 1), encoding="utf-8")
    return path


def ask(*args: str) -> str:
    """Run `ask` and return the conversation id it prints on stderr."""
    result = runner.invoke(app, ["ask", *args])
    assert result.exit_code == 0, result.output
    return result.stderr.split()[1]


@pytest.fixture(scope="module")
def conversation(data_dir: Path) -> str:
    return ask("demo-multi", "为什么借不了")


def test_done_when_a_fresh_answer_replays_identical(conversation: str) -> None:
    result = runner.invoke(app, ["replay", conversation, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["identical"] is True
    assert out["turns"] == [{"turn": 1, "identical": True, "outcome_changed": False, "differences": []}]
    plain = runner.invoke(app, ["replay", conversation])
    assert plain.exit_code == 0 and "identical" in plain.stdout and "ms per turn" in plain.stdout


def test_done_when_another_minimum_draw_exits_1_and_names_the_policy(
        conversation: str, min_draw_1000: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_POLICY_FILE", str(min_draw_1000))
    result = runner.invoke(app, ["replay", conversation, "--json"])
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    assert out["identical"] is False and out["turns"][0]["identical"] is False
    assert {c["component"] for c in out["changes"]} == {"policy file"}
    differences = out["turns"][0]["differences"]
    assert differences and all(d["cause"] == "policy file" for d in differences)
    plain = runner.invoke(app, ["replay", conversation])
    assert plain.exit_code == 1 and "policy file" in plain.stdout


def test_policy_option_answers_what_the_new_policy_would_have_said(data_dir: Path, min_draw_1000: Path) -> None:
    conversation = ask("demo-healthy", "我要借800")
    result = runner.invoke(app, ["replay", conversation, "--json", "--policy", str(min_draw_1000)])
    assert result.exit_code == 1, result.output
    turn = json.loads(result.stdout)["turns"][0]
    assert turn["outcome_changed"] is True
    codes = next(d for d in turn["differences"] if d["field"] == "reason_codes")
    assert (codes["before"], codes["after"], codes["cause"]) == ([], ["AMOUNT_BELOW_MINIMUM"], "policy file")
    assert runner.invoke(app, ["replay", conversation]).exit_code == 0  # the configured policy: unchanged


def test_turn_option(data_dir: Path) -> None:
    conversation = ask("demo-small-limit", "我想借5000，为什么借不了？")
    ask("demo-small-limit", "那3000呢？", "--conversation", conversation)
    result = runner.invoke(app, ["replay", conversation, "--turn", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert [t["turn"] for t in json.loads(result.stdout)["turns"]] == [2]


@pytest.mark.parametrize("args", [
    ["no-such-conversation"],
    ["{conversation}", "--turn", "7"],
    ["{conversation}", "--turn", "0"],
    ["{conversation}", "--policy", "/no/such/policy.yaml"],
    ["{conversation}", "--policy", "{broken}"],
])
def test_bad_input_exits_2_with_one_line(conversation: str, tmp_path: Path, args: list[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("draw: [", encoding="utf-8")
    filled = [a.format(conversation=conversation, broken=broken) for a in args]
    result = runner.invoke(app, ["replay", *filled])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
