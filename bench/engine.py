"""Benchmark of the limit-check engine: checks per second and µs per check.

Run: ``python bench/engine.py [--runs 20000]``. Prints figures; it is not a test.
Measures, for a typical snapshot (a few repayments and limit-history entries):
(a) ``run_check`` on an already parsed snapshot, (b) pydantic parsing from a dict plus
``run_check``, and (c) ``CheckResult.to_json()``. Target: (a) median <= 50 µs on one core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.engine import run_check
from tools.snapshot import parse_platform, parse_snapshot

TARGET_MEDIAN_US = 50.0

TYPICAL_SNAPSHOT: dict[str, Any] = {
    "account_id": "bench-typical",
    "as_of": "2026-11-18T10:00:00+08:00",
    "status": "active",
    "customer": {"age": 34, "id_document_expiry": "2026-12-05", "face_verification_required": False},
    "limit": {"total": 30000, "used": 18500.5, "available": 11499.5},
    "overdue": {"amount": 0, "days": 0, "count_12m": 1},
    "activity": {"loans_today": 1, "applications_24h": 2,
                 "last_application_at": "2026-11-18T08:12:00+08:00"},
    "repayments": [
        {"id": "r1", "amount": 1200, "paid_at": "2026-11-17T21:30:00+08:00",
         "channel": "bank_transfer", "status": "pending"},
        {"id": "r2", "amount": 800, "paid_at": "2026-11-18T09:10:00+08:00",
         "channel": "bank_card", "status": "pending"},
        {"id": "r3", "amount": 500, "paid_at": "2026-11-10T12:00:00+08:00",
         "channel": "balance", "status": "posted", "posted_at": "2026-11-10T12:00:00+08:00"},
        {"id": "r4", "amount": 650, "paid_at": "2026-11-02T12:00:00+08:00",
         "channel": "bank_card", "status": "failed"},
    ],
    "bank_card": {"status": "valid", "last4": "4321"},
    "risk": {"hold": False},
    "compliance": {"review_pending": False},
    "credit": {"debt_to_income": 0.42, "external_lenders": 3, "income_verified_at": "2026-03-01"},
    "limit_history": [
        {"at": "2025-06-01T10:00:00+08:00", "from": 20000, "to": 40000,
         "reason": "increase_approved"},
        {"at": "2026-05-01T10:00:00+08:00", "from": 40000, "to": 30000, "reason": "reassessment"},
        {"at": "2026-09-01T10:00:00+08:00", "from": 30000, "to": 30000, "reason": "policy"},
    ],
    "limit_increase": {"last_request_at": "2026-10-30T10:00:00+08:00", "last_result": "denied"},
    "opened_at": "2024-03-15",
}
TYPICAL_PLATFORM = {"maintenance": [{"start": "2026-11-20T01:00:00+08:00",
                                     "end": "2026-11-20T03:00:00+08:00"}],
                    "funding_quota_remaining": 5000000}


def measure(label: str, call: Callable[[], object], runs: int, warmup: int) -> float:
    """Time `call` `runs` times after `warmup` calls; print and return the median in µs."""
    for _ in range(warmup):
        call()
    samples = []
    clock = time.perf_counter_ns
    for _ in range(runs):
        start = clock()
        call()
        samples.append(clock() - start)
    samples.sort()
    median_us = statistics.median(samples) / 1000
    p95_us = samples[int(len(samples) * 0.95) - 1] / 1000
    per_second = 1e9 * len(samples) / sum(samples)
    print(f"{label:<44} median {median_us:8.1f} µs   p95 {p95_us:8.1f} µs   "
          f"{per_second:10,.0f} /s")
    return median_us


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=2000)
    args = parser.parse_args()

    snapshot = parse_snapshot(TYPICAL_SNAPSHOT)
    platform = parse_platform(TYPICAL_PLATFORM)
    amount = Decimal(5000)
    result = run_check(snapshot, "borrow", amount=amount, platform=platform)
    print(f"typical snapshot: borrow 5000 -> allowed={result.allowed}, "
          f"reasons={[r.code for r in result.reasons]}, trace={len(result.trace)} rules")
    print(f"python {sys.version.split()[0]}, {args.runs} runs after {args.warmup} warm-up calls")

    medians = {}
    for action in ("borrow", "limit_status", "limit_increase"):
        call = partial(run_check, snapshot, action, amount=amount if action == "borrow" else None,
                       platform=platform)
        medians[action] = measure(f"(a) run_check {action} (parsed)", call, args.runs, args.warmup)
    measure("(b) parse_snapshot + parse_platform + borrow",
            lambda: run_check(parse_snapshot(TYPICAL_SNAPSHOT), "borrow", amount=amount,
                              platform=parse_platform(TYPICAL_PLATFORM)),
            args.runs, args.warmup)
    measure("    parse_snapshot alone", lambda: parse_snapshot(TYPICAL_SNAPSHOT),
            args.runs, args.warmup)
    measure("(c) to_json of a borrow result", result.to_json, args.runs, args.warmup)

    verdict = "meets" if medians["borrow"] <= TARGET_MEDIAN_US else "MISSES"
    print(f"parsed borrow check median {medians['borrow']:.1f} µs {verdict} the "
          f"{TARGET_MEDIAN_US:.0f} µs target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
