"""Reviews in progress: a risk-control hold, a compliance review of the loan purpose."""

from __future__ import annotations

from tools.rules.base import Context, Finding, Outcome


def risk_review_hold(ctx: Context) -> Outcome:
    risk = ctx.snapshot.risk
    inputs = {"risk.hold": risk.hold, "risk.reason": risk.reason, "risk.review_until": risk.review_until}
    if not risk.hold:
        return Outcome(inputs)
    facts = {"risk_reason": risk.reason, "review_until": risk.review_until}
    # A review date already passed is no promise of anything: give no eta rather than a stale one.
    etas = {"WAIT_UNTIL": risk.review_until} if risk.review_until and risk.review_until > ctx.now else {}
    return Outcome(inputs, Finding("RISK_REVIEW_HOLD", facts, etas=etas))


def compliance_review(ctx: Context) -> Outcome:
    review = ctx.snapshot.compliance
    inputs = {"compliance.review_pending": review.review_pending, "compliance.expected_by": review.expected_by}
    if not review.review_pending:
        return Outcome(inputs)
    etas = {"WAIT_UNTIL": review.expected_by} if review.expected_by and review.expected_by > ctx.now else {}
    return Outcome(inputs, Finding("COMPLIANCE_REVIEW", {"expected_by": review.expected_by}, etas=etas))
