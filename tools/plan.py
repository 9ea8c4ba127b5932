"""The recourse planner (CONTRACT.md section 9): the fastest way back to borrowing.

`plan(snapshot, platform, policy, amount, at)` says what to do, in what order, and from when a
borrow of `amount` (or of any amount from the policy minimum) is possible. It is a pure function
like `run_check`: time comes from the input, money is Decimal, the same input gives the same plan.

How it works, in four moves:
1. The borrow check at the request time. Met already: no steps. A reason no step clears
   (`tools.plan_reach`): unreachable, with what still helps.
2. The customer's steps (`you`, at the request time): the repayment amounts are what pending
   repayments still on time do not cover (never ask for money twice), plus every fix the horizon
   could need (an ID that expires while waiting).
3. The earliest minute: the check is re-run, on the simulated snapshot, at each time something
   changes (a posting, a review date, the end of the 24 h window, the daily reset, the end of a
   maintenance window); nothing changes in between, so the first time the goal holds is exact.
4. Minimal steps: a `you` step is dropped when the goal still holds at `earliest_at` without it;
   the waits are the times at which the remaining reasons stop applying.

Readings of section 9 where it leaves room (also in the issue 14 report):
- Times are whole minutes: an event at 10:30:45 counts from 10:31. The request time stays as given.
- `REPAY_OVERDUE {amount}` lowers the overdue by `amount` (to 0 when it pays all of it, the
  contract's case); when pending repayments cover the rest, the overdue is 0 once they post.
- Waits sit at the times things happen: each posting and review date, and the time the last
  reason lapses. A reason that lapses in between (the 24 h window, the daily reset, the
  request's maintenance window) is named by the next wait. A maintenance window met on the way
  moves only `earliest_at`: the daily reset waits until 00:00 and `earliest_at` is 00:10.
- Minimality is about what the customer is asked to do (`you` steps, and each repayment amount
  to the cent). `CONTACT_SUPPORT` for a late pending repayment is added whenever there is one,
  as the contract says, although the goal does not need it.
- Unreachable: `blocked_by` is what no step clears at the request time, or what is left at the
  last time looked at within the 60 days; `steps` are those reasons' section 3 steps that can
  still help (no repayment: repaying cannot reach the goal). See `tools.plan_reach`.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from decimal import Decimal

from tools.errors import UserInputError
from tools.inputs import local_midnight, to_local
from tools.plan_model import Goal, Plan, PlanStep
from tools.plan_reach import help_steps, rank, unclearable
from tools.plan_simulation import CustomerStep, Timeline, ceil_minute, goal_codes
from tools.policy import Policy, load_policy
from tools.result import CheckResult
from tools.rules.affordability import income_recently_verified
from tools.snapshot import Platform, Snapshot

# Section 9 fixes how far the search looks; beyond it the plan is unreachable. A contract
# constant, not a lending threshold, so it is not in the policy file.
HORIZON = timedelta(days=60)
MAINTENANCE = "SYSTEM_MAINTENANCE"
REVIEW_CODES = frozenset({"RISK_REVIEW_HOLD", "COMPLIANCE_REVIEW"})
SHORTAGE = frozenset({"NO_AVAILABLE_LIMIT", "AMOUNT_EXCEEDS_AVAILABLE"})


def plan(
    snapshot: Snapshot,
    platform: Platform | None = None,
    policy: Policy | None = None,
    amount: Decimal | None = None,
    at: datetime | None = None,
) -> Plan:
    """The recourse plan for borrowing `amount` (None: any draw) as of `at` (default `as_of`)."""
    if amount is not None and (not amount.is_finite() or amount <= 0):
        raise UserInputError("amount: must be a positive number of yuan")
    policy = policy or load_policy()
    now = to_local(at if at is not None else snapshot.as_of, policy.zone)
    timeline = Timeline(snapshot, platform or Platform(), policy, amount, now)
    first = timeline.check((), now)
    result = _Builder(timeline, first)
    if not goal_codes(first):
        return result.plan(True, now, first.max_amount_now, [], [])
    blocked = unclearable(first, timeline, _needed(timeline))
    if blocked:
        return result.plan(False, None, None, help_steps(blocked, first, timeline), blocked)
    steps, window_end = _customer_steps(timeline), _request_window_end(first)
    found = _search(timeline, steps, window_end)
    if isinstance(found, list):  # nothing met within the horizon: what is left at its end
        return result.plan(False, None, None, help_steps(found, first, timeline), found)
    clear_at, earliest = found
    kept, clears = _minimal(timeline, steps, earliest, goal_codes(first))
    final = timeline.check(kept, earliest)
    planned = ([PlanStep(s.step, "you", now, s.amount, clears[s], True) for s in kept]
               + _support_steps(timeline)
               + _wait_steps(timeline, kept, clear_at, window_end))
    return result.plan(True, earliest, final.max_amount_now, planned, [])


class _Builder:
    def __init__(self, timeline: Timeline, first: CheckResult) -> None:
        self.timeline, self.first = timeline, first

    def plan(self, reachable: bool, earliest: datetime | None, amount_at_goal: Decimal | None,
             steps: list[PlanStep], blocked_by: list[str]) -> Plan:
        return Plan(goal=Goal(self.timeline.amount), reachable=reachable, earliest_at=earliest,
                    amount_now=self.first.max_amount_now or Decimal(0), amount_at_goal=amount_at_goal,
                    steps=steps, blocked_by=blocked_by, policy_version=self.first.policy_version,
                    checked_at=self.timeline.now)


def _needed(timeline: Timeline) -> Decimal:
    """The available limit the goal needs: the amount, and never less than the minimum draw."""
    minimum = timeline.policy.draw.min_amount
    return minimum if timeline.amount is None else max(minimum, timeline.amount)


def _customer_steps(timeline: Timeline) -> tuple[CustomerStep, ...]:
    """Every `you` step the goal could need within the horizon, in the contract's reason order.

    Repayments ask only for what the pending repayments still on time do not cover."""
    snap, policy, now = timeline.snapshot, timeline.policy, timeline.now
    horizon_day = (now + HORIZON).date()
    steps: list[CustomerStep] = []
    overdue_left = max(Decimal(0), snap.overdue.amount - timeline.pending_total)
    if overdue_left > 0:
        steps.append(CustomerStep("REPAY_OVERDUE", overdue_left))
    if snap.customer.id_document_expiry is not None and snap.customer.id_document_expiry <= horizon_day:
        steps.append(CustomerStep("UPDATE_ID_DOCUMENT"))
    if snap.customer.face_verification_required:
        steps.append(CustomerStep("COMPLETE_FACE_VERIFICATION"))
    if snap.bank_card.status != "valid":
        steps.append(CustomerStep("UPDATE_BANK_CARD"))
    # What is still short once every on-time repayment has posted and the overdue is repaid.
    paid_up = timeline.state(tuple(steps), now + HORIZON)
    shortfall = _needed(timeline) - paid_up.limit.available
    if shortfall > 0:
        steps.append(CustomerStep("REPAY_OUTSTANDING", shortfall))
    income = policy.income_verification
    if (timeline.amount is not None and timeline.amount > income.amount_above
            and not income_recently_verified(snap.credit.income_verified_at, horizon_day, income.max_age_days)):
        steps.append(CustomerStep("VERIFY_INCOME"))
    return tuple(steps)


def _events(timeline: Timeline, first_window_end: datetime | None) -> list[datetime]:
    """Every time at which a reason can stop applying, as whole minutes after the request."""
    snap, now = timeline.snapshot, timeline.now
    times = [eta for _, eta in timeline.on_time] + timeline.review_dates()
    last = snap.activity.last_application_at
    if last is not None:
        times.append(last + timedelta(hours=timeline.policy.applications.window_hours))
    if snap.activity.loans_today >= timeline.policy.draw.max_draws_per_day:
        day = snap.as_of.astimezone(timeline.policy.zone).date()
        times.append(local_midnight(day + timedelta(days=1), timeline.policy.zone))  # draws count per day
    if first_window_end is not None:
        times.append(first_window_end)
    return sorted({ceil_minute(t) for t in times if t > now})


def _search(timeline: Timeline, steps: tuple[CustomerStep, ...],
            first_window_end: datetime | None) -> tuple[datetime, datetime] | list[str]:
    """(when the last reason clears, the earliest minute the goal holds), or, when the goal is
    not met within the horizon, the reasons left at the last time looked at.

    A maintenance window met on the way only moves the earliest minute to its end."""
    now, limit = timeline.now, timeline.now + HORIZON
    queue = [now, *_events(timeline, first_window_end)]
    heapq.heapify(queue)
    clear_at: datetime | None = None
    left: list[str] = []
    seen: set[datetime] = set()
    while queue:
        moment = heapq.heappop(queue)
        if moment in seen or moment > limit:
            continue
        seen.add(moment)
        result = timeline.check(steps, moment)
        left = goal_codes(result)
        if not left:
            return clear_at or moment, moment
        if left == [MAINTENANCE]:
            on_the_way = first_window_end is None or moment >= first_window_end
            if clear_at is None and on_the_way:
                clear_at = moment
            window_end = result.reasons[0].facts["window_end"]
            heapq.heappush(queue, ceil_minute(window_end))
        else:
            clear_at = None
    return left or [MAINTENANCE]


def _minimal(timeline: Timeline, steps: tuple[CustomerStep, ...], earliest: datetime,
             at_request: list[str]) -> tuple[tuple[CustomerStep, ...], dict[CustomerStep, list[str]]]:
    """Drop every step the goal does not need at `earliest`; what each kept step clears is what
    would stop the goal there without it (never empty: that is why it was kept)."""
    kept = steps
    for step in steps:
        without = tuple(s for s in kept if s != step)
        if not goal_codes(timeline.check(without, earliest)):
            kept = without
    return kept, {step: _clears(timeline, kept, step, earliest, at_request) for step in kept}


def _clears(timeline: Timeline, kept: tuple[CustomerStep, ...], step: CustomerStep, earliest: datetime,
            at_request: list[str]) -> list[str]:
    """What the goal would miss at `earliest` without the step, and what the step takes away at
    the request time (a repayment that frees limit together with a pending one clears the
    shortage now, although the pending one alone would clear it by `earliest`)."""
    without = tuple(s for s in kept if s != step)
    now = timeline.now
    missed = goal_codes(timeline.check(without, earliest))
    with_all = goal_codes(timeline.check(kept, now))
    missed += [code for code in goal_codes(timeline.check(without, now)) if code not in with_all]
    return _name_shortage(missed, at_request)


def _name_shortage(codes: list[str], at_request: list[str]) -> list[str]:
    """Short of limit is one problem under two codes (below the minimum, below the amount): a
    step that frees limit also clears the code the customer was shown at the request time."""
    named = set(codes)
    if named & SHORTAGE:
        named |= {code for code in at_request if code in SHORTAGE}
    named.discard(MAINTENANCE)  # the request's window is a wait's, never a step's
    return sorted(named, key=rank)


def _support_steps(timeline: Timeline) -> list[PlanStep]:
    """A late pending repayment is not relied on: a person must trace it."""
    if not timeline.late:
        return []
    return [PlanStep("CONTACT_SUPPORT", "support", timeline.now, None, ["REPAYMENT_NOT_POSTED"], False,
                     tuple(timeline.pending_refs(late=True)))]


def _wait_steps(timeline: Timeline, kept: tuple[CustomerStep, ...], clear_at: datetime,
                first_window_end: datetime | None) -> list[PlanStep]:
    """One wait per time at which reasons stop applying: postings, review dates, and the time
    the last reason clears. A reason that lapses in between (the 24 h window, the daily reset)
    is named by the next wait; a maintenance window met on the way gets no wait of its own."""
    now = timeline.now
    postings = [(ceil_minute(eta), ref) for (_, eta), ref in zip(timeline.on_time, timeline.pending_refs())]
    reviews = {ceil_minute(t) for t in timeline.review_dates()}
    points = sorted({t for t, _ in postings if t <= clear_at} | {t for t in reviews if t <= clear_at} | {clear_at})
    before = goal_codes(timeline.check(kept, now))
    waits: list[PlanStep] = []
    since = now
    for point in points:
        if point <= now:
            continue
        after = goal_codes(timeline.check(kept, point))
        if first_window_end is None or point >= first_window_end:
            after = [code for code in after if code != MAINTENANCE]
        cleared = [code for code in before if code not in after]
        if cleared:
            relied = tuple(ref for t, ref in postings if since < t <= point)
            certain = not (point in reviews and any(code in REVIEW_CODES for code in cleared))
            waits.append(PlanStep("WAIT_UNTIL", "wait", point, None, cleared, certain, relied))
            since = point
        before = after
    return waits


def _request_window_end(first: CheckResult) -> datetime | None:
    """The end of the maintenance window the request falls in (it gets a wait of its own)."""
    reason = first.reason(MAINTENANCE)
    return ceil_minute(reason.facts["window_end"]) if reason is not None else None
