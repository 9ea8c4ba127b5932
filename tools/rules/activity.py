"""How often the customer has applied and drawn: frequency limits that protect against abuse."""

from __future__ import annotations

from datetime import timedelta

from tools.clock import next_midnight
from tools.rules.base import Context, Finding, Outcome


def too_many_applications(ctx: Context) -> Outcome:
    """N or more applications block a new one until exactly the window after the last one."""
    activity, rule = ctx.snapshot.activity, ctx.policy.applications
    inputs = {"activity.applications_24h": activity.applications_24h,
              "activity.last_application_at": activity.last_application_at}
    if activity.applications_24h < rule.max_in_window:
        return Outcome(inputs)
    last = activity.last_application_at
    blocked_until = last + timedelta(hours=rule.window_hours) if last else None
    if blocked_until is not None and ctx.now >= blocked_until:
        return Outcome(inputs)
    facts = {"applications_24h": activity.applications_24h, "max_applications": rule.max_in_window,
             "last_application_at": last, "blocked_until": blocked_until}
    etas = {"WAIT_UNTIL": blocked_until} if blocked_until else {}
    return Outcome(inputs, Finding("TOO_MANY_APPLICATIONS", facts, etas=etas))


def daily_draw_limit(ctx: Context) -> Outcome:
    """`loans_today` counts draws on the snapshot's day; a request on a later day starts from 0."""
    activity, limit = ctx.snapshot.activity, ctx.policy.draw.max_draws_per_day
    draws_today = activity.loans_today if ctx.today <= ctx.snapshot.as_of.astimezone(ctx.policy.zone).date() else 0
    inputs = {"activity.loans_today": activity.loans_today, "draws_on_request_day": draws_today}
    if draws_today < limit:
        return Outcome(inputs)
    resets_at = next_midnight(ctx.now)
    facts = {"loans_today": draws_today, "max_draws_per_day": limit, "resets_at": resets_at}
    return Outcome(inputs, Finding("DAILY_DRAW_LIMIT_REACHED", facts, etas={"WAIT_UNTIL": resets_at}))
