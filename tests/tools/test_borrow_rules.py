"""Boundary tables for the borrow rules of CONTRACT.md section 2/3 (both sides of each threshold)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from tests.helpers.engine import (
    AS_OF,
    DELETE,
    TODAY,
    D,
    check,
    codes,
    iso,
    make_snapshot,
    reason,
    same_instant,
    sh,
    step_codes,
)


def _present(code, changes=None, *, action="borrow", amount=None, at=None, platform=None):
    result = check(make_snapshot(changes), action, amount=amount, at=at, platform=platform)
    return code in codes(result)


def test_base_snapshot_is_healthy_for_every_action():
    for action in ("borrow", "limit_status", "limit_increase"):
        result = check(make_snapshot(), action, amount=5000 if action == "borrow" else None)
        assert codes(result) == [], action
        assert result.allowed is True


# ---- account status --------------------------------------------------------------------------

@pytest.mark.parametrize("status,code", [
    ("not_opened", "ACCOUNT_NOT_OPENED"), ("closed", "ACCOUNT_CLOSED"), ("frozen", "ACCOUNT_FROZEN"),
])
def test_account_status_blocks(status, code):
    result = check(make_snapshot({"status": status, "status_reason": "policy",
                                  "status_changed_at": iso(AS_OF - timedelta(days=3))}))
    found = reason(result, code)
    assert found.severity == "blocking" and result.allowed is False
    assert found.facts["status"] == status
    assert found.facts["status_reason"] == "policy"
    assert same_instant(found.facts["status_changed_at"], AS_OF - timedelta(days=3))


def test_active_status_gives_no_account_reason():
    assert not {"ACCOUNT_NOT_OPENED", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN"} & set(
        codes(check(make_snapshot({"status": "active"}))))


# ---- overdue ----------------------------------------------------------------------------------

@pytest.mark.parametrize("amount,expected", [(0, False), (0.01, True), (1200, True)])
def test_overdue_amount_above_zero_blocks(amount, expected):
    result = check(make_snapshot({"overdue.amount": amount, "overdue.days": 5 if amount else 0}))
    assert ("OVERDUE_UNPAID" in codes(result)) is expected
    if expected:
        found = reason(result, "OVERDUE_UNPAID")
        assert found.facts["overdue_amount"] == D(str(amount))
        assert found.facts["overdue_days"] == 5


# ---- risk hold and compliance review -----------------------------------------------------------

def test_risk_hold_blocks_with_review_time():
    until = AS_OF + timedelta(days=5)
    result = check(make_snapshot({"risk": {"hold": True, "reason": "device_change",
                                           "review_until": iso(until)}}))
    found = reason(result, "RISK_REVIEW_HOLD")
    assert found.severity == "blocking"
    assert found.facts["risk_reason"] == "device_change"
    assert same_instant(found.facts["review_until"], until)
    assert step_codes(found.next_steps) == ["WAIT_UNTIL", "SUBMIT_APPEAL"]
    assert same_instant(found.next_steps[0].eta, until)


def test_risk_reason_without_hold_is_not_a_reason():
    assert not _present("RISK_REVIEW_HOLD", {"risk": {"hold": False, "reason": "device_change"}})


def test_compliance_review_blocks_with_expected_date():
    by = AS_OF + timedelta(days=2)
    result = check(make_snapshot({"compliance": {"review_pending": True, "expected_by": iso(by)}}))
    found = reason(result, "COMPLIANCE_REVIEW")
    assert same_instant(found.facts["expected_by"], by)
    assert step_codes(found.next_steps) == ["WAIT_UNTIL"]
    assert same_instant(found.next_steps[0].eta, by)


# ---- ID document: expired on or before today, expiring within 30 days --------------------------

@pytest.mark.parametrize("offset,expected", [
    (-1, "ID_DOCUMENT_EXPIRED"), (0, "ID_DOCUMENT_EXPIRED"), (1, "ID_DOCUMENT_EXPIRING"),
    (30, "ID_DOCUMENT_EXPIRING"), (31, None),
])
def test_id_document_expiry_boundaries(offset, expected):
    expiry = TODAY + timedelta(days=offset)
    result = check(make_snapshot({"customer.id_document_expiry": expiry.isoformat()}))
    found = {"ID_DOCUMENT_EXPIRED", "ID_DOCUMENT_EXPIRING"} & set(codes(result))
    assert found == ({expected} if expected else set())
    if expected:
        assert reason(result, expected).facts["id_document_expiry"] == expiry
        assert reason(result, expected).severity == (
            "blocking" if expected == "ID_DOCUMENT_EXPIRED" else "info")


def test_id_document_today_is_the_request_day():
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    snapshot = make_snapshot({"customer.id_document_expiry": tomorrow})
    later = check(snapshot, at=sh(2026, 11, 19, 10, 0))
    assert "ID_DOCUMENT_EXPIRED" in codes(later)


def test_id_document_today_is_the_shanghai_day():
    # 17:00 UTC on the 17th is 01:00 on the 18th in Shanghai: an ID expiring on the 18th is expired.
    snapshot = make_snapshot({"as_of": "2026-11-17T17:00:00+00:00",
                              "customer.id_document_expiry": "2026-11-18"})
    assert "ID_DOCUMENT_EXPIRED" in codes(check(snapshot))


def test_face_verification_required_blocks():
    assert _present("FACE_VERIFICATION_REQUIRED", {"customer.face_verification_required": True})
    assert not _present("FACE_VERIFICATION_REQUIRED",
                        {"customer.face_verification_required": False})


# ---- bank card --------------------------------------------------------------------------------

@pytest.mark.parametrize("status,expected", [
    ("valid", False), ("expired", True), ("frozen", True), ("name_mismatch", True), ("missing", True),
])
def test_bank_card_must_be_valid(status, expected):
    result = check(make_snapshot({"bank_card": {"status": status, "last4": "8888"}}))
    assert ("BANK_CARD_UNAVAILABLE" in codes(result)) is expected
    if expected:
        found = reason(result, "BANK_CARD_UNAVAILABLE")
        assert found.facts["card_status"] == status and found.facts["card_last4"] == "8888"


# ---- age ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("age,expected", [(17, True), (18, False), (60, False), (61, True),
                                          (None, False)])
def test_age_18_to_60_inclusive(age, expected):
    result = check(make_snapshot({"customer.age": age}))
    assert ("AGE_INELIGIBLE" in codes(result)) is expected
    if expected:
        facts = reason(result, "AGE_INELIGIBLE").facts
        assert (facts["age"], facts["min_age"], facts["max_age"]) == (age, 18, 60)


# ---- debt burden -------------------------------------------------------------------------------

@pytest.mark.parametrize("dti,lenders,triggered", [
    (0.70, 5, None), ("0.70", 5, None), (0.71, 5, ["debt_to_income"]),
    (0.7000001, 5, ["debt_to_income"]), (0.70, 6, ["external_lenders"]),
    (0.9, 7, ["debt_to_income", "external_lenders"]), (None, None, None),
])
def test_high_debt_burden(dti, lenders, triggered):
    result = check(make_snapshot({"credit.debt_to_income": dti, "credit.external_lenders": lenders}))
    if triggered is None:
        assert "HIGH_DEBT_BURDEN" not in codes(result)
        return
    assert codes(result).count("HIGH_DEBT_BURDEN") == 1  # one reason, facts name which
    facts = reason(result, "HIGH_DEBT_BURDEN").facts
    assert sorted(facts["triggered"]) == triggered
    assert facts["external_lenders"] == lenders
    assert facts["debt_to_income"] == D(str(dti))


# ---- applications in 24 h ----------------------------------------------------------------------

@pytest.mark.parametrize("count,last_ago,expected", [
    (4, timedelta(hours=1), False),
    (5, timedelta(hours=1), True),
    (5, timedelta(hours=24) - timedelta(seconds=1), True),
    (5, timedelta(hours=24), False),  # exactly 24 h: no longer blocked
    (5, timedelta(hours=25), False),
    (9, timedelta(hours=2), True),
])
def test_too_many_applications(count, last_ago, expected):
    last = AS_OF - last_ago
    result = check(make_snapshot({"activity.applications_24h": count,
                                  "activity.last_application_at": iso(last)}))
    assert ("TOO_MANY_APPLICATIONS" in codes(result)) is expected
    if expected:
        found = reason(result, "TOO_MANY_APPLICATIONS")
        assert found.facts["applications_24h"] == count
        assert same_instant(found.facts["last_application_at"], last)
        assert same_instant(found.facts["blocked_until"], last + timedelta(hours=24))
        assert step_codes(found.next_steps) == ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"]
        assert same_instant(found.next_steps[1].eta, last + timedelta(hours=24))


def test_too_many_applications_without_last_time_blocks_with_unknown_end():
    result = check(make_snapshot({"activity.applications_24h": 5,
                                  "activity.last_application_at": None}))
    found = reason(result, "TOO_MANY_APPLICATIONS")
    assert found.facts["blocked_until"] is None
    assert found.next_steps[1].eta is None


# ---- draws per day -----------------------------------------------------------------------------

@pytest.mark.parametrize("loans,at,expected", [
    (2, None, False),
    (3, None, True),
    (3, sh(2026, 11, 18, 23, 0), True),           # later the same day
    (3, sh(2026, 11, 19, 10, 0), False),          # the next day
    (3, sh(2026, 11, 19, 0, 0), False),           # the next day's first instant
])
def test_daily_draw_limit(loans, at, expected):
    result = check(make_snapshot({"activity.loans_today": loans}), at=at)
    assert ("DAILY_DRAW_LIMIT_REACHED" in codes(result)) is expected
    if expected:
        found = reason(result, "DAILY_DRAW_LIMIT_REACHED")
        midnight = sh(2026, 11, 19, 0, 0)
        assert found.facts["loans_today"] == loans and found.facts["max_draws_per_day"] == 3
        assert same_instant(found.facts["resets_at"], midnight)
        assert step_codes(found.next_steps) == ["WAIT_UNTIL"]
        assert same_instant(found.next_steps[0].eta, midnight)


def test_daily_draw_day_is_shanghai_day():
    # as_of 16:30 UTC = 00:30 on the 19th in Shanghai; a request at 10:00 on the 19th is the same day.
    snapshot = make_snapshot({"as_of": "2026-11-18T16:30:00+00:00", "activity.loans_today": 3})
    assert "DAILY_DRAW_LIMIT_REACHED" in codes(check(snapshot, at=sh(2026, 11, 19, 10, 0)))
    # 01:00 Shanghai is still the 18th in UTC: the reset is the next Shanghai midnight
    early = reason(check(snapshot, at=sh(2026, 11, 19, 1, 0)), "DAILY_DRAW_LIMIT_REACHED")
    assert same_instant(early.facts["resets_at"], sh(2026, 11, 20, 0, 0))
    assert same_instant(early.next_steps[0].eta, sh(2026, 11, 20, 0, 0))


# ---- maintenance -------------------------------------------------------------------------------

@pytest.mark.parametrize("at,end", [
    (sh(2026, 11, 18, 23, 49, 59), None),
    (sh(2026, 11, 18, 23, 50, 0), sh(2026, 11, 19, 0, 10)),
    (sh(2026, 11, 19, 0, 9, 59), sh(2026, 11, 19, 0, 10)),
    (sh(2026, 11, 19, 0, 10, 0), None),
    ("2026-11-18T15:55:00+00:00", sh(2026, 11, 19, 0, 10)),   # 23:55 Shanghai
    ("2026-11-18T23:55:00", sh(2026, 11, 19, 0, 10)),          # naive = Shanghai
    ("2026-11-18T23:55:00+00:00", None),                        # 07:55 Shanghai next day
])
def test_daily_maintenance_window(at, end):
    result = check(make_snapshot(), at=at, amount=1000)
    if end is None:
        assert "SYSTEM_MAINTENANCE" not in codes(result)
        return
    found = reason(result, "SYSTEM_MAINTENANCE")
    assert same_instant(found.facts["window_end"], end)
    assert same_instant(found.facts["window_start"], sh(2026, 11, 18, 23, 50))
    assert step_codes(found.next_steps) == ["RETRY_LATER"]
    assert same_instant(found.next_steps[0].eta, end)
    assert result.allowed is False and result.max_amount_now == 0


@pytest.mark.parametrize("at,expected", [
    (sh(2026, 11, 18, 13, 59, 59), False), (sh(2026, 11, 18, 14, 0), True),
    (sh(2026, 11, 18, 14, 59, 59), True), (sh(2026, 11, 18, 15, 0), False),
])
def test_platform_maintenance_window(at, expected):
    platform = {"maintenance": [{"start": "2026-11-18T14:00:00+08:00",
                                 "end": "2026-11-18T07:00:00+00:00"}]}  # 15:00 Shanghai
    result = check(make_snapshot(), at=at, platform=platform)
    assert ("SYSTEM_MAINTENANCE" in codes(result)) is expected
    if expected:
        found = reason(result, "SYSTEM_MAINTENANCE")
        assert same_instant(found.facts["window_end"], sh(2026, 11, 18, 15, 0))
        assert same_instant(found.next_steps[0].eta, sh(2026, 11, 18, 15, 0))


# ---- funding quota ----------------------------------------------------------------------------

@pytest.mark.parametrize("quota,amount,severity", [
    (None, 5000, None), (None, None, None),
    (499.99, None, "blocking"), (499.99, 400, "blocking"), (499, 5000, "blocking"),
    (500, None, None), (500, 500, None),
    (4999.99, 5000, "limiting"), (5000, 5000, None), (20000, None, None),
])
def test_funding_quota(quota, amount, severity):
    result = check(make_snapshot(), amount=amount,
                   platform={"maintenance": [], "funding_quota_remaining": quota})
    if severity is None:
        assert "FUNDING_QUOTA_EXHAUSTED" not in codes(result)
        return
    found = reason(result, "FUNDING_QUOTA_EXHAUSTED")
    assert found.severity == severity
    assert found.facts["funding_quota_remaining"] == D(str(quota))
    expected_steps = ["RETRY_LATER"] + (["REDUCE_AMOUNT"] if severity == "limiting" else [])
    assert step_codes(found.next_steps) == expected_steps
    if severity == "blocking":
        assert result.allowed is False and result.max_amount_now == 0
    else:
        assert result.allowed is True and result.max_amount_now == D(str(quota))


def test_no_platform_means_no_quota_and_only_daily_maintenance():
    result = check(make_snapshot(), amount=5000, platform=None)
    assert codes(result) == [] and result.max_amount_now == 20000


# ---- available limit and the asked amount -------------------------------------------------------

@pytest.mark.parametrize("available,expected", [(499.99, True), (500, False), (0, True)])
def test_no_available_limit(available, expected):
    result = check(make_snapshot({"limit.available": available}))
    assert ("NO_AVAILABLE_LIMIT" in codes(result)) is expected
    if expected:
        assert reason(result, "NO_AVAILABLE_LIMIT").facts["available"] == D(str(available))
        assert result.max_amount_now == 0


def test_no_available_limit_only_for_active_accounts():
    result = check(make_snapshot({"status": "frozen", "limit.available": 0}))
    assert "NO_AVAILABLE_LIMIT" not in codes(result)
    assert "ACCOUNT_FROZEN" in codes(result)


def test_snapshot_without_limit_has_nothing_available():
    result = check(make_snapshot({"limit": DELETE}))
    assert "NO_AVAILABLE_LIMIT" in codes(result)
    assert reason(result, "NO_AVAILABLE_LIMIT").facts["available"] == 0


@pytest.mark.parametrize("amount,expected", [(499.99, True), ("499", True), (500, False)])
def test_amount_below_minimum(amount, expected):
    result = check(make_snapshot(), amount=amount)
    assert ("AMOUNT_BELOW_MINIMUM" in codes(result)) is expected
    if expected:
        assert reason(result, "AMOUNT_BELOW_MINIMUM").facts["amount"] == D(str(amount))
        assert result.allowed is False


@pytest.mark.parametrize("amount,expected", [
    (20000, False), ("20000.01", True), (20001, True),
])
def test_amount_exceeds_available(amount, expected):
    result = check(make_snapshot(), amount=amount)
    assert ("AMOUNT_EXCEEDS_AVAILABLE" in codes(result)) is expected
    if expected:
        found = reason(result, "AMOUNT_EXCEEDS_AVAILABLE")
        assert found.severity == "limiting" and found.facts["amount"] == D(str(amount))
        assert result.allowed is True and result.max_amount_now == 20000


def test_amount_exceeds_available_needs_available_of_at_least_500():
    result = check(make_snapshot({"limit.available": 499}), amount=1000)
    assert "AMOUNT_EXCEEDS_AVAILABLE" not in codes(result)
    assert "NO_AVAILABLE_LIMIT" in codes(result)


def test_money_compares_exactly_not_as_binary_floats():
    # 1000.3 as a binary float is 1000.2999...; the contract compares decimals exactly.
    result = check(make_snapshot({"limit.available": 1000.3}), amount="1000.30")
    assert "AMOUNT_EXCEEDS_AVAILABLE" not in codes(result)
    assert result.max_amount_now == D("1000.30")


@pytest.mark.parametrize("amount,expected", [(100000, False), ("100000.01", True)])
def test_amount_above_single_maximum(amount, expected):
    big = {"limit.total": 300000, "limit.available": 300000,
           "credit.income_verified_at": TODAY.isoformat()}
    result = check(make_snapshot(big), amount=amount)
    assert ("AMOUNT_ABOVE_SINGLE_MAXIMUM" in codes(result)) is expected
    assert "AMOUNT_EXCEEDS_AVAILABLE" not in codes(result)
    assert result.max_amount_now == 100000
    if expected:
        assert reason(result, "AMOUNT_ABOVE_SINGLE_MAXIMUM").severity == "limiting"


@pytest.mark.parametrize("verified_days_ago,amount,expected", [
    (365, 50001, False), (366, 50001, True), (366, 50000, False), (365, 50000, False),
    (None, 50000, False), (None, "50000.01", True), (0, 80000, False),
])
def test_income_verification_for_large_draws(verified_days_ago, amount, expected):
    verified = None if verified_days_ago is None else (
        TODAY - timedelta(days=verified_days_ago)).isoformat()
    big = {"limit.total": 80000, "limit.available": 80000, "credit.income_verified_at": verified}
    result = check(make_snapshot(big), amount=amount)
    assert ("INCOME_VERIFICATION_REQUIRED" in codes(result)) is expected
    assert result.max_amount_now == (80000 if verified_days_ago in (0, 365) else 50000)
    if expected:
        found = reason(result, "INCOME_VERIFICATION_REQUIRED")
        assert found.severity == "limiting" and result.allowed is True
        assert found.facts["amount"] == D(str(amount))
        assert step_codes(found.next_steps) == ["VERIFY_INCOME", "REDUCE_AMOUNT"]


def test_contract_example_300_with_20000_available():
    result = check(make_snapshot(), amount=300)
    assert result.allowed is False
    assert codes(result) == ["AMOUNT_BELOW_MINIMUM"]
    assert result.max_amount_now == 20000


def test_borrow_without_amount_skips_the_four_amount_rules():
    snapshot = make_snapshot()
    with_amount = {t.rule: t.outcome for t in check(snapshot, amount=1000).trace}
    without = {t.rule: t.outcome for t in check(snapshot).trace}
    skipped = {rule for rule, outcome in without.items()
               if outcome == "skipped" and with_amount.get(rule) == "pass"}
    assert len(skipped) == 4, without
    # asking for 300 / 200,000 without income: the same four rules now fire or pass
    fired = check(make_snapshot({"limit.available": 150000, "credit.income_verified_at": None}),
                  amount=200000)
    assert {"AMOUNT_EXCEEDS_AVAILABLE", "AMOUNT_ABOVE_SINGLE_MAXIMUM",
            "INCOME_VERIFICATION_REQUIRED"} <= set(codes(fired))
    no_amount = check(make_snapshot({"limit.available": 150000,
                                     "credit.income_verified_at": None}))
    assert codes(no_amount) == [] and no_amount.max_amount_now == 50000
    assert no_amount.amount is None


def test_trace_records_every_reason_as_an_outcome():
    result = check(make_snapshot({"overdue.amount": 100, "activity.loans_today": 3}), amount=300)
    outcomes = [t.outcome for t in result.trace]
    for code in codes(result):
        assert code in outcomes
    assert set(outcomes) <= {"pass", "skipped", *codes(result)}
    assert all(isinstance(t.inputs, dict) and t.rule for t in result.trace)


def test_checked_at_is_request_time():
    assert same_instant(check(make_snapshot()).checked_at, AS_OF)
    at = sh(2026, 11, 18, 12, 0)
    assert same_instant(check(make_snapshot(), at=at).checked_at, at)
    assert same_instant(check(make_snapshot(), at="2026-11-18T04:00:00Z").checked_at,
                        sh(2026, 11, 18, 12, 0).astimezone(UTC))
