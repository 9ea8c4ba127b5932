"""The account as a recourse plan imagines it (CONTRACT.md section 9, "Effects").

A `Timeline` holds one request: the snapshot, the request time and the goal amount. It answers
"what would the borrow check say at time T if the customer did these steps now?" by applying the
section 9 effects to a copy of the snapshot (the original is never changed) and re-running the
engine's borrow check. Time passing posts the pending repayments that are still on time and
lifts dated reviews (assumed to decide in the customer's favour; the plan marks them uncertain).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tools.clock import posting_eta
from tools.engine import run_check
from tools.plan_model import PendingRepayment
from tools.policy import Policy
from tools.result import CheckResult
from tools.snapshot import Platform, Repayment, Snapshot

GOAL_SEVERITIES = frozenset({"blocking", "limiting"})


@dataclass(frozen=True, slots=True)
class CustomerStep:
    """A `you` step, done at the request time; `amount` on repayment steps."""

    step: str
    amount: Decimal | None = None


def ceil_minute(moment: datetime) -> datetime:
    """Plans speak in whole minutes: an event at 10:30:45 counts from 10:31."""
    if moment.second == 0 and moment.microsecond == 0:
        return moment
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def goal_codes(result: CheckResult) -> list[str]:
    """The reasons that keep the goal unmet: every blocking and limiting one, ranked."""
    return [reason.code for reason in result.reasons if reason.severity in GOAL_SEVERITIES]


def pay(snapshot: Snapshot, amount: Decimal, *, overdue_first: bool) -> Snapshot:
    """A repayment posting: overdue first (when it is one that pays overdue), then `limit.used`
    down and `limit.available` up by the same amount. A freeze for non-payment lifts when this
    payment brings the overdue to 0; other freezes need a person."""
    update: dict = {}
    overdue = snapshot.overdue
    if overdue_first and overdue.amount > 0:
        left = overdue.amount - min(amount, overdue.amount)
        update["overdue"] = overdue.model_copy(update={"amount": left, "days": overdue.days if left else 0})
        if left == 0 and snapshot.status == "frozen" and snapshot.status_reason == "overdue":
            update.update(status="active", status_reason=None)
    freed = min(amount, snapshot.limit.used)
    if freed:
        limit = snapshot.limit
        update["limit"] = limit.model_copy(update={"used": limit.used - freed, "available": limit.available + freed})
    return snapshot.model_copy(update=update) if update else snapshot


def apply_customer_step(snapshot: Snapshot, step: CustomerStep, now: datetime) -> Snapshot:
    """Section 9's effect of one `you` step. Repayment steps are made from balance (immediate)."""
    code = step.step
    if code == "REPAY_OVERDUE":
        return pay(snapshot, step.amount or Decimal(0), overdue_first=True)
    if code == "REPAY_OUTSTANDING":
        return pay(snapshot, step.amount or Decimal(0), overdue_first=False)
    if code == "UPDATE_ID_DOCUMENT":
        return _update(snapshot, "customer", id_document_expiry=None)
    if code == "COMPLETE_FACE_VERIFICATION":
        return _update(snapshot, "customer", face_verification_required=False)
    if code == "UPDATE_BANK_CARD":
        return _update(snapshot, "bank_card", status="valid")
    if code == "VERIFY_INCOME":
        return _update(snapshot, "credit", income_verified_at=now.date())
    raise ValueError(f"no simulated effect for step {code}")


def _update(snapshot: Snapshot, part: str, **values: object) -> Snapshot:
    return snapshot.model_copy(update={part: getattr(snapshot, part).model_copy(update=values)})


class Timeline:
    """One plan request: what the borrow check says at a time, after the customer's steps."""

    def __init__(self, snapshot: Snapshot, platform: Platform, policy: Policy,
                 amount: Decimal | None, now: datetime) -> None:
        self.snapshot, self.platform, self.policy = snapshot, platform, policy
        self.amount, self.now = amount, now
        pending = sorted((r for r in snapshot.repayments if r.status == "pending"),
                         key=lambda r: (posting_eta(r, policy), r.paid_at, r.id or ""))
        timed = [(r, posting_eta(r, policy)) for r in pending]
        # Still on time: assumed to post when due. Late: not relied on (support must trace it).
        self.on_time: list[tuple[Repayment, datetime]] = [(r, eta) for r, eta in timed if eta > now]
        self.late: list[tuple[Repayment, datetime]] = [(r, eta) for r, eta in timed if eta <= now]
        self._prepared: dict[tuple[CustomerStep, ...], Snapshot] = {}
        self._checked: dict[tuple[tuple[CustomerStep, ...], datetime], CheckResult] = {}

    @property
    def pending_total(self) -> Decimal:
        return sum((r.amount for r, _ in self.on_time), Decimal(0))

    def review_dates(self) -> list[datetime]:
        """Dated reviews still ahead; a hold without a date, or one already past, decides nothing."""
        snap, dates = self.snapshot, []
        if snap.risk.hold and snap.risk.review_until and snap.risk.review_until > self.now:
            dates.append(snap.risk.review_until)
        if snap.compliance.review_pending and snap.compliance.expected_by and snap.compliance.expected_by > self.now:
            dates.append(snap.compliance.expected_by)
        return dates

    def state(self, steps: tuple[CustomerStep, ...], at: datetime) -> Snapshot:
        """The snapshot at `at`: the customer's steps done now, then time passing until `at`."""
        snap = self._after_steps(steps)
        for repayment, eta in self.on_time:
            if ceil_minute(eta) > at:
                break
            snap = pay(snap, repayment.amount, overdue_first=True)
            posted = tuple(r.model_copy(update={"status": "posted", "posted_at": eta}) if r is repayment else r
                           for r in snap.repayments)
            snap = snap.model_copy(update={"repayments": posted})
        risk, review = snap.risk, snap.compliance
        if risk.hold and risk.review_until and self.now < risk.review_until and ceil_minute(risk.review_until) <= at:
            snap = _update(snap, "risk", hold=False)
        if (review.review_pending and review.expected_by and self.now < review.expected_by
                and ceil_minute(review.expected_by) <= at):
            snap = _update(snap, "compliance", review_pending=False)
        return snap

    def check(self, steps: tuple[CustomerStep, ...], at: datetime) -> CheckResult:
        """The borrow check with the goal amount on the simulated snapshot (each one run once)."""
        key = (steps, at)
        result = self._checked.get(key)
        if result is None:
            result = run_check(self.state(steps, at), "borrow", amount=self.amount, at=at,
                               platform=self.platform, policy=self.policy)
            self._checked[key] = result
        return result

    def _after_steps(self, steps: tuple[CustomerStep, ...]) -> Snapshot:
        snap = self._prepared.get(steps)
        if snap is None:
            snap = self.snapshot
            for step in steps:
                snap = apply_customer_step(snap, step, self.now)
            self._prepared[steps] = snap
        return snap

    def pending_refs(self, late: bool = False) -> list[PendingRepayment]:
        return [PendingRepayment(id=r.id, amount=r.amount, channel=r.channel, paid_at=r.paid_at, posts_at=eta)
                for r, eta in (self.late if late else self.on_time)]
