"""The available limit and the amount asked for, against the per-draw minimum and maximum."""

from __future__ import annotations

from tools.rules.base import Context, Finding, Outcome


def no_available_limit(ctx: Context) -> Outcome:
    limit, minimum = ctx.snapshot.limit, ctx.policy.draw.min_amount
    inputs = {"status": ctx.snapshot.status, "limit.available": limit.available, "min_amount": minimum}
    if ctx.snapshot.status != "active" or limit.available >= minimum:
        return Outcome(inputs)
    facts = {"available": limit.available, "total": limit.total, "used": limit.used, "min_amount": minimum}
    return Outcome(inputs, Finding("NO_AVAILABLE_LIMIT", facts))


def amount_below_minimum(ctx: Context) -> Outcome:
    minimum = ctx.policy.draw.min_amount
    inputs = {"amount": ctx.amount, "min_amount": minimum}
    if ctx.amount is None or ctx.amount >= minimum:
        return Outcome(inputs)
    return Outcome(inputs, Finding("AMOUNT_BELOW_MINIMUM", {"amount": ctx.amount, "min_amount": minimum}))


def amount_exceeds_available(ctx: Context) -> Outcome:
    available, minimum = ctx.snapshot.limit.available, ctx.policy.draw.min_amount
    inputs = {"amount": ctx.amount, "limit.available": available}
    # Below the minimum, NO_AVAILABLE_LIMIT already explains it: no second reason for one fact.
    if ctx.amount is None or available < minimum or ctx.amount <= available:
        return Outcome(inputs)
    return Outcome(inputs, Finding("AMOUNT_EXCEEDS_AVAILABLE", {"amount": ctx.amount, "available": available}))


def amount_above_single_maximum(ctx: Context) -> Outcome:
    maximum = ctx.policy.draw.max_amount
    inputs = {"amount": ctx.amount, "max_amount": maximum}
    if ctx.amount is None or ctx.amount <= maximum:
        return Outcome(inputs)
    return Outcome(inputs, Finding("AMOUNT_ABOVE_SINGLE_MAXIMUM", {"amount": ctx.amount, "max_amount": maximum}))
