"""Run the security suite (tests/security) and print how many inputs each fuzz strategy tried,
and the outcome of the prompt-injection suite (issue 9).

    python bench/fuzz_report.py            # the CI budget
    python bench/fuzz_report.py --scale 10 # ten times the examples (a nightly run)
    python bench/fuzz_report.py --json     # the figures as JSON

The counts come from the tests themselves (tests/helpers/fuzzing.py `tried()`), written to a
temporary file through SECURITY_FUZZ_REPORT. Exit status is pytest's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_suite(scale: float, extra: list[str]) -> tuple[int, dict[str, dict[str, int]], float]:
    """(pytest exit status, {"inputs_tried": …, "attacks": …}, seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "fuzz.json"
        env = {**os.environ, "SECURITY_FUZZ_REPORT": str(report), "SECURITY_FUZZ_SCALE": str(scale)}
        started = time.perf_counter()
        status = subprocess.call([sys.executable, "-m", "pytest", "tests/security", "-q", "-p", "no:cacheprovider",
                                  *extra], cwd=REPO, env=env)
        elapsed = time.perf_counter() - started
        figures = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return status, figures, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every example budget")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (e.g. -k fuzz)")
    args = parser.parse_args()
    status, figures, elapsed = run_suite(args.scale, args.pytest_args)
    tried = figures.get("inputs_tried", {})
    attacks = figures.get("attacks", {})
    # "status:" entries tally responses, not inputs (tests/helpers/fuzzing.py inputs_total)
    total = sum(n for name, n in tried.items() if not name.startswith("status:"))
    if args.json:
        print(json.dumps({"scale": args.scale, "seconds": round(elapsed, 1), "pytest_status": status,
                          "inputs_tried": tried, "inputs_total": total, "attacks": attacks}, indent=2))
        return status
    print(f"\nsecurity suite: {elapsed:.0f} s, pytest exit {status}, scale {args.scale}")
    print(f"{'strategy':<52} {'inputs':>8}")
    for name, count in sorted(tried.items()):
        print(f"{name:<52} {count:>8}")
    print(f"{'total inputs':<52} {total:>8}")
    if attacks:
        print("prompt-injection suite: " + ", ".join(f"{k} {v}" for k, v in sorted(attacks.items())))
    return status


if __name__ == "__main__":
    sys.exit(main())
