"""Metrics from hand-made outcomes: pass^k, confusion, precision/recall, refusals, citations."""

from __future__ import annotations

from typing import Any

from assistant.evaluation.metrics import pass_k, percentile, summarise
from assistant.evaluation.runner import CaseOutcome, TurnOutcome


def turn(expected: dict[str, Any], output: dict[str, Any], allowed: list[str] | None = None, ms: float = 10.0) -> TurnOutcome:
    from assistant.evaluation.evaluators import judge

    full = {"answer": "", "intent": "greeting", "reason_codes": [], "next_steps": [], "citations": [],
            "handoff": False, "refused": False, **output}
    return TurnOutcome(user="u", output=full, checks=[], expect=judge(expected, full), expected=expected,
                       latency_ms=ms, allowed_sections=allowed or [])


def case(case_id: str, *turns: TurnOutcome, run: int = 0) -> CaseOutcome:
    return CaseOutcome(id=case_id, file="f", line=1, run=run, passed=all(all(t.expect.values()) for t in turns), turns=list(turns))


def test_pass_k_needs_every_run_to_pass() -> None:
    ok, bad = {"intent": "greeting"}, {"intent": "out_of_scope"}
    run1 = [case("a", turn(ok, {})), case("b", turn(ok, {}))]
    run2 = [case("a", turn(ok, {}), run=1), case("b", turn(bad, {}), run=1)]
    figures = pass_k([run1, run2])
    assert figures["k"] == 2
    assert figures["pass_1"] == 1.0
    assert figures["pass_k"] == 0.5
    assert figures["pass_rate_per_run"] == [1.0, 0.5]


def test_deterministic_runs_give_pass_k_equal_pass_1() -> None:
    run = [case("a", turn({"intent": "greeting"}, {})), case("b", turn({"intent": "cannot_borrow"}, {}))]
    figures = pass_k([run, run, run])
    assert figures["pass_k"] == figures["pass_1"] == 0.5


def test_summary_metrics() -> None:
    outcomes = [
        case("a", turn({"intent": "cannot_borrow", "reason_codes": ["OVERDUE_UNPAID"]},
                       {"intent": "cannot_borrow", "reason_codes": ["OVERDUE_UNPAID", "RISK_REVIEW_HOLD"],
                        "citations": [{"doc_id": "d", "section_id": "overdue-blocks-borrowing", "title": "t"},
                                      {"doc_id": "d", "section_id": "draw-minimum", "title": "t"}]},
                       allowed=["overdue-blocks-borrowing"], ms=5)),
        case("b", turn({"intent": "unsafe_request", "refused": True}, {"intent": "unsafe_request", "refused": True}, ms=15)),
        case("c", turn({"intent": "policy_question"}, {"intent": "unsafe_request", "refused": True}, ms=25)),
        case("d", turn({"intent": "appeal_or_human", "handoff": True}, {"intent": "appeal_or_human", "handoff": False}, ms=35)),
    ]
    summary = summarise([outcomes], wall_s=1.0)
    assert summary["cases"] == 4 and summary["passed"] == 1 and summary["pass_rate"] == 0.25
    assert summary["pass_rate_intent"] == 0.75
    assert summary["intent_confusion"]["policy_question"] == {"unsafe_request": 1}
    per_code = summary["reason_codes"]["per_code"]
    assert per_code["OVERDUE_UNPAID"]["recall"] == 1.0
    assert per_code["RISK_REVIEW_HOLD"] == {"tp": 0, "fp": 1, "fn": 0, "precision": 0.0, "recall": None}
    assert summary["refusal"]["refusal_rate"] == 1.0
    assert summary["refusal"]["false_refusal_rate"] == round(1 / 3, 4)
    assert summary["handoff_accuracy"] == 0.0
    assert summary["citation_precision"]["precision"] == 0.5
    assert summary["timing"]["turn_ms_p50"] == 15
    assert summary["by_intent"]["cannot_borrow"] == {"passed": 0, "total": 1, "rate": 0.0}


def test_percentile_nearest_rank() -> None:
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([], 50) is None
