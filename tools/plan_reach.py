"""Which reasons no plan step clears (CONTRACT.md section 9, `reachable`/`blocked_by`), and
what still helps when the goal cannot be reached."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tools.catalogue import SEVERITY_RANK, catalogue
from tools.plan_model import PlanStep, StepKind
from tools.plan_simulation import Timeline
from tools.result import CheckResult, NextStep

# Reasons nothing the customer does, and no time the plan can wait for, takes away.
ALWAYS_BLOCKED = frozenset({
    "ACCOUNT_NOT_OPENED", "ACCOUNT_CLOSED", "AGE_INELIGIBLE", "HIGH_DEBT_BURDEN",
    "FUNDING_QUOTA_EXHAUSTED", "AMOUNT_BELOW_MINIMUM", "AMOUNT_ABOVE_SINGLE_MAXIMUM",
})
LIMIT_CODES = ("NO_AVAILABLE_LIMIT", "AMOUNT_EXCEEDS_AVAILABLE")
SUPPORT_STEPS = frozenset({"SUBMIT_APPEAL", "CONTACT_SUPPORT"})
WAIT_STEPS = frozenset({"WAIT_UNTIL", "RETRY_LATER"})
REVIEW_CODES = frozenset({"RISK_REVIEW_HOLD", "COMPLIANCE_REVIEW"})
KIND_ORDER: dict[str, int] = {"you": 0, "support": 1, "wait": 2}


def unclearable(first: CheckResult, timeline: Timeline, needed: Decimal) -> list[str]:
    """The blocking and limiting reasons at the request time that no step clears, ranked.

    A freeze hides NO_AVAILABLE_LIMIT (that rule looks at active lines only), so the limit is
    also judged by arithmetic: repaying everything frees `available + used`, never more."""
    found = [r.code for r in first.reasons
             if r.severity != "info" and _stays(r.code, timeline, needed)]
    # Judged only when nothing else stays: a line that is not open (or closed) has no limit to
    # speak of, and naming "no available limit" beside "not opened" would only confuse.
    limit = timeline.snapshot.limit
    if not found and limit.available + limit.used < needed:
        found.append(LIMIT_CODES[0] if limit.available + limit.used < timeline.policy.draw.min_amount
                     else LIMIT_CODES[1])
    return sorted(found, key=rank)


def _stays(code: str, timeline: Timeline, needed: Decimal) -> bool:
    snap, now = timeline.snapshot, timeline.now
    if code in ALWAYS_BLOCKED:
        return True
    if code == "ACCOUNT_FROZEN":
        # Repaying lifts a freeze for non-payment; with nothing overdue there is nothing to
        # repay, and a freeze for anything else needs a person (our reading of section 9).
        return snap.status_reason != "overdue" or snap.overdue.amount == 0
    if code == "RISK_REVIEW_HOLD":
        return not _ahead(snap.risk.review_until, now)
    if code == "COMPLIANCE_REVIEW":
        return not _ahead(snap.compliance.expected_by, now)
    if code == "TOO_MANY_APPLICATIONS":
        return snap.activity.last_application_at is None
    if code in LIMIT_CODES:
        return snap.limit.available + snap.limit.used < needed
    return False


def _ahead(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment > now


def rank(code: str) -> tuple[int, int]:
    """A reason's place in a check's ranking: severity, then the contract's table order."""
    spec = catalogue().reason(code)
    return SEVERITY_RANK[spec.severity], spec.priority


def help_steps(blocked_by: list[str], first: CheckResult, timeline: Timeline) -> list[PlanStep]:
    """What still helps an unreachable goal: the section 3 steps of the reasons in `blocked_by`.

    Steps that cannot help are left out: a repayment when even repaying everything is too little,
    a wait whose time has passed. A freeze for non-payment with nothing overdue goes to support."""
    found: dict[str, PlanStep] = {}
    for code in blocked_by:
        for step_code, eta in _section3_steps(code, first, timeline):
            if step_code in ("REPAY_OUTSTANDING", "REPAY_OVERDUE"):
                continue
            step = found.get(step_code)
            if step is None:
                found[step_code] = _help_step(step_code, code, eta, timeline.now)
            elif code not in step.clears:
                step.clears.append(code)
    return sorted(found.values(), key=lambda s: (s.at is None, s.at or timeline.now, KIND_ORDER[s.kind]))


def _section3_steps(code: str, first: CheckResult, timeline: Timeline) -> list[tuple[str, datetime | None]]:
    if code == "ACCOUNT_FROZEN" and timeline.snapshot.status_reason == "overdue":
        return [("CONTACT_SUPPORT", None)]
    reason = first.reason(code)
    if reason is None:  # hidden at the request time (behind a freeze): the catalogue's steps
        return [(step, None) for step in catalogue().reason(code).steps]
    return [(step.code, _ahead_or_none(step, timeline.now)) for step in reason.next_steps]


def _ahead_or_none(step: NextStep, now: datetime) -> datetime | None:
    return step.eta if step.eta is not None and step.eta > now else None


def _help_step(step_code: str, reason_code: str, eta: datetime | None, now: datetime) -> PlanStep:
    kind: StepKind = "support" if step_code in SUPPORT_STEPS else "wait" if step_code in WAIT_STEPS else "you"
    at = eta if kind == "wait" else now
    # People decide support steps and reviews; a wait without a known end promises nothing.
    certain = kind == "you" or (kind == "wait" and at is not None and reason_code not in REVIEW_CODES)
    return PlanStep(step_code, kind, at, None, [reason_code], certain)
