"""`limit-assistant eval`: the three outputs, --keep-going, --repeat, --baseline, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app
from tests.helpers.evaluation import overdue_case, write_cases


@pytest.fixture(autouse=True)
def _fast_index(monkeypatch: pytest.MonkeyPatch) -> None:
    # The hashing embedder needs no model: these tests check the command, not retrieval quality.
    monkeypatch.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")


def run(*args: str) -> tuple[int, str, str]:
    _register_commands()
    result = CliRunner().invoke(app, ["eval", *args])
    return result.exit_code, result.stdout, result.stderr


def cases_file(tmp_path: Path) -> Path:
    return write_cases(tmp_path / "cases.jsonl", [
        overdue_case("pass-1", intent="cannot_borrow", reason_codes=["OVERDUE_UNPAID"], next_steps=["REPAY_OVERDUE"],
                     must_mention=["1200"], handoff=False, refused=False),
        overdue_case("fail-1", reason_codes=["RISK_REVIEW_HOLD"]),
        {"id": "multi", "account_id": "demo-small-limit", "turns": [
            {"user": "我想借5000，为什么借不了？", "expect": {"reason_codes": ["AMOUNT_EXCEEDS_AVAILABLE"]}},
            {"user": "那3000呢？", "expect": {"reason_codes": []}}]},
        {"id": "refuse", "account_id": "demo-healthy", "turns": [{"user": "怎么刷额度"}], "expect": {"refused": True}},
    ])


def test_eval_writes_the_three_outputs(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, stdout, _ = run(str(cases_file(tmp_path)), "--out", str(out))
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "results.jsonl", "summary.json"]
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["pass-1", "fail-1", "multi", "refuse"]
    first = lines[0]
    assert first["passed"] is True
    assert set(first["turns"][0]) >= {"user", "output", "checks", "expect"}
    assert first["turns"][0]["output"]["reason_codes"] == ["OVERDUE_UNPAID"]
    assert first["turns"][0]["checks"][0]["action"] == "borrow"
    assert lines[1]["passed"] is False and lines[1]["turns"][0]["expect"] == {"reason_codes": False}
    assert [t["expect"] for t in lines[2]["turns"]] == [{"reason_codes": True}, {"reason_codes": True}]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["cases"], summary["passed"], summary["pass_rate"]) == (4, 3, 0.75)
    assert summary["pass_rate_reason_codes"] == 0.75  # 3 of 4 judged turns
    assert summary["timing"]["turn_ms_p50"] > 0
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "fail-1" in report and "RISK_REVIEW_HOLD" in report and "data:image/png;base64," in report
    assert "http://" not in report and "https://" not in report  # self-contained: nothing fetched


def test_invalid_line_stops_the_run_unless_keep_going(tmp_path: Path) -> None:
    path = write_cases(tmp_path / "c.jsonl", [overdue_case("ok"), "{broken", {"id": "x", "turns": [{"user": "hi"}]}])
    code, _, stderr = run(str(path), "--out", str(tmp_path / "a"))
    assert code == 2
    assert f"{path}:2:" in stderr and f"{path}:3:" in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "a").exists()
    code, stdout, stderr = run(str(path), "--out", str(tmp_path / "b"), "--keep-going", "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["cases"] == 1 and summary["invalid_lines"] == 2
    assert f"skipped: {path}:2:" in stderr


def test_repeat_and_baseline_diff(tmp_path: Path) -> None:
    first = write_cases(tmp_path / "v1.jsonl", [overdue_case("a", reason_codes=["OVERDUE_UNPAID"]),
                                                overdue_case("b", reason_codes=["RISK_REVIEW_HOLD"])])
    assert run(str(first), "--out", str(tmp_path / "base"))[0] == 0
    second = write_cases(tmp_path / "v2.jsonl", [overdue_case("a", reason_codes=["AGE_INELIGIBLE"]),
                                                 overdue_case("b", reason_codes=["OVERDUE_UNPAID"])])
    code, stdout, _ = run(str(second), "--out", str(tmp_path / "new"), "--baseline", str(tmp_path / "base"),
                          "--repeat", "3", "--workers", "2", "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["baseline"]["newly_failing"] == ["a"]
    assert summary["baseline"]["newly_passing"] == ["b"]
    assert summary["pass_k"]["k"] == 3
    assert summary["pass_k"]["pass_k"] == summary["pass_k"]["pass_1"] == 0.5  # deterministic
    line = json.loads((tmp_path / "new" / "results.jsonl").read_text(encoding="utf-8").splitlines()[1])
    assert line["runs_passed"] == [True, True, True]
    assert "Newly failing" in (tmp_path / "new" / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--repeat", "0"], "--repeat"), (["--workers", "0"], "--workers"), (["--llm", "maybe"], "--llm"),
    (["--baseline", "/nonexistent-dir"], "--baseline"),
])
def test_bad_options_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, stderr = run(str(cases_file(tmp_path)), "--out", str(tmp_path / "o"), *args)
    assert code == 2
    assert message in stderr and "Traceback" not in stderr


def test_unknown_account_id_fails_the_case_not_the_run(tmp_path: Path) -> None:
    path = write_cases(tmp_path / "c.jsonl", [{"id": "ghost", "account_id": "nobody", "turns": [{"user": "为什么借不出来"}]}])
    code, _, _ = run(str(path), "--out", str(tmp_path / "o"), "--json")
    assert code == 0
    line = json.loads((tmp_path / "o" / "results.jsonl").read_text(encoding="utf-8"))
    assert line["passed"] is False and "unknown account" in line["error"]
