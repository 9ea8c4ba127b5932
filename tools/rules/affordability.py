"""Can the customer carry more debt: debt-to-income, other lenders, income verification."""

from __future__ import annotations

from datetime import date

from tools.rules.base import Context, Finding, Outcome


def high_debt_burden(ctx: Context) -> Outcome:
    """DTI above the limit (equal passes) or too many other lenders: one reason, facts say which."""
    credit, rule = ctx.snapshot.credit, ctx.policy.debt
    inputs = {"credit.debt_to_income": credit.debt_to_income, "credit.external_lenders": credit.external_lenders}
    triggered = []
    if credit.debt_to_income is not None and credit.debt_to_income > rule.max_debt_to_income:
        triggered.append("debt_to_income")
    if credit.external_lenders is not None and credit.external_lenders >= rule.max_external_lenders:
        triggered.append("external_lenders")
    if not triggered:
        return Outcome(inputs)
    facts = {
        "triggered": triggered,
        "debt_to_income": credit.debt_to_income,
        "max_debt_to_income": rule.max_debt_to_income,
        "external_lenders": credit.external_lenders,
        "max_external_lenders": rule.max_external_lenders,
    }
    return Outcome(inputs, Finding("HIGH_DEBT_BURDEN", facts))


def income_recently_verified(verified_at: date | None, today: date, max_age_days: int) -> bool:
    return verified_at is not None and (today - verified_at).days <= max_age_days


def income_verification(ctx: Context) -> Outcome:
    rule, verified_at = ctx.policy.income_verification, ctx.snapshot.credit.income_verified_at
    inputs = {"amount": ctx.amount, "credit.income_verified_at": verified_at, "today": ctx.today}
    if ctx.amount is None or ctx.amount <= rule.amount_above or income_recently_verified(verified_at, ctx.today, rule.max_age_days):
        return Outcome(inputs)
    facts = {
        "amount": ctx.amount,
        "threshold": rule.amount_above,
        "income_verified_at": verified_at,
        "days_since_verification": (ctx.today - verified_at).days if verified_at else None,
    }
    return Outcome(inputs, Finding("INCOME_VERIFICATION_REQUIRED", facts))
