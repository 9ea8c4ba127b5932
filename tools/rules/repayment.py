"""Overdue debt and recent repayments: what is owed, and money on its way that has not posted."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tools.clock import posting_eta
from tools.rules.base import Context, Finding, Outcome


def overdue_unpaid(ctx: Context) -> Outcome:
    overdue = ctx.snapshot.overdue
    inputs = {"overdue.amount": overdue.amount, "overdue.days": overdue.days}
    if overdue.amount <= 0:
        return Outcome(inputs)
    return Outcome(inputs, Finding("OVERDUE_UNPAID", {"overdue_amount": overdue.amount, "overdue_days": overdue.days}))


def repayment_not_posted(ctx: Context) -> Outcome:
    """Pending repayments post at their channel's time; once that time has passed, one is late."""
    pending = sorted(
        (r for r in ctx.snapshot.repayments if r.status == "pending"), key=lambda r: (r.paid_at, r.id or "")
    )
    inputs = {"pending_repayments": len(pending)}
    if not pending:
        return Outcome(inputs)
    etas = [(r, posting_eta(r, ctx.policy)) for r in pending]
    items = [{"id": r.id, "amount": r.amount, "channel": r.channel, "paid_at": r.paid_at,
              "posts_at": eta, "late": ctx.now >= eta} for r, eta in etas]
    waiting = [eta for _, eta in etas if ctx.now < eta]
    any_late = len(waiting) < len(etas)
    latest = max(waiting) if waiting else None
    facts = {"repayments": items, "amount": sum((r.amount for r in pending), Decimal(0)),
             "posts_at": latest, "late": any_late}
    # Money still on its way: wait; money overdue to post: a person must look for it.
    steps = ("WAIT_UNTIL",) if not any_late else (("WAIT_UNTIL", "CONTACT_SUPPORT") if waiting else ("CONTACT_SUPPORT",))
    step_etas = {"WAIT_UNTIL": latest} if latest else {}
    return Outcome(inputs, Finding("REPAYMENT_NOT_POSTED", facts, steps=steps, etas=step_etas))


def repayment_failed(ctx: Context) -> Outcome:
    lookback = timedelta(days=ctx.policy.repayment_failed.lookback_days)
    failed = sorted(
        (r for r in ctx.snapshot.repayments if r.status == "failed" and timedelta(0) <= ctx.now - r.paid_at <= lookback),
        key=lambda r: (r.paid_at, r.id or ""),
    )
    inputs = {"failed_repayments_in_window": len(failed), "lookback_days": ctx.policy.repayment_failed.lookback_days}
    if not failed:
        return Outcome(inputs)
    items = [{"id": r.id, "amount": r.amount, "channel": r.channel, "paid_at": r.paid_at} for r in failed]
    return Outcome(inputs, Finding("REPAYMENT_FAILED", {"repayments": items}))


def recent_overdue_history(ctx: Context) -> Outcome:
    overdue = ctx.snapshot.overdue
    inputs = {"overdue.count_12m": overdue.count_12m, "overdue.amount": overdue.amount}
    if overdue.count_12m > 0 and overdue.amount == 0:
        return Outcome(inputs, Finding("RECENT_OVERDUE_HISTORY", {"overdue_count_12m": overdue.count_12m}))
    return Outcome(inputs)
