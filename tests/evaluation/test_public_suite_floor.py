"""CI floor: the whole public suite (eval/cases/*.jsonl) must not fall below today's figures.

Floors sit just under the figures measured when the suite was written (see docs/EVALUATING.md);
raise them as the product improves so quality can only go up. Uses the shipped embedder, so the
first run builds the knowledge index in the temp data dir (a minute or two).
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers.evaluation import PUBLIC_CASES

# Measured 2026-12-06 (deterministic mode, 382 cases, the learned intent model and safety guard):
# overall 0.969, intent 0.971, reason_codes/next_steps 1.0, cite_sections 0.946, must_mention
# 0.984, must_not_mention 1.0, handoff 0.998, refused 0.995; false refusals 0.25 % (1 of 396),
# citation precision 1.0. Before (2026-11-23, regex cues written with this suite): 0.990 overall.
# The suite was written by the same hands as the old cues; the learned model trades ~2 points
# here for the data it was trained on (docs/NLU.md). Floors sit one or two cases below.
# Raised 2026-12-06 (session 23: 378 of 382 pass; overall 0.990, intent 0.990, cite_sections 0.992,
# must_mention and must_not_mention 1.0). Session 24: the intent model no longer trains on any turn
# of this suite (37 had been, via the labelled data and the seeds): 377 of 382, intent 0.988,
# cite_sections 0.977 ("收款银行卡有什么要求" and "怎样保持良好的信用记录" now read off-topic, so
# nothing is cited); the cite_sections floor went down with that honest figure.
FLOORS = {
    "pass_rate": 0.98,
    "pass_rate_intent": 0.98,
    "pass_rate_reason_codes": 0.995,
    "pass_rate_next_steps": 0.995,
    "pass_rate_cite_sections": 0.97,
    "pass_rate_must_mention": 0.99,
    "pass_rate_must_not_mention": 0.99,
    "pass_rate_handoff": 0.995,
    "pass_rate_refused": 0.99,
}
MAX_FALSE_REFUSALS = 0.005


def test_public_suite_stays_above_the_floor(tmp_path: Path) -> None:
    from assistant.evaluation import EvalOptions, evaluate

    summary = evaluate(PUBLIC_CASES, EvalOptions(out=tmp_path / "run", workers=4))
    assert summary["errors"] == 0
    below = {key: (summary[key], floor) for key, floor in FLOORS.items() if (summary[key] or 0) < floor}
    assert not below, f"below the floor (got, floor): {below}; see {tmp_path / 'run' / 'report.html'}"
    assert summary["refusal"]["false_refusal_rate"] <= MAX_FALSE_REFUSALS
    assert summary["citation_precision"]["precision"] >= 0.95
