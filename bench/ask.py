"""`ask` end to end: in-process latency per question, and the CLI's cold start.

    python bench/ask.py [--rounds 20] [--cold 3] [--json figures.json]

In-process: one `Services`, warmed up (classifier loaded, index open), then every question of
QUESTIONS on its demo account, `--rounds` times; p50/p95 in ms, overall and for check-backed
vs. knowledge-base questions. Cold start: `ask` and `check` (an account id from the store, and a
snapshot file) in fresh processes beside `python -c pass`, interleaved `--cold` times (median
wall seconds, the same less `python -c pass`, and the child's CPU seconds). Uses LIMIT_ASSISTANT_DATA_DIR if set
(bench/run_all.py points it at a temp dir with a built index), else a temp dir of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (account id, question, kind): the mix a support desk sees, both languages.
QUESTIONS: list[tuple[str, str, str]] = [
    ("demo-overdue", "有额度为什么借不出来", "check"),
    ("demo-small-limit", "为什么借5000借不了", "check"),
    ("demo-pending-transfer", "还款了额度怎么没恢复", "check"),
    ("demo-reduced", "额度怎么被降了", "check"),
    ("demo-increase-cooldown", "为什么提额失败", "check"),
    ("demo-healthy", "我现在最多能借多少", "check"),
    ("demo-multi-risk", "Why can't I borrow?", "check"),
    ("demo-healthy", "单笔最少借多少", "knowledge"),
    ("demo-healthy", "逾期了还能借吗", "knowledge"),
    ("demo-healthy", "How long until a bank transfer repayment posts?", "knowledge"),
    ("demo-healthy", "你好", "fixed"),
    ("demo-healthy", "怎么刷额度", "fixed"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * q // 100) - 1))]


def in_process(rounds: int) -> dict[str, Any]:
    from assistant.accounts import load_account
    from assistant.nlu.encoder import encode
    from assistant.nlu.intent_model import default_model
    from assistant.services import Services

    services = Services()
    default_model()
    encode(["warm up"])
    services.assistant.retriever  # noqa: B018 -- open (or build) the index before timing
    accounts = {a: load_account(a, services.store) for a, _, _ in QUESTIONS}
    samples: dict[str, list[float]] = {"all": [], "check": [], "knowledge": [], "fixed": []}
    for _ in range(rounds):
        for account_id, question, kind in QUESTIONS:
            snapshot, platform = accounts[account_id]
            started = time.perf_counter()
            services.assistant.ask(question, snapshot, platform=platform)
            ms = (time.perf_counter() - started) * 1000
            samples["all"].append(ms)
            samples[kind].append(ms)
    return {kind: {"p50_ms": round(percentile(v, 50), 2), "p95_ms": round(percentile(v, 95), 2), "n": len(v)}
            for kind, v in samples.items() if v}


# Cold starts, each a fresh process, against `python -c pass` in the same run (a busy machine
# slows them all alike). Targets on an idle machine: ask <= 1.5 s, check <= 0.6 s.
COLD_COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "ask (store id, --json)": ["-m", "assistant", "ask", "demo-overdue", "有额度为什么借不出来", "--json"],
    "check (store id, --json)": ["-m", "assistant", "check", "demo-overdue", "--action", "borrow", "--json"],
    "check (snapshot file, --json)": ["-m", "assistant", "check", "{snapshot}", "--action", "borrow", "--json"],
}


def cold_start(times: int) -> dict[str, Any]:
    """Median wall seconds (and CPU seconds of the child) per command, interleaved `times` times."""
    import resource

    from assistant.store import jsoncodec
    from assistant.store.seed import load_demo_accounts

    snapshot = Path(os.environ["LIMIT_ASSISTANT_DATA_DIR"]) / "demo-overdue.json"
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    demo = next(a for a in load_demo_accounts() if a.account_id == "demo-overdue")
    snapshot.write_text(jsoncodec.dumps(demo.snapshot), encoding="utf-8")
    walls: dict[str, list[float]] = {name: [] for name in COLD_COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COLD_COMMANDS}
    subprocess.run([sys.executable, *COLD_COMMANDS["check (store id, --json)"]], cwd=ROOT, check=True,
                   capture_output=True, env=os.environ.copy())  # the store exists before timing
    for _ in range(times):
        for name, args in COLD_COMMANDS.items():
            command = [sys.executable, *(arg.format(snapshot=snapshot) for arg in args)]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=os.environ.copy())
            walls[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    baseline = statistics.median(walls["python -c pass"])
    return {name: {"median_s": round(statistics.median(walls[name]), 3),
                   "over_python_s": round(statistics.median(walls[name]) - baseline, 3),
                   "cpu_s": round(statistics.median(cpus[name]), 3), "n": times}
            for name in COLD_COMMANDS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="in-process rounds (0: cold starts only)")
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="la-bench-ask-") as tmp:
        os.environ.setdefault("LIMIT_ASSISTANT_DATA_DIR", str(Path(tmp) / "data"))
        figures = {"ask": in_process(args.rounds) if args.rounds else {}, "cli_cold_start": cold_start(args.cold)}
    for kind, row in figures["ask"].items():
        print(f"ask {kind:10} p50 {row['p50_ms']:8.2f} ms   p95 {row['p95_ms']:8.2f} ms   n={row['n']}")
    for name, cold in figures["cli_cold_start"].items():
        print(f"cold start {name:30} median {cold['median_s']:5.2f} s  (+{cold['over_python_s']:.2f} s over "
              f"python -c pass; CPU {cold['cpu_s']:.2f} s; n={cold['n']})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
