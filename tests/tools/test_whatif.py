"""What-if: re-run a check on a modified copy of the snapshot and say which reasons go away."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.helpers.engine import AS_OF, codes, make_snapshot, sh
from tools.engine import run_check
from tools.snapshot import parse_platform, parse_snapshot
from tools.whatif import Assumption, what_if


def _overdue_snapshot():
    return parse_snapshot(make_snapshot({"overdue": {"amount": 1200, "days": 5, "count_12m": 1}}))


def test_repaying_the_whole_overdue_amount_removes_overdue_unpaid():
    snapshot = _overdue_snapshot()
    outcome = what_if(snapshot, "borrow", Assumption(repay_amount=Decimal(1200)),
                      amount=Decimal(5000))
    assert codes(outcome.before) == ["OVERDUE_UNPAID"]
    assert "OVERDUE_UNPAID" not in codes(outcome.after)
    assert outcome.resolved_codes == ["OVERDUE_UNPAID"]
    assert outcome.allowed is True and outcome.after.allowed is True
    assert outcome.max_amount_now == outcome.after.max_amount_now
    assert outcome.max_amount_now > 0


def test_repay_all_overdue_flag():
    outcome = what_if(_overdue_snapshot(), "borrow", Assumption(repay_all_overdue=True))
    assert "OVERDUE_UNPAID" in outcome.resolved_codes
    assert "OVERDUE_UNPAID" not in codes(outcome.after)


def test_partial_repayment_keeps_overdue_unpaid():
    outcome = what_if(_overdue_snapshot(), "borrow", Assumption(repay_amount=Decimal(1000)),
                      amount=Decimal(5000))
    assert "OVERDUE_UNPAID" in codes(outcome.after)
    assert "OVERDUE_UNPAID" in outcome.remaining_codes
    assert outcome.resolved_codes == []
    assert outcome.after.reasons[0].facts["overdue_amount"] == Decimal(200)
    assert outcome.allowed is False


def test_smaller_amount_removes_amount_exceeds_available():
    snapshot = parse_snapshot(make_snapshot({"limit.available": 4000}))
    outcome = what_if(snapshot, "borrow", Assumption(amount=Decimal(3000)),
                      amount=Decimal(5000))
    assert codes(outcome.before) == ["AMOUNT_EXCEEDS_AVAILABLE"]
    assert codes(outcome.after) == []
    assert outcome.resolved_codes == ["AMOUNT_EXCEEDS_AVAILABLE"]
    assert outcome.after.amount == Decimal(3000)
    assert outcome.before.amount == Decimal(5000)


def test_tomorrow_morning_removes_daily_limit_and_maintenance():
    snapshot = parse_snapshot(make_snapshot({"as_of": "2026-11-18T23:55:00+08:00",
                                             "activity.loans_today": 3}))
    outcome = what_if(snapshot, "borrow", Assumption(at=sh(2026, 11, 19, 10, 0)),
                      amount=Decimal(1000))
    assert codes(outcome.before) == ["DAILY_DRAW_LIMIT_REACHED", "SYSTEM_MAINTENANCE"]
    assert codes(outcome.after) == []
    assert sorted(outcome.resolved_codes) == ["DAILY_DRAW_LIMIT_REACHED", "SYSTEM_MAINTENANCE"]
    assert outcome.remaining_codes == []
    assert outcome.after.checked_at == sh(2026, 11, 19, 10, 0)


def test_resolved_codes_are_before_minus_after_in_before_order():
    snapshot = parse_snapshot(make_snapshot({"overdue.amount": 300, "activity.loans_today": 3,
                                             "customer.age": 70}))
    outcome = what_if(snapshot, "borrow", Assumption(repay_amount=Decimal(300),
                                                     at=AS_OF + timedelta(days=1)))
    before, after = codes(outcome.before), codes(outcome.after)
    assert outcome.resolved_codes == [c for c in before if c not in after]
    assert outcome.resolved_codes == ["OVERDUE_UNPAID", "DAILY_DRAW_LIMIT_REACHED"]
    assert "AGE_INELIGIBLE" in outcome.remaining_codes


def test_what_if_changes_neither_the_input_nor_the_before_result():
    snapshot = _overdue_snapshot()
    platform = parse_platform({"funding_quota_remaining": 100000})
    frozen_copy = snapshot.model_dump(mode="json")
    plain = run_check(snapshot, "borrow", amount=Decimal(5000), platform=platform).to_json()
    outcome = what_if(snapshot, "borrow",
                      Assumption(repay_amount=Decimal(1200), at=AS_OF + timedelta(hours=1),
                                 amount=Decimal(3000)),
                      amount=Decimal(5000), platform=platform)
    assert outcome.before.to_json() == plain
    assert snapshot.model_dump(mode="json") == frozen_copy
    assert run_check(snapshot, "borrow", amount=Decimal(5000), platform=platform).to_json() == plain
    assert outcome.assumption.repay_amount == Decimal(1200)


def test_what_if_is_deterministic():
    snapshot = _overdue_snapshot()
    first = what_if(snapshot, "limit_status", Assumption(repay_all_overdue=True))
    second = what_if(snapshot, "limit_status", Assumption(repay_all_overdue=True))
    assert first.after.to_json() == second.after.to_json()
    assert "OVERDUE_UNPAID" in first.resolved_codes


def test_a_card_or_transfer_repayment_is_checked_when_it_posts():
    friday_evening = sh(2026, 11, 20, 18, 0)
    by_card = what_if(_overdue_snapshot(), "borrow",
                      Assumption(repay_all_overdue=True, repay_channel="bank_card", at=friday_evening))
    assert by_card.posts_at == friday_evening + timedelta(hours=2)
    assert by_card.after.checked_at == by_card.posts_at
    by_transfer = what_if(_overdue_snapshot(), "borrow",
                          Assumption(repay_all_overdue=True, repay_channel="bank_transfer", at=friday_evening))
    assert (by_transfer.posts_at.weekday(), by_transfer.posts_at.date().day) == (0, 23)  # Monday, after the weekend
    assert "OVERDUE_UNPAID" in by_transfer.resolved_codes


def test_a_balance_repayment_posts_at_once():
    outcome = what_if(_overdue_snapshot(), "borrow", Assumption(repay_all_overdue=True, repay_channel="balance"))
    assert outcome.posts_at is None and outcome.after.checked_at == outcome.before.checked_at


def test_a_later_time_takes_the_pending_repayments_due_by_then_as_posted_and_says_so():
    # "周一入账后呢": a bank transfer paid on Wednesday evening posts on Thursday at 09:00
    paid = {"id": "r1", "amount": 3000, "paid_at": "2026-11-18T20:00:00+08:00", "channel": "bank_transfer",
            "status": "pending"}
    snapshot = parse_snapshot(make_snapshot({"repayments": [paid],
                                             "limit": {"total": 20000, "used": 8000, "available": 12000}}))
    before_posting = what_if(snapshot, "borrow", Assumption(at=sh(2026, 11, 19, 8, 0)))
    after_posting = what_if(snapshot, "borrow", Assumption(at=sh(2026, 11, 19, 10, 0)))
    assert before_posting.posted_on_schedule == () and "REPAYMENT_NOT_POSTED" in codes(before_posting.after)
    assert [p.posts_at for p in after_posting.posted_on_schedule] == [sh(2026, 11, 19, 9, 0)]
    assert "REPAYMENT_NOT_POSTED" not in codes(after_posting.after)
    assert after_posting.after.max_amount_now == before_posting.after.max_amount_now + 3000
    assert snapshot.repayments[0].status == "pending"  # the customer's snapshot is never changed
