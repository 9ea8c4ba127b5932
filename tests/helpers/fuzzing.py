"""Shared settings and bookkeeping of the fuzz tests: a fixed, bounded Hypothesis profile and a
count of the inputs each strategy tried (printed at the end of the run, and written as JSON for
`bench/fuzz_report.py` when SECURITY_FUZZ_REPORT names a file).

SECURITY_FUZZ_SCALE multiplies every example budget (default 1: the whole security suite stays
within a few minutes on two cores; a nightly run can use 10).
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

SCALE = float(os.environ.get("SECURITY_FUZZ_SCALE", "1") or "1")
REPORT_ENV = "SECURITY_FUZZ_REPORT"

# Inputs tried per strategy name, over the whole pytest session.
TRIED: Counter[str] = Counter()
# Outcomes of the prompt-injection suite: refused / ignored / got-through.
ATTACK_OUTCOMES: Counter[str] = Counter()


def fuzz_settings(examples: int) -> settings:
    """A derandomized (CI-stable) Hypothesis profile with `examples` × SCALE examples."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture,
                               HealthCheck.large_base_example],
    )


def inputs_total(counts: dict[str, int]) -> int:
    """Inputs over all strategies ("status:" entries tally responses, not inputs)."""
    return sum(n for name, n in counts.items() if not name.startswith("status:"))


def tried(strategy: str) -> None:
    """Count one input of `strategy`."""
    TRIED[strategy] += 1
