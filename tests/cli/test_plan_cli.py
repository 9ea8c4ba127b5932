"""`limit-assistant plan`: section 9's JSON, a readable timeline in zh/en, one-line errors (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAN_KEYS = ["goal", "reachable", "earliest_at", "amount_now", "amount_at_goal", "steps", "blocked_by",
             "policy_version", "checked_at"]
STEP_KEYS = ["step", "kind", "at", "amount", "clears", "certain"]


def run_cli(*args: str, data_dir: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {"LIMIT_ASSISTANT_DATA_DIR": str(data_dir), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "HOME": str(data_dir), "COLUMNS": "160", **env_extra}
    return subprocess.run([sys.executable, "-m", "assistant", *args], check=False, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plan-cli-data")


@pytest.fixture()
def snapshot_file(tmp_path: Path) -> Path:
    path = tmp_path / "snap.json"
    path.write_text(json.dumps({
        "account_id": "u1", "as_of": "2026-11-20T10:00:00+08:00",
        "limit": {"total": 15000, "used": 9000, "available": 6000},
        "overdue": {"amount": 1200, "days": 5},
        "activity": {"loans_today": 3},
    }), encoding="utf-8")
    return path


def test_demo_multi_waits_for_the_transfer_and_never_asks_to_repay(data_dir: Path) -> None:
    done = run_cli("plan", "demo-multi", "--amount", "5000", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == PLAN_KEYS and all(list(step) == STEP_KEYS for step in data["steps"])
    assert data["goal"] == {"action": "borrow", "amount": 5000}
    assert data["reachable"] is True and data["blocked_by"] == []
    assert [(s["step"], s["kind"], s["at"]) for s in data["steps"]] == [
        ("UPDATE_ID_DOCUMENT", "you", "2026-11-20T10:00:00+08:00"),
        ("WAIT_UNTIL", "wait", "2026-11-23T09:00:00+08:00"),
    ]
    assert data["steps"][1]["clears"] == ["OVERDUE_UNPAID"]
    assert data["earliest_at"] == "2026-11-23T09:00:00+08:00"
    assert "REPAY_OVERDUE" not in done.stdout


def test_snapshot_file_with_time_and_platform(snapshot_file: Path, tmp_path: Path, data_dir: Path) -> None:
    platform = tmp_path / "platform.json"
    platform.write_text(json.dumps({"maintenance": [{"start": "2026-11-21T00:00:00+08:00",
                                                     "end": "2026-11-21T02:00:00+08:00"}]}), encoding="utf-8")
    done = run_cli("plan", str(snapshot_file), "--at", "2026-11-20T11:00:00", "--platform", str(platform),
                   "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["goal"]["amount"] is None and data["checked_at"] == "2026-11-20T11:00:00+08:00"
    assert [(s["step"], s["amount"], s["at"]) for s in data["steps"]] == [
        ("REPAY_OVERDUE", 1200, "2026-11-20T11:00:00+08:00"),
        ("WAIT_UNTIL", None, "2026-11-21T00:00:00+08:00"),
    ]
    assert data["earliest_at"] == "2026-11-21T02:00:00+08:00"  # the platform window moves it


def test_timeline_in_chinese_by_default(data_dir: Path) -> None:
    done = run_cli("plan", "demo-multi", "--amount", "5000", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "最快 2026年11月23日(周一) 09:00 可以借 5,000 元" in done.stdout
    assert "现在上传有效身份证件" in done.stdout and "无需再还" in done.stdout
    assert "从此时起最多可借 7,200 元" in done.stdout


def test_timeline_in_english_by_flag_or_setting(data_dir: Path) -> None:
    by_flag = run_cli("plan", "demo-risk-hold", "--lang", "en", data_dir=data_dir)
    by_setting = run_cli("plan", "demo-risk-hold", data_dir=data_dir, LIMIT_ASSISTANT_LANG="en")
    for done in (by_flag, by_setting):
        assert done.returncode == 0, done.stderr
        assert "The earliest you might borrow is Fri 27 Nov 2026 10:00" in done.stdout
        assert "re-evaluated" in done.stdout and "not a promise" in done.stdout


def test_unreachable_plan_names_what_blocks_it(data_dir: Path) -> None:
    done = run_cli("plan", "demo-closed", "--lang", "en", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "the credit line is closed" in done.stdout and "ACCOUNT_CLOSED" in done.stdout
    data = json.loads(run_cli("plan", "demo-closed", "--json", data_dir=data_dir).stdout)
    assert data["reachable"] is False and data["blocked_by"] == ["ACCOUNT_CLOSED"]
    assert data["earliest_at"] is None and data["amount_at_goal"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "/nonexistent/snap.json"], "not found"),
        (["plan", "no-such-account"], "unknown account"),
        (["plan", "{snap}", "--amount", "-5"], "amount"),
        (["plan", "{snap}", "--amount", "0"], "positive"),
        (["plan", "{snap}", "--amount", "abc"], "amount"),
        (["plan", "{snap}", "--amount", "12.345"], "two decimals"),
        (["plan", "{snap}", "--at", "yesterday-ish"], "at:"),
        (["plan", "{snap}", "--lang", "fr"], "lang"),
        (["plan", "{bad}"], "invalid JSON"),
        (["plan", "{snap}", "--platform", "/nonexistent/p.json"], "platform"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, snapshot_file: Path,
                                          tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = run_cli(*[a.format(snap=snapshot_file, bad=bad) for a in args], data_dir=data_dir)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr
