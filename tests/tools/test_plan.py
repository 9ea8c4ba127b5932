"""The recourse planner, case by case (CONTRACT.md section 9).

Expectations are read from the contract: the section 9 example, each row of "which step clears
what", the reasons that make a plan unreachable, never asking for money twice, and the timing
rules (whole minutes, maintenance met on the way, the 60-day horizon). The base snapshot is a
healthy account on Wednesday 2026-11-18 10:00 Asia/Shanghai (tests/helpers/engine.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.helpers.engine import AS_OF, D, iso, make_snapshot, sh
from tools.errors import UserInputError
from tools.plan import plan
from tools.plan_model import Plan
from tools.snapshot import parse_platform, parse_snapshot


def make_plan(changes: dict[str, Any] | None = None, *, amount: Any = 5000, at: datetime | None = None,
              platform: dict[str, Any] | None = None, raw: dict[str, Any] | None = None) -> Plan:
    snapshot = parse_snapshot(raw if raw is not None else make_snapshot(changes or {}))
    return plan(snapshot, parse_platform(platform), None, None if amount is None else D(amount), at)


def steps(result: Plan) -> list[tuple[str, str, datetime | None, Decimal | None, list[str], bool]]:
    return [(s.step, s.kind, s.at, s.amount, s.clears, s.certain) for s in result.steps]


def pending(amount: float, paid_at: datetime, channel: str = "bank_transfer", rid: str = "p1") -> dict:
    return {"id": rid, "amount": amount, "paid_at": iso(paid_at), "channel": channel, "status": "pending"}


NOW = AS_OF  # Wednesday 10:00


# ---- the contract's example -----------------------------------------------------------------

def test_the_section_9_example_exactly():
    # Friday 2026-11-20 10:00: the ID expired, 1,200 overdue, and a 1,200 bank transfer paid that
    # morning posts on Monday 09:00. Repaying the 1,200 again would be paying twice.
    raw = make_snapshot({
        "as_of": "2026-11-20T10:00:00+08:00",
        "customer.id_document_expiry": "2026-11-15",
        "limit": {"total": 20000, "used": 6200, "available": 13800},
        "overdue": {"amount": 1200, "days": 5, "count_12m": 1},
        "repayments": [pending(1200, sh(2026, 11, 20, 8, 30))],
    })
    result = make_plan(raw=raw, amount=5000)
    assert result.to_data() == {
        "goal": {"action": "borrow", "amount": 5000},
        "reachable": True,
        "earliest_at": "2026-11-23T09:00:00+08:00",
        "amount_now": 0,
        "amount_at_goal": 15000,
        "steps": [{"step": "UPDATE_ID_DOCUMENT", "kind": "you", "at": "2026-11-20T10:00:00+08:00",
                   "amount": None, "clears": ["ID_DOCUMENT_EXPIRED"], "certain": True},
                  {"step": "WAIT_UNTIL", "kind": "wait", "at": "2026-11-23T09:00:00+08:00",
                   "amount": None, "clears": ["OVERDUE_UNPAID"], "certain": True}],
        "blocked_by": [],
        "policy_version": "2026.11",
        "checked_at": "2026-11-20T10:00:00+08:00",
    }
    wait = result.steps[1]
    assert [(r.id, r.amount, r.channel) for r in wait.repayments] == [("p1", D(1200), "bank_transfer")]
    json.loads(result.to_json())


def test_goal_met_now_has_no_steps():
    result = make_plan()
    assert result.reachable and result.steps == [] and result.blocked_by == []
    assert result.earliest_at == NOW and result.met_now
    assert result.amount_now == result.amount_at_goal == D(20000)


def test_goal_without_amount_is_any_draw_from_the_minimum():
    result = make_plan({"limit": {"total": 20000, "used": 19700, "available": 300}}, amount=None)
    assert result.to_data()["goal"] == {"action": "borrow", "amount": None}
    assert steps(result) == [("REPAY_OUTSTANDING", "you", NOW, D(200), ["NO_AVAILABLE_LIMIT"], True)]
    assert result.amount_at_goal == D(500)


def test_bad_amount_is_user_input_error():
    with pytest.raises(UserInputError):
        make_plan(amount=0)
    with pytest.raises(UserInputError):
        make_plan(amount=-5)


# ---- which step clears what -------------------------------------------------------------------

OVERDUE = {"overdue": {"amount": 1200, "days": 5, "count_12m": 1},
           "limit": {"total": 20000, "used": 8000, "available": 12000}}


def test_overdue_without_pending_repayment_is_repaid_now():
    result = make_plan(OVERDUE)
    assert steps(result) == [("REPAY_OVERDUE", "you", NOW, D(1200), ["OVERDUE_UNPAID"], True)]
    assert result.earliest_at == NOW and result.amount_at_goal == D(13200)


def test_overdue_covered_by_a_pending_repayment_is_waited_for_not_repaid():
    # Paid by bank card at 09:30: posts at 11:30.
    result = make_plan({**OVERDUE, "repayments": [pending(1500, sh(2026, 11, 18, 9, 30), "bank_card")]})
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 18, 11, 30), None, ["OVERDUE_UNPAID"], True)]
    assert result.earliest_at == sh(2026, 11, 18, 11, 30)
    assert result.amount_at_goal == D(13500)


def test_overdue_partly_covered_asks_only_for_the_remainder():
    # A 1,000 bank transfer paid Wednesday 09:45 posts Thursday 09:00; 200 is still owed.
    result = make_plan({**OVERDUE, "repayments": [pending(1000, sh(2026, 11, 18, 9, 45))]})
    posts = sh(2026, 11, 19, 9, 0)
    assert steps(result) == [
        ("REPAY_OVERDUE", "you", NOW, D(200), ["OVERDUE_UNPAID"], True),
        ("WAIT_UNTIL", "wait", posts, None, ["OVERDUE_UNPAID"], True),
    ]
    assert result.earliest_at == posts


@pytest.mark.parametrize("repayment", [
    pending(1200, sh(2026, 11, 18, 7, 0), "bank_card"),  # due to post by 09:00
    pending(1200, sh(2026, 11, 17, 21, 30)),  # transfer of Tuesday night: due Wednesday 09:00
])
def test_late_pending_repayment_is_not_relied_on_and_goes_to_support(repayment):
    result = make_plan({**OVERDUE, "repayments": [repayment]})
    assert steps(result) == [
        ("REPAY_OVERDUE", "you", NOW, D(1200), ["OVERDUE_UNPAID"], True),
        ("CONTACT_SUPPORT", "support", NOW, None, ["REPAYMENT_NOT_POSTED"], False),
    ]
    assert [r.amount for r in result.steps[1].repayments] == [D(1200)]


def test_freeze_for_overdue_is_lifted_by_repaying():
    result = make_plan({**OVERDUE, "status": "frozen", "status_reason": "overdue"})
    assert steps(result) == [("REPAY_OVERDUE", "you", NOW, D(1200), ["ACCOUNT_FROZEN", "OVERDUE_UNPAID"], True)]


def test_freeze_for_overdue_is_lifted_by_a_pending_repayment_posting():
    result = make_plan({**OVERDUE, "status": "frozen", "status_reason": "overdue",
                        "repayments": [pending(1200, sh(2026, 11, 18, 9, 30), "bank_card")]})
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 18, 11, 30), None,
                              ["ACCOUNT_FROZEN", "OVERDUE_UNPAID"], True)]


def test_no_available_limit_repays_outstanding_up_to_the_minimum():
    result = make_plan({"limit": {"total": 20000, "used": 19800, "available": 200}}, amount=None)
    assert steps(result) == [("REPAY_OUTSTANDING", "you", NOW, D(300), ["NO_AVAILABLE_LIMIT"], True)]


def test_amount_exceeds_available_repays_the_difference():
    result = make_plan({"limit": {"total": 20000, "used": 17000, "available": 3000}})
    assert steps(result) == [("REPAY_OUTSTANDING", "you", NOW, D(2000), ["AMOUNT_EXCEEDS_AVAILABLE"], True)]
    assert result.amount_at_goal == D(5000)


def test_amount_exceeds_available_waits_for_a_pending_repayment_and_repays_only_the_rest():
    result = make_plan({"limit": {"total": 20000, "used": 17000, "available": 3000},
                        "repayments": [pending(1500, sh(2026, 11, 18, 9, 30), "bank_card")]})
    assert steps(result) == [
        ("REPAY_OUTSTANDING", "you", NOW, D(500), ["AMOUNT_EXCEEDS_AVAILABLE"], True),
        ("WAIT_UNTIL", "wait", sh(2026, 11, 18, 11, 30), None, ["AMOUNT_EXCEEDS_AVAILABLE"], True),
    ]


@pytest.mark.parametrize(("changes", "step", "code"), [
    ({"customer.id_document_expiry": "2026-11-18"}, "UPDATE_ID_DOCUMENT", "ID_DOCUMENT_EXPIRED"),
    ({"customer.face_verification_required": True}, "COMPLETE_FACE_VERIFICATION", "FACE_VERIFICATION_REQUIRED"),
    ({"bank_card.status": "name_mismatch"}, "UPDATE_BANK_CARD", "BANK_CARD_UNAVAILABLE"),
])
def test_customer_fixes(changes, step, code):
    result = make_plan(changes)
    assert steps(result) == [(step, "you", NOW, None, [code], True)]
    assert result.earliest_at == NOW


def test_income_verification_for_a_large_draw():
    result = make_plan({"limit": {"total": 100000, "used": 0, "available": 100000},
                        "credit.income_verified_at": "2025-01-01"}, amount=60000)
    assert steps(result) == [("VERIFY_INCOME", "you", NOW, None, ["INCOME_VERIFICATION_REQUIRED"], True)]
    assert result.amount_now == D(50000) and result.amount_at_goal == D(100000)


@pytest.mark.parametrize(("changes", "code"), [
    ({"risk": {"hold": True, "reason": "device_change", "review_until": "2026-11-21T10:00:00+08:00"}},
     "RISK_REVIEW_HOLD"),
    ({"compliance": {"review_pending": True, "expected_by": "2026-11-21T10:00:00+08:00"}}, "COMPLIANCE_REVIEW"),
])
def test_dated_review_is_a_wait_that_is_not_certain(changes, code):
    result = make_plan(changes)
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 21, 10, 0), None, [code], False)]
    assert result.earliest_at == sh(2026, 11, 21, 10, 0)


def test_too_many_applications_waits_24_hours_after_the_last():
    result = make_plan({"activity": {"applications_24h": 5, "last_application_at": "2026-11-18T08:15:00+08:00"}})
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 19, 8, 15), None, ["TOO_MANY_APPLICATIONS"], True)]


def test_daily_draw_limit_waits_for_midnight_and_maintenance_moves_only_earliest_at():
    result = make_plan({"activity": {"loans_today": 3}})
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 19, 0, 0), None, ["DAILY_DRAW_LIMIT_REACHED"], True)]
    assert result.earliest_at == sh(2026, 11, 19, 0, 10)


def test_request_in_a_maintenance_window_waits_for_its_end():
    result = make_plan(at=sh(2026, 11, 18, 23, 55))
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 19, 0, 10), None, ["SYSTEM_MAINTENANCE"], True)]
    assert result.earliest_at == sh(2026, 11, 19, 0, 10)


def test_platform_window_met_on_the_way_moves_earliest_at_without_a_step():
    window = {"maintenance": [{"start": "2026-11-18T11:00:00+08:00", "end": "2026-11-18T13:00:00+08:00"}]}
    result = make_plan({**OVERDUE, "repayments": [pending(1200, sh(2026, 11, 18, 9, 30), "bank_card")]},
                       platform=window)
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 18, 11, 30), None, ["OVERDUE_UNPAID"], True)]
    assert result.earliest_at == sh(2026, 11, 18, 13, 0)


# ---- timing -----------------------------------------------------------------------------------

def test_an_id_that_expires_while_waiting_needs_updating():
    result = make_plan({"customer.id_document_expiry": "2026-11-20",
                        "risk": {"hold": True, "review_until": "2026-11-21T10:00:00+08:00"}})
    assert steps(result) == [
        ("UPDATE_ID_DOCUMENT", "you", NOW, None, ["ID_DOCUMENT_EXPIRED"], True),
        ("WAIT_UNTIL", "wait", sh(2026, 11, 21, 10, 0), None, ["RISK_REVIEW_HOLD"], False),
    ]


def test_an_id_that_expires_after_earliest_at_is_not_asked_for():
    result = make_plan({"customer.id_document_expiry": "2026-11-23",
                        "risk": {"hold": True, "review_until": "2026-11-21T10:00:00+08:00"}})
    assert result.step_codes == ["WAIT_UNTIL"]


def test_times_are_whole_minutes():
    result = make_plan({"risk": {"hold": True, "review_until": "2026-11-21T10:00:30+08:00"}})
    assert result.earliest_at == sh(2026, 11, 21, 10, 1)
    assert result.steps[0].at == sh(2026, 11, 21, 10, 1)


def test_several_waits_are_ordered_and_a_lapsing_reason_is_named_by_the_next_wait():
    result = make_plan({
        **OVERDUE,
        "repayments": [pending(1200, sh(2026, 11, 18, 9, 30), "bank_card")],
        "activity": {"applications_24h": 6, "last_application_at": "2026-11-18T09:00:00+08:00"},
        "compliance": {"review_pending": True, "expected_by": "2026-11-20T18:00:00+08:00"},
    })
    assert steps(result) == [
        ("WAIT_UNTIL", "wait", sh(2026, 11, 18, 11, 30), None, ["OVERDUE_UNPAID"], True),
        ("WAIT_UNTIL", "wait", sh(2026, 11, 20, 18, 0), None, ["COMPLIANCE_REVIEW", "TOO_MANY_APPLICATIONS"], False),
    ]


def test_waits_ending_at_the_same_time_are_one_step():
    result = make_plan({"risk": {"hold": True, "review_until": "2026-11-20T18:00:00+08:00"},
                        "compliance": {"review_pending": True, "expected_by": "2026-11-20T18:00:00+08:00"}})
    assert steps(result) == [("WAIT_UNTIL", "wait", sh(2026, 11, 20, 18, 0), None,
                              ["RISK_REVIEW_HOLD", "COMPLIANCE_REVIEW"], False)]


def test_a_review_beyond_60_days_is_unreachable():
    result = make_plan({"risk": {"hold": True, "review_until": "2027-02-01T10:00:00+08:00"}})
    assert not result.reachable and result.blocked_by == ["RISK_REVIEW_HOLD"]
    assert result.earliest_at is None and result.amount_at_goal is None
    assert [(s.step, s.kind, s.at, s.certain) for s in result.steps] == [
        ("SUBMIT_APPEAL", "support", NOW, False),
        ("WAIT_UNTIL", "wait", sh(2027, 2, 1, 10, 0), False),
    ]


def test_a_review_at_exactly_60_days_is_reachable():
    until = NOW + timedelta(days=60)
    result = make_plan({"risk": {"hold": True, "review_until": iso(until)}})
    assert result.reachable and result.earliest_at == until


# ---- unreachable ------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "amount", "blocked", "helps"), [
    ({"status": "not_opened"}, 5000, ["ACCOUNT_NOT_OPENED"], ["OPEN_ACCOUNT"]),
    ({"status": "closed"}, 5000, ["ACCOUNT_CLOSED"], ["SUBMIT_APPEAL", "CONTACT_SUPPORT"]),
    ({"status": "frozen", "status_reason": "risk_control"}, 5000, ["ACCOUNT_FROZEN"],
     ["SUBMIT_APPEAL", "CONTACT_SUPPORT"]),
    ({"customer.age": 61}, 5000, ["AGE_INELIGIBLE"], ["CONTACT_SUPPORT"]),
    ({"credit.debt_to_income": 0.71}, 5000, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"]),
    ({"credit.external_lenders": 6}, 5000, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"]),
    ({"risk": {"hold": True}}, 5000, ["RISK_REVIEW_HOLD"], ["SUBMIT_APPEAL", "WAIT_UNTIL"]),
    ({"risk": {"hold": True, "review_until": "2026-11-18T09:00:00+08:00"}}, 5000, ["RISK_REVIEW_HOLD"],
     ["SUBMIT_APPEAL", "WAIT_UNTIL"]),
    ({"compliance": {"review_pending": True}}, 5000, ["COMPLIANCE_REVIEW"], ["WAIT_UNTIL"]),
    ({"activity": {"applications_24h": 5}}, 5000, ["TOO_MANY_APPLICATIONS"],
     ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"]),
    ({}, 300, ["AMOUNT_BELOW_MINIMUM"], ["RAISE_AMOUNT"]),
    ({"limit": {"total": 200000, "used": 0, "available": 200000}}, 100000.01,
     ["AMOUNT_ABOVE_SINGLE_MAXIMUM"], ["REDUCE_AMOUNT"]),
    ({"limit": {"total": 20000, "used": 3000, "available": 17000}}, 20000.01,
     ["AMOUNT_EXCEEDS_AVAILABLE"], ["REDUCE_AMOUNT"]),
    ({"limit": {"total": 400, "used": 100, "available": 300}}, None, ["NO_AVAILABLE_LIMIT"], []),
])
def test_reasons_no_step_clears(changes, amount, blocked, helps):
    result = make_plan(changes, amount=amount)
    assert not result.reachable
    assert result.blocked_by == blocked
    assert result.earliest_at is None and result.amount_at_goal is None
    assert result.step_codes == helps
    for step in result.steps:
        assert set(step.clears) <= set(blocked)
        assert step.certain is False or step.kind == "you" or (step.kind == "wait" and step.at is not None)
        if step.step in ("SUBMIT_APPEAL", "CONTACT_SUPPORT"):
            assert step.kind == "support" and step.certain is False


@pytest.mark.parametrize(("quota", "amount", "helps"), [
    (300, 5000, ["RETRY_LATER"]),
    (3000, 5000, ["REDUCE_AMOUNT", "RETRY_LATER"]),
])
def test_funding_quota_is_unreachable(quota, amount, helps):
    result = make_plan(amount=amount, platform={"funding_quota_remaining": quota})
    assert result.blocked_by == ["FUNDING_QUOTA_EXHAUSTED"] and result.step_codes == helps


def test_a_hidden_limit_behind_a_freeze_for_overdue_is_judged_too():
    result = make_plan({"status": "frozen", "status_reason": "overdue",
                        "overdue": {"amount": 100, "days": 3}, "limit": {"total": 400, "used": 400, "available": 0}},
                       amount=None)
    assert not result.reachable and result.blocked_by == ["NO_AVAILABLE_LIMIT"]


def test_freeze_for_overdue_with_nothing_overdue_needs_a_person():
    result = make_plan({"status": "frozen", "status_reason": "overdue"})
    assert result.blocked_by == ["ACCOUNT_FROZEN"] and result.step_codes == ["CONTACT_SUPPORT"]


def test_the_input_snapshot_is_not_changed_and_output_is_deterministic():
    raw = make_snapshot({**OVERDUE, "customer.id_document_expiry": "2026-11-01",
                         "repayments": [pending(600, sh(2026, 11, 18, 9, 30), "bank_card")]})
    snapshot = parse_snapshot(raw)
    before = snapshot.model_dump_json()
    first = plan(snapshot, None, None, D(5000), None)
    assert snapshot.model_dump_json() == before
    assert plan(parse_snapshot(json.loads(json.dumps(raw))), None, None, D(5000), None).to_json() == first.to_json()
