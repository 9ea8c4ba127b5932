"""Which checks return each code, the next-step mapping of section 3, and the ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.contract import (
    STEPS,  # section 3 next-step table, written once from the contract
)
from tests.helpers.engine import (
    ACTIONS,
    AS_OF,
    CHECKS_OF,
    CONTRACT_ORDER,
    SEVERITY_RANK,
    TODAY,
    check,
    codes,
    iso,
    make_snapshot,
    reason,
    same_instant,
    sh,
    step_codes,
)

# One trigger per code: (snapshot changes, request kwargs). Each alone yields exactly that code.
TRIGGERS: dict[str, tuple[dict, dict]] = {
    "ACCOUNT_NOT_OPENED": ({"status": "not_opened"}, {}),
    "ACCOUNT_CLOSED": ({"status": "closed", "status_reason": "user_request"}, {}),
    "ACCOUNT_FROZEN": ({"status": "frozen", "status_reason": "risk_control"}, {}),
    "OVERDUE_UNPAID": ({"overdue": {"amount": 1200, "days": 3, "count_12m": 1}}, {}),
    "RISK_REVIEW_HOLD": ({"risk": {"hold": True, "reason": "abnormal_activity",
                                   "review_until": iso(AS_OF + timedelta(days=3))}}, {}),
    "COMPLIANCE_REVIEW": ({"compliance": {"review_pending": True,
                                          "expected_by": iso(AS_OF + timedelta(days=1))}}, {}),
    "ID_DOCUMENT_EXPIRED": ({"customer.id_document_expiry": TODAY.isoformat()}, {}),
    "ID_DOCUMENT_EXPIRING": ({"customer.id_document_expiry":
                              (TODAY + timedelta(days=10)).isoformat()}, {}),
    "FACE_VERIFICATION_REQUIRED": ({"customer.face_verification_required": True}, {}),
    "BANK_CARD_UNAVAILABLE": ({"bank_card.status": "expired"}, {}),
    "AGE_INELIGIBLE": ({"customer.age": 65}, {}),
    "HIGH_DEBT_BURDEN": ({"credit.debt_to_income": 0.8}, {}),
    "TOO_MANY_APPLICATIONS": ({"activity.applications_24h": 6,
                               "activity.last_application_at": iso(AS_OF - timedelta(hours=1))},
                              {}),
    "DAILY_DRAW_LIMIT_REACHED": ({"activity.loans_today": 3}, {}),
    "SYSTEM_MAINTENANCE": ({}, {"at": sh(2026, 11, 18, 23, 55)}),
    "FUNDING_QUOTA_EXHAUSTED": ({}, {"platform": {"funding_quota_remaining": 100}}),
    "NO_AVAILABLE_LIMIT": ({"limit.available": 100}, {}),
    "AMOUNT_BELOW_MINIMUM": ({}, {"amount": 100}),
    "AMOUNT_EXCEEDS_AVAILABLE": ({}, {"amount": 25000}),
    "AMOUNT_ABOVE_SINGLE_MAXIMUM": ({"limit.available": 200000,
                                     "credit.income_verified_at": TODAY.isoformat()},
                                    {"amount": 150000}),
    "INCOME_VERIFICATION_REQUIRED": ({"limit.available": 80000, "credit.income_verified_at": None},
                                     {"amount": 60000}),
    "REPAYMENT_NOT_POSTED": ({"repayments": [{"id": "p", "amount": 800, "channel": "bank_card",
                                              "status": "pending",
                                              "paid_at": iso(AS_OF - timedelta(hours=1))}]}, {}),
    "REPAYMENT_FAILED": ({"repayments": [{"id": "f", "amount": 800, "channel": "balance",
                                          "status": "failed",
                                          "paid_at": iso(AS_OF - timedelta(days=2))}]}, {}),
    "LIMIT_REDUCED": ({"limit_history": [{"at": iso(AS_OF - timedelta(days=200)), "from": 30000,
                                          "to": 20000, "reason": "policy"}]}, {}),
    "RECENT_OVERDUE_HISTORY": ({"overdue.count_12m": 1}, {}),
    "INCREASE_COOLDOWN": ({"limit_increase": {"last_request_at": iso(AS_OF - timedelta(days=3)),
                                              "last_result": "denied"}}, {}),
    "INCREASE_NOT_ELIGIBLE": ({"opened_at": (TODAY - timedelta(days=20)).isoformat()}, {}),
}

SEVERITY = {
    **{code: "blocking" for code in CONTRACT_ORDER},
    **{code: "limiting" for code in ("AMOUNT_EXCEEDS_AVAILABLE", "AMOUNT_ABOVE_SINGLE_MAXIMUM",
                                     "INCOME_VERIFICATION_REQUIRED")},
    **{code: "info" for code in ("ID_DOCUMENT_EXPIRING", "REPAYMENT_NOT_POSTED",
                                 "REPAYMENT_FAILED", "LIMIT_REDUCED", "RECENT_OVERDUE_HISTORY")},
}


def _home(code: str) -> str:
    """The first check (borrow, limit_status, limit_increase) that returns the code."""
    return next(action for action in ACTIONS if action in CHECKS_OF[code])


def _run(code: str, action: str):
    changes, request = TRIGGERS[code]
    if action != "borrow":
        request = {k: v for k, v in request.items() if k != "amount"}
    return check(make_snapshot(changes), action, **request)


def test_every_contract_code_has_a_trigger():
    assert set(TRIGGERS) == set(CONTRACT_ORDER) == set(STEPS) == set(CHECKS_OF)


@pytest.mark.parametrize("code", CONTRACT_ORDER)
@pytest.mark.parametrize("action", ACTIONS)
def test_code_appears_only_in_its_checks(code, action):
    result = _run(code, action)
    assert (code in codes(result)) is (action in CHECKS_OF[code])


@pytest.mark.parametrize("code", CONTRACT_ORDER)
def test_code_severity_and_steps(code):
    action = _home(code)
    result = _run(code, action)
    found = reason(result, code)
    assert found.severity == SEVERITY[code]
    assert step_codes(found.next_steps) == STEPS[code]
    assert found.policy_refs, code
    for step in found.next_steps:
        text = step.text if isinstance(step.text, dict) else step.text.model_dump()
        assert text["zh"] and text["en"]
        assert isinstance(step.self_service, bool)
    if codes(result) == [code]:
        assert result.allowed is (SEVERITY[code] != "blocking")


@pytest.mark.parametrize("code", CONTRACT_ORDER)
def test_trigger_yields_only_its_code(code):
    action = _home(code)
    extra = set(codes(_run(code, action))) - {code}
    assert extra == set(), extra


def test_frozen_for_overdue_asks_to_repay():
    result = check(make_snapshot({"status": "frozen", "status_reason": "overdue",
                                  "overdue": {"amount": 500, "days": 40}}))
    assert step_codes(reason(result, "ACCOUNT_FROZEN").next_steps) == ["REPAY_OVERDUE"]
    assert step_codes(result.next_steps) == ["REPAY_OVERDUE"]  # deduplicated with OVERDUE_UNPAID


@pytest.mark.parametrize("why", ["risk_control", "fraud_suspected", "court_order", None])
def test_frozen_for_other_reasons_asks_to_appeal(why):
    result = check(make_snapshot({"status": "frozen", "status_reason": why}), "limit_status")
    assert step_codes(reason(result, "ACCOUNT_FROZEN").next_steps) == [
        "SUBMIT_APPEAL", "CONTACT_SUPPORT"]


def test_next_steps_are_the_deduplicated_union_in_first_seen_order():
    changes = {
        "risk": {"hold": True, "review_until": iso(AS_OF + timedelta(days=3))},
        "compliance": {"review_pending": True, "expected_by": iso(AS_OF + timedelta(days=1))},
        "customer.age": 70,
        "activity.loans_today": 3,
        "bank_card.status": "missing",
    }
    result = check(make_snapshot(changes), amount=25000)
    expected: list[str] = []
    for found in result.reasons:
        for step in found.next_steps:
            if step.code not in expected:
                expected.append(step.code)
    assert step_codes(result.next_steps) == expected
    assert expected[:2] == ["WAIT_UNTIL", "SUBMIT_APPEAL"]
    # the first-seen WAIT_UNTIL (the risk review's) is the one kept
    assert same_instant(result.next_steps[0].eta, AS_OF + timedelta(days=3))
    assert set(expected) == {"WAIT_UNTIL", "SUBMIT_APPEAL", "UPDATE_BANK_CARD",
                             "CONTACT_SUPPORT", "REDUCE_AMOUNT"}


def test_ranking_blocking_limiting_info_then_table_order():
    changes = {
        "customer.id_document_expiry": (TODAY + timedelta(days=5)).isoformat(),   # info
        "repayments": [{"id": "f", "amount": 100, "channel": "balance", "status": "failed",
                        "paid_at": iso(AS_OF - timedelta(days=1))}],               # info
        "limit.available": 80000, "credit.income_verified_at": None,              # limiting
        "activity.loans_today": 3,                                                # blocking
        "overdue.amount": 10,                                                     # blocking
        "customer.age": 17,                                                       # blocking
    }
    result = check(make_snapshot(changes), amount=90000,
                   platform={"funding_quota_remaining": 85000})
    assert codes(result) == [
        "OVERDUE_UNPAID", "AGE_INELIGIBLE", "DAILY_DRAW_LIMIT_REACHED",
        "FUNDING_QUOTA_EXHAUSTED", "AMOUNT_EXCEEDS_AVAILABLE", "INCOME_VERIFICATION_REQUIRED",
        "ID_DOCUMENT_EXPIRING", "REPAYMENT_FAILED",
    ]
    assert reason(result, "FUNDING_QUOTA_EXHAUSTED").severity == "limiting"
    ranks = [(SEVERITY_RANK[r.severity], CONTRACT_ORDER.index(r.code)) for r in result.reasons]
    assert ranks == sorted(ranks)
    assert result.max_amount_now == 0


def test_all_reasons_are_returned_not_only_the_first():
    changes = {code_changes_key: value for code in (
        "OVERDUE_UNPAID", "RISK_REVIEW_HOLD", "FACE_VERIFICATION_REQUIRED",
        "BANK_CARD_UNAVAILABLE", "HIGH_DEBT_BURDEN", "DAILY_DRAW_LIMIT_REACHED")
        for code_changes_key, value in TRIGGERS[code][0].items()}
    result = check(make_snapshot(changes))
    assert len(result.reasons) == 6


def test_policy_version_and_result_fields():
    result = check(make_snapshot(), amount=1000)
    assert result.policy_version == "2026.11"
    assert result.action == "borrow" and result.account_id == "u-test"
    assert result.amount == 1000
