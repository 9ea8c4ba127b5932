"""The limit-check engine: one function of (snapshot, action, amount, time, platform, policy).

Every rule that applies to the action is evaluated independently and recorded in the trace;
the reasons found are ranked blocking → limiting → info, and within one severity by the
contract's table order (the order of `tools/catalogue/reasons.yaml`). Time comes only from the
input (`at`, else `as_of`); the same input always gives the same output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import get_args

from tools.catalogue import SEVERITY_RANK, Action, Severity, catalogue
from tools.errors import UserInputError
from tools.inputs import to_local
from tools.policy import Policy, load_policy
from tools.result import Cap, CheckResult, NextStep, Reason, TraceEntry
from tools.rules import (
    account,
    activity,
    affordability,
    amount,
    history,
    identity,
    platform,
    repayment,
    review,
)
from tools.rules.base import Context, Finding, Rule
from tools.snapshot import Platform, Snapshot

ACTIONS: tuple[str, ...] = get_args(Action)


@dataclass(frozen=True, slots=True)
class RuleSpec:
    name: str
    check: Rule
    codes: tuple[str, ...]
    needs_amount: bool = False

    def applies_to(self, action: str) -> bool:
        return any(action in catalogue().reason(code).checks for code in self.codes)


@cache
def rules_for(action: str) -> tuple[RuleSpec, ...]:
    """The rules a check evaluates, in priority order (computed once per action)."""
    return tuple(spec for spec in RULES if spec.applies_to(action))


# The rules, in the contract's priority order. Adding a rule = one function + one row here.
RULES: tuple[RuleSpec, ...] = (
    RuleSpec("account_status", account.account_status, ("ACCOUNT_NOT_OPENED", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN")),
    RuleSpec("overdue_unpaid", repayment.overdue_unpaid, ("OVERDUE_UNPAID",)),
    RuleSpec("risk_review_hold", review.risk_review_hold, ("RISK_REVIEW_HOLD",)),
    RuleSpec("compliance_review", review.compliance_review, ("COMPLIANCE_REVIEW",)),
    RuleSpec("id_document", identity.id_document, ("ID_DOCUMENT_EXPIRED", "ID_DOCUMENT_EXPIRING")),
    RuleSpec("face_verification", identity.face_verification, ("FACE_VERIFICATION_REQUIRED",)),
    RuleSpec("bank_card", identity.bank_card, ("BANK_CARD_UNAVAILABLE",)),
    RuleSpec("age", identity.age, ("AGE_INELIGIBLE",)),
    RuleSpec("high_debt_burden", affordability.high_debt_burden, ("HIGH_DEBT_BURDEN",)),
    RuleSpec("too_many_applications", activity.too_many_applications, ("TOO_MANY_APPLICATIONS",)),
    RuleSpec("daily_draw_limit", activity.daily_draw_limit, ("DAILY_DRAW_LIMIT_REACHED",)),
    RuleSpec("system_maintenance", platform.system_maintenance, ("SYSTEM_MAINTENANCE",)),
    RuleSpec("funding_quota", platform.funding_quota, ("FUNDING_QUOTA_EXHAUSTED",)),
    RuleSpec("no_available_limit", amount.no_available_limit, ("NO_AVAILABLE_LIMIT",)),
    RuleSpec("amount_below_minimum", amount.amount_below_minimum, ("AMOUNT_BELOW_MINIMUM",), needs_amount=True),
    RuleSpec("amount_exceeds_available", amount.amount_exceeds_available, ("AMOUNT_EXCEEDS_AVAILABLE",), needs_amount=True),
    RuleSpec("amount_above_single_maximum", amount.amount_above_single_maximum, ("AMOUNT_ABOVE_SINGLE_MAXIMUM",), needs_amount=True),
    RuleSpec("income_verification", affordability.income_verification, ("INCOME_VERIFICATION_REQUIRED",), needs_amount=True),
    RuleSpec("repayment_not_posted", repayment.repayment_not_posted, ("REPAYMENT_NOT_POSTED",)),
    RuleSpec("repayment_failed", repayment.repayment_failed, ("REPAYMENT_FAILED",)),
    RuleSpec("limit_reduced", history.limit_reduced, ("LIMIT_REDUCED",)),
    RuleSpec("recent_overdue_history", repayment.recent_overdue_history, ("RECENT_OVERDUE_HISTORY",)),
    RuleSpec("increase_cooldown", history.increase_cooldown, ("INCREASE_COOLDOWN",)),
    RuleSpec("increase_eligibility", history.increase_eligibility, ("INCREASE_NOT_ELIGIBLE",)),
)

# Reasons that block whatever amount is asked; only AMOUNT_BELOW_MINIMUM depends on the amount.
AMOUNT_DEPENDENT_BLOCKERS = frozenset({"AMOUNT_BELOW_MINIMUM"})


def run_check(
    snapshot: Snapshot,
    action: str,
    *,
    amount: Decimal | None = None,
    at: datetime | None = None,
    platform: Platform | None = None,
    policy: Policy | None = None,
) -> CheckResult:
    """Run every rule of `action` on the snapshot and return the ranked, traced result."""
    if action not in ACTIONS:
        raise UserInputError(f"action: must be one of {', '.join(ACTIONS)}, got {str(action)[:40]!r}")
    if amount is not None and (not amount.is_finite() or amount <= 0):
        raise UserInputError("amount: must be a positive number of yuan")
    policy = policy or load_policy()
    now = to_local(at if at is not None else snapshot.as_of, policy.zone)
    ctx = Context(snapshot, platform or Platform(), policy, action, amount if action == "borrow" else None,  # type: ignore[arg-type]
                  now, now.date())
    findings, trace = _evaluate(ctx)
    reasons = [_to_reason(f) for f in sorted(findings, key=_rank)]
    allowed = not any(r.severity == "blocking" for r in reasons)
    caps = _caps(ctx) if action == "borrow" else []
    return CheckResult.model_construct(
        action=action,
        account_id=snapshot.account_id,
        amount=ctx.amount,
        allowed=allowed,
        max_amount_now=_max_amount_now(reasons, caps) if action == "borrow" else None,
        caps=caps,
        reasons=reasons,
        next_steps=_union_steps(reasons),
        policy_version=policy.policy_version,
        checked_at=now,
        trace=trace,
    )


def _evaluate(ctx: Context) -> tuple[list[Finding], list[TraceEntry]]:
    findings: list[Finding] = []
    trace: list[TraceEntry] = []
    for spec in rules_for(ctx.action):
        if spec.needs_amount and ctx.amount is None:
            trace.append(TraceEntry(rule=spec.name, inputs={"amount": None}, outcome="skipped"))
            continue
        outcome = spec.check(ctx)
        finding = outcome.finding
        if finding is not None and ctx.action not in catalogue().reason(finding.code).checks:
            finding = None  # e.g. ID_DOCUMENT_* are borrow-only even though the rule is shared
        trace.append(TraceEntry(
            rule=spec.name, inputs=outcome.inputs, outcome=finding.code if finding else "pass"))
        if finding is not None:
            findings.append(finding)
    return findings, trace


def _severity(finding: Finding) -> Severity:
    return finding.severity or catalogue().reason(finding.code).severity


def _rank(finding: Finding) -> tuple[int, int]:
    return SEVERITY_RANK[_severity(finding)], catalogue().reason(finding.code).priority


def _to_reason(finding: Finding) -> Reason:
    spec = catalogue().reason(finding.code)
    steps = [_step(code, finding.etas.get(code)) for code in (finding.steps or spec.steps)]
    return Reason(
        code=finding.code,
        severity=_severity(finding),
        facts=finding.facts,
        policy_refs=list(spec.policy_refs),
        next_steps=steps,
    )


def _step(code: str, eta: datetime | None) -> NextStep:
    spec = catalogue().step(code)
    return NextStep(code=code, text=spec.text, eta=eta, self_service=spec.self_service)


def _union_steps(reasons: list[Reason]) -> list[NextStep]:
    """The union over the reasons' steps, deduplicated by code in first-seen order."""
    seen: dict[str, NextStep] = {}
    for reason in reasons:
        for step in reason.next_steps:
            seen.setdefault(step.code, step)
    return list(seen.values())


def _caps(ctx: Context) -> list[Cap]:
    """Every ceiling that applies to a draw now (section 3), whether or not something blocks."""
    caps = [Cap("available", ctx.snapshot.limit.available), Cap("single_maximum", ctx.policy.draw.max_amount)]
    income = ctx.policy.income_verification
    if not affordability.income_recently_verified(ctx.snapshot.credit.income_verified_at, ctx.today, income.max_age_days):
        caps.append(Cap("income_verification", income.amount_above))
    if ctx.platform.funding_quota_remaining is not None:
        caps.append(Cap("funding_quota", ctx.platform.funding_quota_remaining))
    return caps


def _max_amount_now(reasons: list[Reason], caps: list[Cap]) -> Decimal:
    """0 when something blocks whatever the amount; else the smallest cap."""
    if any(r.severity == "blocking" and r.code not in AMOUNT_DEPENDENT_BLOCKERS for r in reasons):
        return Decimal(0)
    return min(cap.amount for cap in caps)
