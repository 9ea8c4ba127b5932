"""Lender-wide state: maintenance windows and the funding quota left for new loans."""

from __future__ import annotations

from tools.clock import active_maintenance_windows
from tools.rules.base import Context, Finding, Outcome


def system_maintenance(ctx: Context) -> Outcome:
    windows = active_maintenance_windows(ctx.now, ctx.platform, ctx.policy)
    inputs = {"now": ctx.now, "platform.maintenance": len(ctx.platform.maintenance)}
    if not windows:
        return Outcome(inputs)
    # Overlapping windows: service is back only when the last of them has ended.
    start, end = min(w.start for w in windows), max(w.end for w in windows)
    facts = {"window_start": start, "window_end": end}
    return Outcome(inputs, Finding("SYSTEM_MAINTENANCE", facts, etas={"RETRY_LATER": end}))


def funding_quota(ctx: Context) -> Outcome:
    """Below the minimum draw nothing can be lent (blocking); below the asked amount, less can."""
    quota, minimum = ctx.platform.funding_quota_remaining, ctx.policy.draw.min_amount
    inputs = {"platform.funding_quota_remaining": quota, "amount": ctx.amount}
    if quota is None:
        return Outcome(inputs)
    if quota < minimum:
        return Outcome(inputs, Finding("FUNDING_QUOTA_EXHAUSTED", {"funding_quota_remaining": quota}))
    if ctx.amount is not None and quota < ctx.amount:
        facts = {"funding_quota_remaining": quota, "amount": ctx.amount}
        return Outcome(inputs, Finding("FUNDING_QUOTA_EXHAUSTED", facts, severity="limiting",
                                       steps=("RETRY_LATER", "REDUCE_AMOUNT")))
    return Outcome(inputs)
