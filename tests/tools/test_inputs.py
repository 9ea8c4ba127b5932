"""Snapshot, platform, amount and time parsing: defaults, null = missing, clear errors."""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal

import pytest

from tests.helpers.engine import (
    AS_OF,
    DELETE,
    SHANGHAI,
    check,
    codes,
    make_snapshot,
    same_instant,
    sh,
)
from tools.errors import UserInputError
from tools.inputs import parse_amount, parse_time
from tools.snapshot import parse_platform, parse_snapshot


def _error(raw) -> str:
    with pytest.raises(UserInputError) as caught:
        parse_snapshot(raw)
    message = str(caught.value)
    assert "\n" not in message.strip(), message
    return message


# ---- required fields and field-naming messages -------------------------------------------------

@pytest.mark.parametrize("changes,field", [
    ({"account_id": DELETE}, "account_id"),
    ({"as_of": DELETE}, "as_of"),
    ({"as_of": None}, "as_of"),
    ({"as_of": "yesterday"}, "as_of"),
    ({"limit.available": -1}, "limit.available"),
    ({"limit.available": "abc"}, "limit.available"),
    ({"limit.available": math.nan}, "limit.available"),
    ({"limit.available": math.inf}, "limit.available"),
    ({"limit.total": -0.01}, "limit.total"),
    ({"limit.available": 100.123}, "limit.available"),   # money: two decimals at most
    ({"overdue.amount": "12.345"}, "overdue.amount"),
    ({"overdue.amount": -5}, "overdue.amount"),
    ({"overdue.days": -1}, "overdue.days"),
    ({"activity.loans_today": -1}, "activity.loans_today"),
    ({"status": "suspended"}, "status"),
    ({"bank_card.status": "lost"}, "bank_card.status"),
    ({"risk.reason": "bad_luck"}, "risk.reason"),
    ({"customer.age": "old"}, "customer.age"),
    ({"customer.id_document_expiry": "someday"}, "customer.id_document_expiry"),
    ({"credit.debt_to_income": -0.1}, "credit.debt_to_income"),
    ({"limit_increase.last_result": "maybe"}, "limit_increase.last_result"),
    ({"repayments": [{"id": "r", "amount": 1, "channel": "cash", "status": "pending",
                      "paid_at": "2026-11-18T09:00:00+08:00"}]}, "channel"),
    ({"repayments": [{"id": "r", "amount": -1, "channel": "balance", "status": "pending",
                      "paid_at": "2026-11-18T09:00:00+08:00"}]}, "amount"),
    ({"limit_history": [{"at": "2026-11-01T00:00:00+08:00", "from": 1, "to": 0,
                         "reason": "whim"}]}, "reason"),
])
def test_bad_snapshot_is_one_clear_line_naming_the_field(changes, field):
    message = _error(make_snapshot(changes))
    assert field in message, message


@pytest.mark.parametrize("raw", [[], "text", 42, None])
def test_snapshot_must_be_an_object(raw):
    with pytest.raises(UserInputError):
        parse_snapshot(raw)


def test_repayment_errors_name_the_list():
    message = _error(make_snapshot({"repayments": [{"id": "r", "amount": 1, "channel": "cash",
                                                    "status": "pending",
                                                    "paid_at": "2026-11-18T09:00:00"}]}))
    assert "repayments" in message


# ---- defaults, null = missing, unknown fields ------------------------------------------------

def test_minimal_snapshot_takes_the_defaults():
    minimal = {"account_id": "m", "as_of": "2026-11-18T10:00:00+08:00",
               "limit": {"available": 5000}}
    assert codes(check(minimal, amount=1000)) == []
    for action in ("limit_status", "limit_increase"):
        assert codes(check(minimal, action)) == []


@pytest.mark.parametrize("path", [
    "status", "customer", "customer.age", "customer.face_verification_required", "overdue",
    "overdue.amount", "activity", "activity.loans_today", "repayments", "bank_card",
    "bank_card.status", "risk", "risk.hold", "compliance", "credit", "credit.debt_to_income",
    "limit_history", "limit_increase", "opened_at", "status_reason",
])
def test_null_is_the_same_as_missing(path):
    with_null = check(make_snapshot({path: None}), amount=1000).to_json()
    without = check(make_snapshot({path: DELETE}), amount=1000).to_json()
    assert with_null == without


def test_null_limit_is_nothing_available():
    assert "NO_AVAILABLE_LIMIT" in codes(check(make_snapshot({"limit": None})))
    assert "NO_AVAILABLE_LIMIT" in codes(check(make_snapshot({"limit.available": None})))


def test_unknown_fields_are_ignored():
    noisy = make_snapshot({"nickname": "x", "limit.currency": "CNY", "customer.city": "杭州",
                           "repayments": [{"id": "r", "amount": 10, "channel": "balance",
                                           "status": "posted", "paid_at": "2026-11-17T09:00:00",
                                           "memo": "n/a"}]})
    plain = make_snapshot({"repayments": [{"id": "r", "amount": 10, "channel": "balance",
                                           "status": "posted", "paid_at": "2026-11-17T09:00:00"}]})
    assert check(noisy).to_json() == check(plain).to_json()


def test_naive_datetimes_are_shanghai_time():
    naive = check(make_snapshot({"as_of": "2026-11-18T10:00:00"}))
    aware = check(make_snapshot({"as_of": "2026-11-18T10:00:00+08:00"}))
    assert same_instant(naive.checked_at, AS_OF)
    assert naive.to_json() == aware.to_json()


def test_json_times_carry_the_shanghai_offset_and_money_is_a_number():
    result = check(make_snapshot({"as_of": "2026-11-18T02:00:00Z", "overdue.amount": 1200.5}),
                   amount=5000)
    data = json.loads(result.to_json())
    assert data["checked_at"] == "2026-11-18T10:00:00+08:00"
    assert data["amount"] == 5000 and isinstance(data["amount"], (int, float))
    overdue = next(r for r in data["reasons"] if r["code"] == "OVERDUE_UNPAID")
    assert overdue["facts"]["overdue_amount"] == 1200.5
    assert data["max_amount_now"] == 0


def test_platform_parsing():
    empty = parse_platform(None)
    assert check(make_snapshot(), amount=1000, platform=None).to_json() == check(
        make_snapshot(), amount=1000, platform={}).to_json()
    assert empty is not None
    for bad, field in [({"funding_quota_remaining": -1}, "funding_quota_remaining"),
                       ({"funding_quota_remaining": math.nan}, "funding_quota_remaining"),
                       ({"maintenance": [{"start": "soon"}]}, "maintenance")]:
        with pytest.raises(UserInputError) as caught:
            parse_platform(bad)
        assert field in str(caught.value)


# ---- amount and time ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("5000", Decimal(5000)), (5000, Decimal(5000)), ("0.01", Decimal("0.01")),
    ("1000.5", Decimal("1000.5")), (1e12, Decimal(1000000000000)), ("300.10", Decimal("300.10")),
])
def test_parse_amount_valid(text, value):
    assert parse_amount(text) == value
    assert isinstance(parse_amount(text), Decimal)


@pytest.mark.parametrize("text", [
    "0", 0, "-1", -5, "abc", "", "NaN", "nan", "Infinity", "-inf", math.nan, math.inf,
    "1e13", "1000000000000.01", "1000.123", "0.001",
])
def test_parse_amount_rejects(text):
    with pytest.raises(UserInputError):
        parse_amount(text)


def test_parse_time():
    assert parse_time("2026-11-18T10:00:00") == sh(2026, 11, 18, 10, 0)
    assert parse_time("2026-11-18T10:00:00").tzinfo is not None
    assert parse_time("2026-11-18T02:00:00Z") == sh(2026, 11, 18, 10, 0)
    assert parse_time("2026-11-18T10:00:00+08:00") == datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)
    for bad in ["tomorrow", "", "2026-13-01T00:00:00"]:
        with pytest.raises(UserInputError):
            parse_time(bad)
