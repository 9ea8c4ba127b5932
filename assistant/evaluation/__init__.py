"""Scripted evaluation runs (CONTRACT.md section 6): cases as data, one evaluator per
expectation key, metrics, and a self-contained HTML report.

    from assistant.evaluation import EvalOptions, evaluate
    summary = evaluate([Path("eval/cases/borrow.jsonl")], EvalOptions(out=Path("runs/x")))
"""

from assistant.evaluation.cases import EXPECT_KEYS, Case, Expect, load_cases, parse_case_line
from assistant.evaluation.evaluate import EvalOptions, InvalidCases, evaluate, prepare
from assistant.evaluation.evaluators import EVALUATORS, judge, normalise_answer

__all__ = [
    "EVALUATORS",
    "EXPECT_KEYS",
    "Case",
    "EvalOptions",
    "Expect",
    "InvalidCases",
    "evaluate",
    "judge",
    "load_cases",
    "normalise_answer",
    "parse_case_line",
    "prepare",
]
