"""Figures of an evaluation run: `summary.json` (CONTRACT.md section 6, plus the metrics below).

All figures come from the judged turns of the first run, except pass^k (all runs) and latency
(every turn of every run). Definitions:

- pass rate per key: judged turns whose key passed ÷ judged turns carrying the key.
- intent confusion: expected intent → intent returned → count.
- reason-code precision/recall per code: over turns expecting `reason_codes`, a code returned
  and expected is a true positive, returned but not expected a false positive, expected but not
  returned a false negative.
- next-step set accuracy: turns whose step set equals the expected set (= the key's pass rate),
  plus micro precision/recall of the step codes.
- refusal rate: turns expected refused (or intent `unsafe_request`) that were refused;
  false-refusal rate: turns expected not refused that were refused.
- hand-off accuracy: turns expecting `handoff` whose flag matched.
- citation precision: over every turn that cites, cited sections within the allowed sections
  (the reasons' policy_refs, the retrieved sections of a policy answer, the intent's fixed
  sections) ÷ all cited sections.
- pass^k: cases that passed in every one of the k runs ÷ cases; pass^1 is the first run's rate.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.evaluation.cases import EXPECT_KEYS
from assistant.evaluation.runner import CaseOutcome, TurnOutcome


def _rate(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return round(ordered[rank - 1], 3)


def judged_turns(outcomes: Iterable[CaseOutcome]) -> list[TurnOutcome]:
    return [t for o in outcomes for t in o.turns if t.judged]


def key_rates(turns: Sequence[TurnOutcome]) -> dict[str, dict[str, Any]]:
    by_key: dict[str, dict[str, Any]] = {}
    for key in EXPECT_KEYS:
        results = [t.expect[key] for t in turns if key in t.expect]
        by_key[key] = {"passed": sum(results), "total": len(results), "rate": _rate(sum(results), len(results))}
    return by_key


def intent_confusion(turns: Sequence[TurnOutcome]) -> dict[str, dict[str, int]]:
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    for t in turns:
        if "intent" in t.expected:
            matrix[t.expected["intent"]][str(t.output.get("intent"))] += 1
    return {expected: dict(sorted(got.items())) for expected, got in sorted(matrix.items())}


def code_precision_recall(turns: Sequence[TurnOutcome], key: str) -> dict[str, dict[str, Any]]:
    """Per code of `key` (reason_codes or next_steps): tp, fp, fn, precision, recall."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for t in turns:
        if key not in t.expected:
            continue
        expected, got = set(t.expected[key]), set(t.output.get(key) or [])
        for code in expected & got:
            counts[code]["tp"] += 1
        for code in got - expected:
            counts[code]["fp"] += 1
        for code in expected - got:
            counts[code]["fn"] += 1
    return {code: {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"],
                   "precision": _rate(c["tp"], c["tp"] + c["fp"]), "recall": _rate(c["tp"], c["tp"] + c["fn"])}
            for code, c in sorted(counts.items())}


def micro(per_code: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    tp = sum(c["tp"] for c in per_code.values())
    fp = sum(c["fp"] for c in per_code.values())
    fn = sum(c["fn"] for c in per_code.values())
    return {"precision": _rate(tp, tp + fp), "recall": _rate(tp, tp + fn)}


def refusal_rates(turns: Sequence[TurnOutcome]) -> dict[str, Any]:
    def should_refuse(t: TurnOutcome) -> bool | None:
        if "refused" in t.expected:
            return bool(t.expected["refused"])
        if "intent" in t.expected:
            return t.expected["intent"] == "unsafe_request"
        return None

    must = [t for t in turns if should_refuse(t) is True]
    must_not = [t for t in turns if should_refuse(t) is False]
    refused = sum(bool(t.output.get("refused")) for t in must)
    false = sum(bool(t.output.get("refused")) for t in must_not)
    return {"refusal_rate": _rate(refused, len(must)), "false_refusal_rate": _rate(false, len(must_not)),
            "should_refuse": len(must), "should_answer": len(must_not)}


def citation_precision(turns: Sequence[TurnOutcome]) -> dict[str, Any]:
    cited = within = 0
    for t in turns:
        ids = [c["section_id"] for c in t.output.get("citations") or []]
        cited += len(ids)
        within += sum(i in t.allowed_sections for i in ids)
    return {"precision": _rate(within, cited), "cited": cited, "within_allowed": within}


def timing(runs: Sequence[Sequence[CaseOutcome]], wall_s: float) -> dict[str, Any]:
    turns = [t.latency_ms for run in runs for o in run for t in o.turns]
    cases = [o.latency_ms for run in runs for o in run]
    return {
        "wall_s": round(wall_s, 3),
        "turns": len(turns),
        "turn_ms_p50": percentile(turns, 50),
        "turn_ms_p95": percentile(turns, 95),
        "turn_ms_mean": round(statistics.fmean(turns), 3) if turns else None,
        "turn_ms_max": round(max(turns), 3) if turns else None,
        "case_ms_p50": percentile(cases, 50),
        "case_ms_p95": percentile(cases, 95),
    }


def pass_k(runs: Sequence[Sequence[CaseOutcome]]) -> dict[str, Any]:
    first = runs[0] if runs else []
    all_passed = [all(run[i].passed for run in runs) for i in range(len(first))]
    per_run = [_rate(sum(o.passed for o in run), len(run)) for run in runs]
    return {"k": len(runs), "pass_1": _rate(sum(o.passed for o in first), len(first)),
            "pass_k": _rate(sum(all_passed), len(all_passed)), "pass_rate_per_run": per_run}


def tag_rates(outcomes: Sequence[CaseOutcome], field: str) -> dict[str, dict[str, Any]]:
    """Case pass rate grouped by the expected intent or by each expected reason code."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for o in outcomes:
        labels: set[str] = set()
        for t in o.turns:
            value = t.expected.get(field)
            if isinstance(value, str):
                labels.add(value)
            elif isinstance(value, list):
                labels |= set(value) or {"(none)"}
        for label in labels:
            groups[label].append(o.passed)
    return {label: {"passed": sum(v), "total": len(v), "rate": _rate(sum(v), len(v))}
            for label, v in sorted(groups.items())}


def summarise(runs: Sequence[Sequence[CaseOutcome]], *, wall_s: float, invalid: int = 0,
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """`summary.json`: the contract's keys first, then the metrics of the module docstring."""
    first = list(runs[0]) if runs else []
    turns = judged_turns(first)
    by_key = key_rates(turns)
    reasons = code_precision_recall(turns, "reason_codes")
    steps = code_precision_recall(turns, "next_steps")
    passed = sum(o.passed for o in first)
    return {
        "cases": len(first),
        "passed": passed,
        "pass_rate": _rate(passed, len(first)),
        **{f"pass_rate_{key}": value["rate"] for key, value in by_key.items()},
        "by_key": by_key,
        "timing": timing(runs, wall_s),
        "pass_k": pass_k(runs),
        "errors": sum(o.error is not None for o in first),
        "invalid_lines": invalid,
        "judged_turns": len(turns),
        "intent_confusion": intent_confusion(turns),
        "reason_codes": {"micro": micro(reasons), "per_code": reasons},
        "next_steps": {"set_accuracy": by_key["next_steps"]["rate"], "micro": micro(steps), "per_code": steps},
        "refusal": refusal_rates(turns),
        "handoff_accuracy": by_key["handoff"]["rate"],
        "citation_precision": citation_precision([t for o in first for t in o.turns]),
        "by_intent": tag_rates(first, "intent"),
        "by_reason_code": tag_rates(first, "reason_codes"),
        **(extra or {}),
    }
