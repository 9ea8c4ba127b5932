"""`limit-assistant check`: the contract's shape for every demo account, one-line errors, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_IDS = [entry["account_id"] for entry in json.loads(
    (ROOT / "assistant/store/fixtures/demo_accounts.json").read_text(encoding="utf-8"))]
CHECK_KEYS = {"action", "account_id", "amount", "allowed", "max_amount_now", "caps", "reasons", "next_steps",
              "policy_version", "checked_at", "trace"}
REASON_KEYS = {"code", "severity", "facts", "policy_refs", "next_steps"}
STEP_KEYS = {"code", "text", "eta", "self_service"}


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"LIMIT_ASSISTANT_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "HOME": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-data")


@pytest.fixture()
def snapshot_file(tmp_path: Path) -> Path:
    path = tmp_path / "snap.json"
    path.write_text(json.dumps({"account_id": "u1", "as_of": "2026-11-20T10:00:00+08:00",
                                "limit": {"total": 15000, "used": 3000, "available": 12000},
                                "overdue": {"amount": 1200, "days": 5}}), encoding="utf-8")
    return path


def test_every_demo_account_returns_the_contract_shape(data_dir: Path) -> None:
    from decimal import Decimal

    from assistant.accounts import load_account
    from assistant.services import Services
    from assistant.settings import Settings
    from tools.engine import run_check

    services = Services(Settings(data_dir=data_dir))
    for account_id in DEMO_IDS:
        snapshot, platform = load_account(account_id, services.store)
        data = json.loads(run_check(snapshot, "borrow", amount=Decimal(5000), platform=platform).to_json())
        assert set(data) == CHECK_KEYS, account_id
        assert data["policy_version"] == "2026.11"
        for reason in data["reasons"]:
            assert set(reason) == REASON_KEYS and reason["policy_refs"] and reason["next_steps"]
            assert all(set(step) == STEP_KEYS for step in reason["next_steps"])
        assert data["allowed"] == (not any(r["severity"] == "blocking" for r in data["reasons"]))


def test_check_json_on_a_demo_account(data_dir: Path) -> None:
    done = run_cli("check", "demo-overdue", "--action", "borrow", "--amount", "5000", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["reasons"][0]["code"] == "OVERDUE_UNPAID"
    assert data["reasons"][0]["facts"]["overdue_amount"] == 1200
    assert [s["code"] for s in data["next_steps"]] == ["REPAY_OVERDUE"]


def test_check_table_output_names_reasons_and_steps(snapshot_file: Path, data_dir: Path) -> None:
    done = run_cli("check", str(snapshot_file), "--action", "borrow", "--amount", "5000", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "OVERDUE_UNPAID" in done.stdout and "REPAY_OVERDUE" in done.stdout and "1200" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "/nonexistent/snap.json", "--action", "borrow"], "not found"),
        (["check", "no-such-account", "--action", "borrow"], "unknown account"),
        (["check", "{snap}", "--action", "borrow", "--amount", "-5"], "amount"),
        (["check", "{snap}", "--action", "borrow", "--amount", "abc"], "amount"),
        (["check", "{snap}", "--action", "borrow", "--amount", "NaN"], "finite"),
        (["check", "{snap}", "--action", "borrow", "--amount", "0"], "positive"),
        (["check", "{snap}", "--action", "borrow", "--amount", "1e30"], "too large"),
        (["check", "{snap}", "--action", "borrow", "--amount", "12.345"], "two decimals"),
        (["check", "{snap}", "--action", "borrow", "--at", "yesterday-ish"], "at:"),
        (["check", "{snap}", "--action", "fly"], "action"),
        (["check", "{bad}", "--action", "borrow"], "invalid JSON"),
        (["check", "{invalid}", "--action", "borrow"], "limit.available"),
        (["check", "{snap}", "--action", "borrow", "--platform", "/nonexistent/p.json"], "platform"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, snapshot_file: Path,
                                          tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"account_id": "u", "as_of": "2026-11-20T10:00:00+08:00",
                                   "limit": {"available": -1}}), encoding="utf-8")
    argv = [a.format(snap=snapshot_file, bad=bad, invalid=invalid) for a in args]
    done = run_cli(*argv, data_dir=data_dir)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr
