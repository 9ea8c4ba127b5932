"""What-if: re-run a check on a modified copy of the snapshot and say which reasons go away.

"If I repay the overdue 1,200 first", "for 3,000 instead", "tomorrow at 10:00". The original
snapshot is never changed; `before` always describes the account as it is.

A repayment from balance posts at once. One by bank card or bank transfer frees the limit only
when it posts, so the account is checked at that moment ("如果我下周二转账还6000" is answered for
Wednesday, when the transfer posts), never earlier than the time the customer named.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tools.clock import posting_eta
from tools.engine import run_check
from tools.inputs import to_local
from tools.policy import Policy, load_policy
from tools.result import CheckResult
from tools.snapshot import Platform, Repayment, Snapshot

# How a repayment the customer describes was (or will be) made: the posting times differ.
RepayChannel = Literal["balance", "bank_card", "bank_transfer"]


class Assumption(BaseModel):
    """What the customer supposes: a repayment made now, a later time, or another amount."""

    model_config = ConfigDict(frozen=True)

    repay_amount: Decimal | None = None
    repay_all_overdue: bool = False
    # How the supposed repayment is made; None is from balance (posts at once).
    repay_channel: RepayChannel | None = None
    at: datetime | None = None
    amount: Decimal | None = None


class ScheduledPosting(BaseModel):
    """A pending repayment taken as posted at its channel's time (a what-if at a later time)."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    channel: RepayChannel
    posts_at: datetime


class WhatIfResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    assumption: Assumption
    before: CheckResult
    after: CheckResult
    posts_at: datetime | None = None  # when a card or transfer repayment posts (the check's time)
    # Pending repayments whose posting time comes before the assumed later time: posted on schedule.
    posted_on_schedule: tuple[ScheduledPosting, ...] = ()

    @property
    def resolved_codes(self) -> list[str]:
        after = set(self.after.reason_codes)
        return [code for code in self.before.reason_codes if code not in after]

    @property
    def remaining_codes(self) -> list[str]:
        return self.after.reason_codes

    @property
    def allowed(self) -> bool:
        return self.after.allowed

    @property
    def max_amount_now(self) -> Decimal | None:
        return self.after.max_amount_now


def apply_repayment(snapshot: Snapshot, repay: Decimal) -> Snapshot:
    """A repayment made now, from balance (posts immediately): it clears overdue debt first,
    then outstanding principal, and frees that much limit (never beyond the total)."""
    to_overdue = min(repay, snapshot.overdue.amount)
    overdue = snapshot.overdue.model_copy(update={"amount": snapshot.overdue.amount - to_overdue,
                                                  "days": snapshot.overdue.days if to_overdue < snapshot.overdue.amount else 0})
    freed = min(repay, snapshot.limit.used)
    limit = snapshot.limit.model_copy(update={
        "used": snapshot.limit.used - freed,
        "available": min(snapshot.limit.available + freed, max(snapshot.limit.total, snapshot.limit.available)),
    })
    update: dict = {"overdue": overdue, "limit": limit}
    # A freeze for non-payment is lifted by repaying in full; other freezes need a person.
    if snapshot.status == "frozen" and snapshot.status_reason == "overdue" and overdue.amount == 0:
        update.update(status="active", status_reason=None)
    return snapshot.model_copy(update=update)


def what_if(
    snapshot: Snapshot,
    action: str,
    assumption: Assumption,
    *,
    amount: Decimal | None = None,
    at: datetime | None = None,
    platform: Platform | None = None,
    policy: Policy | None = None,
    before: CheckResult | None = None,
) -> WhatIfResult:
    """Run the check as things are (or take `before`, the caller's result for the same
    request) and under the assumption, side by side."""
    if before is None:
        before = run_check(snapshot, action, amount=amount, at=at, platform=platform, policy=policy)
    check_at = assumption.at or at
    modified, posted = (post_due_repayments(snapshot, assumption.at, policy or load_policy())
                        if assumption.at is not None else (snapshot, ()))
    posts_at = None
    repay = snapshot.overdue.amount if assumption.repay_all_overdue else assumption.repay_amount
    if repay is not None and repay > 0:
        modified = apply_repayment(modified, repay)
        if assumption.repay_channel in ("bank_card", "bank_transfer"):
            posts_at = _posts_at(repay, assumption.repay_channel, check_at or snapshot.as_of, policy or load_policy())
            check_at = posts_at
    after = run_check(
        modified,
        action,
        amount=assumption.amount if assumption.amount is not None else amount,
        at=check_at,
        platform=platform,
        policy=policy,
    )
    return WhatIfResult(assumption=assumption, before=before, after=after, posts_at=posts_at,
                        posted_on_schedule=posted)


def post_due_repayments(snapshot: Snapshot, at: datetime, policy: Policy) -> tuple[Snapshot, tuple[ScheduledPosting, ...]]:
    """The account at a later time `at`: pending repayments whose channel's posting time has come
    by then are posted as scheduled, freeing their limit ("周一入账后呢" asks about the account after
    Monday's posting). The answer says so, since a late posting would leave things as they are."""
    moment = to_local(at, policy.zone)
    etas = {i: posting_eta(r, policy) for i, r in enumerate(snapshot.repayments) if r.status == "pending"}
    due = {i: eta for i, eta in etas.items() if eta <= moment}
    if not due:
        return snapshot, ()
    modified = snapshot
    for i in due:
        modified = apply_repayment(modified, snapshot.repayments[i].amount)
    repayments = [r.model_copy(update={"status": "posted", "posted_at": due[i]}) if i in due else r
                  for i, r in enumerate(snapshot.repayments)]
    postings = tuple(ScheduledPosting(amount=snapshot.repayments[i].amount, channel=snapshot.repayments[i].channel,
                                      posts_at=eta) for i, eta in due.items())
    return modified.model_copy(update={"repayments": repayments}), postings


def _posts_at(repay: Decimal, channel: Literal["bank_card", "bank_transfer"], paid_at: datetime,
              policy: Policy) -> datetime:
    """When a repayment made at `paid_at` through `channel` posts (the policy's posting times)."""
    paid = Repayment(amount=repay, paid_at=to_local(paid_at, policy.zone), channel=channel, status="pending")
    return posting_eta(paid, policy)
