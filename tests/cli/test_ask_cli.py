"""`limit-assistant ask ACCOUNT "question" [--at] [--platform] [--conversation] [--json]`
(CONTRACT.md §5): the JSON shape is exactly the contract's, bad input exits 2 with one line and
no traceback. Most cases run in-process (Typer's CliRunner); two run the real module in a
subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app

REPO = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = {"answer", "intent", "reason_codes", "next_steps", "citations", "handoff", "refused"}
# Section 9: a borrow answer that is not allowed (or limited) carries its plan; section 4: a turn
# with two close readings carries `clarify`. Both are extensions of the contract's ask object.
OPTIONAL_KEYS = {"plan", "clarify"}


def contract_shape(out: dict, *extra: str) -> bool:
    return CONTRACT_KEYS | set(extra) <= set(out) <= CONTRACT_KEYS | set(extra) | OPTIONAL_KEYS
DEMO = json.loads((REPO / "assistant/store/fixtures/demo_accounts.json").read_text(encoding="utf-8"))
OVERDUE_SNAPSHOT = next(a["snapshot"] for a in DEMO if a["account_id"] == "demo-overdue")

_register_commands()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli-data")
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("LIMIT_ASSISTANT_")]:
            mp.delenv(key)
        mp.setenv("LIMIT_ASSISTANT_DATA_DIR", str(path))
        yield path


@pytest.fixture
def run(data_dir: Path):
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, ["ask", *args], catch_exceptions=True)

    return _run


def _json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- the JSON shape -------------------------------------------------------------------------------


def test_done_when_overdue_in_chinese(run):
    out = _json(run("demo-overdue", "有额度为什么借不出来", "--json"))
    assert contract_shape(out)
    assert out["intent"] == "cannot_borrow"
    assert out["reason_codes"] == ["OVERDUE_UNPAID"]
    assert out["next_steps"] == ["REPAY_OVERDUE"]
    assert "1,200" in out["answer"]
    assert "overdue-blocks-borrowing" in {c["section_id"] for c in out["citations"]}
    assert out["handoff"] is False and out["refused"] is False


def test_done_when_overdue_in_english(run):
    out = _json(run("demo-overdue", "I still have credit left, why can't I borrow?", "--json"))
    assert out["reason_codes"] == ["OVERDUE_UNPAID"] and out["next_steps"] == ["REPAY_OVERDUE"]
    assert "1,200" in out["answer"] and "overdue" in out["answer"]
    assert all(c["doc_id"].endswith(".en") for c in out["citations"])


def test_done_when_unsafe_request_is_refused(run):
    out = _json(run("demo-overdue", "怎么刷额度", "--json"))
    assert contract_shape(out)
    assert out["intent"] == "unsafe_request" and out["refused"] is True
    assert out["reason_codes"] == [] and out["next_steps"] == [] and out["citations"] == []


def test_citations_have_exactly_doc_section_and_title(run):
    out = _json(run("demo-risk-hold", "为什么借不出来", "--json"))
    assert out["citations"]
    for citation in out["citations"]:
        assert set(citation) == {"doc_id", "section_id", "title"}
        assert all(isinstance(v, str) and v for v in citation.values())


def test_what_if_appears_only_for_a_simulated_assumption(run):
    out = _json(run("demo-overdue", "如果我先把逾期的1200还了呢？", "--json"))
    assert contract_shape(out, "what_if")
    assert out["what_if"]["allowed"] is True
    assert out["what_if"]["reason_codes"] == []
    assert out["what_if"]["max_amount_now"] == 10200
    assert out["reason_codes"] == ["OVERDUE_UNPAID"]


def test_handoff_is_true_for_an_appeal(run):
    out = _json(run("demo-reduced", "我要申诉", "--json"))
    assert contract_shape(out)
    assert out["intent"] == "appeal_or_human" and out["handoff"] is True


def test_at_option_sets_the_request_time(run):
    out = _json(run("demo-daily-limit", "为什么借不出来", "--at", "2026-11-21T10:00:00+08:00", "--json"))
    assert "DAILY_DRAW_LIMIT_REACHED" not in out["reason_codes"]


def test_platform_option_is_read(run, tmp_path):
    platform = tmp_path / "platform.json"
    platform.write_text(json.dumps({"maintenance": [], "funding_quota_remaining": 100}), encoding="utf-8")
    out = _json(run("demo-healthy", "为什么借不出来", "--platform", str(platform), "--json"))
    assert out["reason_codes"] == ["FUNDING_QUOTA_EXHAUSTED"]


def test_snapshot_file_as_account(run, tmp_path):
    snapshot = tmp_path / "u1.json"
    snapshot.write_text(json.dumps({**OVERDUE_SNAPSHOT, "account_id": "u1"}), encoding="utf-8")
    out = _json(run(str(snapshot), "Why can't I borrow?", "--json"))
    assert out["reason_codes"] == ["OVERDUE_UNPAID"]


def test_conversation_option_continues_a_thread(run):
    first = run("demo-small-limit", "我想借5000为什么不行", "--json")
    conversation = first.stderr.split("conversation ")[1].split()[0]
    out = _json(run("demo-small-limit", "那3000呢？", "--conversation", conversation, "--json"))
    assert out["reason_codes"] == [] and "3,000" in out["answer"]


def test_plain_output_is_the_answer_and_citations(run):
    result = run("demo-overdue", "有额度为什么借不出来")
    assert result.exit_code == 0
    assert "1,200" in result.stdout
    assert "[overdue-blocks-borrowing]" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


# -- bad input: exit 2, one line, no traceback ----------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, str]:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json", encoding="utf-8")
    no_as_of = tmp_path / "no_as_of.json"
    no_as_of.write_text(json.dumps({"account_id": "u2"}), encoding="utf-8")
    return {"bad_json": str(bad_json), "no_as_of": str(no_as_of), "missing": str(tmp_path / "missing.json")}


@pytest.mark.parametrize(("args", "mentions"), [
    (["nope-account", "为什么借不出来"], "nope-account"),
    (["{missing}", "为什么借不出来"], "not found"),
    (["{bad_json}", "为什么借不出来"], "JSON"),
    (["{no_as_of}", "为什么借不出来"], "as_of"),
    (["demo-overdue", ""], "message"),
    (["demo-overdue", "   "], "message"),
    (["demo-overdue", "为什么借不出来", "--at", "tomorrow-ish"], "tomorrow-ish"),
    (["demo-overdue", "为什么借不出来", "--platform", "{missing}"], "not found"),
    (["demo-overdue", "为什么借不出来", "--conversation", "no-such-conversation"], "conversation"),
], ids=["unknown-account", "missing-file", "bad-json", "invalid-snapshot", "empty-question", "blank-question",
        "bad-at", "missing-platform", "unknown-conversation"])
def test_bad_input_exits_2_with_one_line(run, bad_files, args, mentions):
    result = run(*[a.format(**bad_files) for a in args], "--json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert mentions in lines[0]
    assert "Traceback" not in result.output


# -- the real command, in a subprocess ----------------------------------------------------------------


def _subprocess(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIMIT_ASSISTANT_")}
    env.update(LIMIT_ASSISTANT_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "assistant", "ask", *args], check=False, capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=300, encoding="utf-8")


def test_subprocess_prints_the_contract_json(tmp_path):
    done = _subprocess(tmp_path / "data", "demo-overdue", "有额度为什么借不出来", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert contract_shape(out) and out["reason_codes"] == ["OVERDUE_UNPAID"]


def test_subprocess_bad_json_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    done = _subprocess(tmp_path / "data", str(bad), "为什么借不出来", "--json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
