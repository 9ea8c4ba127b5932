"""`ask` end to end: in-process latency per question, and the CLI's cold start.

    python bench/ask.py [--rounds 20] [--cold 3] [--json figures.json]

In-process: one `Services`, warmed up (classifier loaded, index open), then every question of
QUESTIONS on its demo account, `--rounds` times; p50/p95 in ms, overall and for check-backed
vs. knowledge-base questions. Cold start: `python -m assistant ask demo-overdue … --json` in a
fresh process, `--cold` times (median wall seconds). Uses LIMIT_ASSISTANT_DATA_DIR if set
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
    from assistant.nlu.classifier import default_classifier
    from assistant.services import Services

    services = Services()
    default_classifier()
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


def cold_start(times: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "assistant", "ask", "demo-overdue", "有额度为什么借不出来", "--json"]
    walls = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=os.environ.copy())
        walls.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3), "n": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="la-bench-ask-") as tmp:
        os.environ.setdefault("LIMIT_ASSISTANT_DATA_DIR", str(Path(tmp) / "data"))
        figures = {"ask": in_process(args.rounds), "cli_cold_start": cold_start(args.cold)}
    for kind, row in figures["ask"].items():
        print(f"ask {kind:10} p50 {row['p50_ms']:8.2f} ms   p95 {row['p95_ms']:8.2f} ms   n={row['n']}")
    cold = figures["cli_cold_start"]
    print(f"CLI cold start (ask, --json): median {cold['median_s']:.2f} s over {cold['n']} runs")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
