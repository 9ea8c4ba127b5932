"""Account status: a line that is not open, closed or frozen cannot be used at all."""

from __future__ import annotations

from tools.rules.base import Context, Finding, Outcome

_CODES = {"not_opened": "ACCOUNT_NOT_OPENED", "closed": "ACCOUNT_CLOSED", "frozen": "ACCOUNT_FROZEN"}


def account_status(ctx: Context) -> Outcome:
    snap = ctx.snapshot
    inputs = {"status": snap.status, "status_reason": snap.status_reason}
    code = _CODES.get(snap.status)
    if code is None:
        return Outcome(inputs)
    facts = {"status": snap.status, "status_reason": snap.status_reason, "status_changed_at": snap.status_changed_at}
    # A line frozen for non-payment thaws by repaying; any other freeze needs a person to look at it.
    steps = ("REPAY_OVERDUE",) if code == "ACCOUNT_FROZEN" and snap.status_reason == "overdue" else None
    return Outcome(inputs, Finding(code, facts, steps=steps))
