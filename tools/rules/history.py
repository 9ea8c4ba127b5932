"""The limit's history: reductions, and whether a limit increase may be requested now."""

from __future__ import annotations

from datetime import datetime, timedelta

from tools.inputs import local_midnight
from tools.rules.base import Context, Finding, Outcome
from tools.snapshot import LimitChange


def latest_change(history: tuple[LimitChange, ...]) -> LimitChange | None:
    """The entry with the greatest `at` (on a tie, the later one in the list)."""
    latest = None
    for entry in history:
        if latest is None or entry.at >= latest.at:
            latest = entry
    return latest


def limit_reduced(ctx: Context) -> Outcome:
    latest = latest_change(ctx.snapshot.limit_history)
    inputs = {"limit_history": len(ctx.snapshot.limit_history), "latest_at": latest.at if latest else None}
    if latest is None or latest.to >= latest.from_:
        return Outcome(inputs)
    facts = {"from": latest.from_, "to": latest.to, "at": latest.at, "reason": latest.reason}
    return Outcome(inputs, Finding("LIMIT_REDUCED", facts))


def increase_cooldown(ctx: Context) -> Outcome:
    """One request per cool-down period, whatever the last result was."""
    last = ctx.snapshot.limit_increase
    inputs = {"limit_increase.last_request_at": last.last_request_at, "limit_increase.last_result": last.last_result}
    if last.last_request_at is None:
        return Outcome(inputs)
    until = last.last_request_at + timedelta(days=ctx.policy.limit_increase.cooldown_days)
    if ctx.now >= until:
        return Outcome(inputs)
    facts = {"last_request_at": last.last_request_at, "last_result": last.last_result, "cooldown_until": until}
    return Outcome(inputs, Finding("INCREASE_COOLDOWN", facts, etas={"WAIT_UNTIL": until}))


def increase_eligibility(ctx: Context) -> Outcome:
    """Account age, a clean 12 months and no recent reduction; facts name each condition that fails."""
    snap, rule = ctx.snapshot, ctx.policy.limit_increase
    lookback = timedelta(days=rule.reduction_lookback_days)
    recent_cuts = [e for e in snap.limit_history if e.to < e.from_ and ctx.now - e.at < lookback]
    inputs = {"opened_at": snap.opened_at, "overdue.count_12m": snap.overdue.count_12m,
              "recent_reductions": len(recent_cuts)}
    failed: list[str] = []
    ends: list[datetime | None] = []
    facts: dict = {}
    if snap.opened_at is not None and (ctx.today - snap.opened_at).days < rule.min_account_age_days:
        failed.append("account_age")
        facts.update(opened_at=snap.opened_at, account_age_days=(ctx.today - snap.opened_at).days,
                     min_account_age_days=rule.min_account_age_days)
        ends.append(local_midnight(snap.opened_at + timedelta(days=rule.min_account_age_days), ctx.policy.zone))
    if snap.overdue.count_12m > rule.max_overdue_count_12m:
        failed.append("overdue_history")
        facts["overdue_count_12m"] = snap.overdue.count_12m
        ends.append(None)  # depends on when those episodes age out: not in the snapshot
    if recent_cuts:
        failed.append("recent_reduction")
        last_cut = max(e.at for e in recent_cuts)
        facts.update(last_reduction_at=last_cut, reduction_lookback_days=rule.reduction_lookback_days)
        ends.append(last_cut + lookback)
    if not failed:
        return Outcome(inputs)
    eligible_from = max(ends) if ends and all(e is not None for e in ends) else None  # type: ignore[type-var]
    facts = {"failed": failed, **facts, "eligible_from": eligible_from}
    etas = {"KEEP_GOOD_RECORD": eligible_from} if eligible_from else {}
    return Outcome(inputs, Finding("INCREASE_NOT_ELIGIBLE", facts, etas=etas))
