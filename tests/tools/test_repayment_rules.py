"""Pending and failed repayments (CONTRACT.md section 2 "repayment posting", section 3)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.helpers.engine import (
    AS_OF,
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


def _repayment(paid_at: datetime | str, channel: str, status: str = "pending",
               amount: float = 1000, rid: str = "r1") -> dict:
    return {"id": rid, "amount": amount, "channel": channel, "status": status,
            "paid_at": paid_at if isinstance(paid_at, str) else iso(paid_at)}


# (channel, paid_at, expected posting time); 2026-11-20 is a Friday.
POSTING = [
    ("balance", sh(2026, 11, 18, 9, 0), sh(2026, 11, 18, 9, 0)),
    ("bank_card", sh(2026, 11, 18, 9, 0), sh(2026, 11, 18, 11, 0)),
    ("bank_card", sh(2026, 11, 18, 23, 30), sh(2026, 11, 19, 1, 30)),
    ("bank_transfer", sh(2026, 11, 20, 20, 0), sh(2026, 11, 23, 9, 0)),   # Fri 20:00 -> Mon 09:00
    ("bank_transfer", sh(2026, 11, 20, 21, 30), sh(2026, 11, 23, 9, 0)),  # Fri 21:30 -> Mon 09:00
    ("bank_transfer", sh(2026, 11, 23, 8, 0), sh(2026, 11, 24, 9, 0)),    # Mon 08:00 -> Tue 09:00
    ("bank_transfer", sh(2026, 11, 21, 12, 0), sh(2026, 11, 23, 9, 0)),   # Sat -> Mon 09:00
    ("bank_transfer", sh(2026, 11, 22, 12, 0), sh(2026, 11, 23, 9, 0)),   # Sun -> Mon 09:00
    ("bank_transfer", sh(2026, 11, 18, 0, 0), sh(2026, 11, 19, 9, 0)),    # Wed -> Thu 09:00
    ("bank_transfer", sh(2026, 11, 19, 23, 59), sh(2026, 11, 20, 9, 0)),  # Thu -> Fri 09:00
    # 13:30 UTC Friday is 21:30 Friday in Shanghai; 17:00 UTC Sunday is 01:00 Monday there.
    ("bank_transfer", "2026-11-20T13:30:00+00:00", sh(2026, 11, 23, 9, 0)),
    ("bank_transfer", "2026-11-22T17:00:00+00:00", sh(2026, 11, 24, 9, 0)),
    ("bank_transfer", "2026-11-20T21:30:00", sh(2026, 11, 23, 9, 0)),      # naive = Shanghai
]


@pytest.mark.parametrize("channel,paid_at,posts_at",
                         [row for row in POSTING if row[0] != "balance"])
@pytest.mark.parametrize("action", ["borrow", "limit_status"])
def test_pending_repayment_before_its_posting_time_waits(channel, paid_at, posts_at, action):
    # snapshot taken when the money was paid; request one second before it posts
    at = posts_at - timedelta(seconds=1)
    paid = paid_at if isinstance(paid_at, str) else iso(paid_at)
    snapshot = make_snapshot({"as_of": paid, "repayments": [_repayment(paid_at, channel)]})
    result = check(snapshot, action, at=at)
    found = reason(result, "REPAYMENT_NOT_POSTED")
    assert found.severity == "info"
    assert len(found.facts["repayments"]) == 1
    item = found.facts["repayments"][0]
    assert same_instant(item["posts_at"], posts_at), item
    assert item["late"] is False and item["channel"] == channel and item["amount"] == D(1000)
    assert same_instant(found.facts["posts_at"], posts_at)
    assert step_codes(found.next_steps) == ["WAIT_UNTIL"]
    assert same_instant(found.next_steps[0].eta, posts_at)


@pytest.mark.parametrize("channel,paid_at,posts_at", POSTING)
@pytest.mark.parametrize("delay", [timedelta(0), timedelta(hours=3)])
def test_pending_repayment_at_or_after_its_posting_time_is_late(channel, paid_at, posts_at, delay):
    at = posts_at + delay
    snapshot = make_snapshot({"as_of": iso(at), "repayments": [_repayment(paid_at, channel)]})
    result = check(snapshot, "limit_status")
    found = reason(result, "REPAYMENT_NOT_POSTED")
    item = found.facts["repayments"][0]
    assert same_instant(item["posts_at"], posts_at)
    assert item["late"] is True
    assert step_codes(found.next_steps) == ["CONTACT_SUPPORT"]


def test_posted_repayment_is_not_a_reason():
    posted = _repayment(AS_OF - timedelta(hours=1), "bank_card", status="posted")
    posted["posted_at"] = iso(AS_OF - timedelta(minutes=30))
    result = check(make_snapshot({"repayments": [posted]}), "limit_status")
    assert codes(result) == []


def test_several_pending_repayments_are_one_reason():
    repayments = [_repayment(AS_OF - timedelta(hours=1), "bank_card", rid="r1"),
                  _repayment(AS_OF - timedelta(hours=5), "bank_transfer", amount=250.5, rid="r2")]
    result = check(make_snapshot({"repayments": repayments}), "limit_status")
    assert codes(result) == ["REPAYMENT_NOT_POSTED"]
    listed = reason(result, "REPAYMENT_NOT_POSTED").facts["repayments"]
    assert sorted(item["id"] for item in listed) == ["r1", "r2"]
    assert {item["id"]: item["amount"] for item in listed}["r2"] == D("250.5")


def test_pending_repayment_not_in_limit_increase():
    pending = _repayment(AS_OF - timedelta(hours=1), "bank_card")
    assert "REPAYMENT_NOT_POSTED" not in codes(
        check(make_snapshot({"repayments": [pending]}), "limit_increase"))


@pytest.mark.parametrize("ago,expected", [
    (timedelta(days=1), True), (timedelta(days=30), True), (timedelta(days=31), False),
])
@pytest.mark.parametrize("action", ["borrow", "limit_status"])
def test_failed_repayment_within_30_days(ago, expected, action):
    failed = _repayment(AS_OF - ago, "bank_card", status="failed")
    result = check(make_snapshot({"repayments": [failed]}), action)
    assert ("REPAYMENT_FAILED" in codes(result)) is expected
    if expected:
        found = reason(result, "REPAYMENT_FAILED")
        assert found.severity == "info" and result.allowed is True
        assert [item["id"] for item in found.facts["repayments"]] == ["r1"]
        assert step_codes(found.next_steps) == ["RETRY_REPAYMENT"]


def test_several_failed_repayments_are_one_reason():
    failed = [_repayment(AS_OF - timedelta(days=d), "balance", status="failed", rid=f"f{d}")
              for d in (1, 2, 40)]
    result = check(make_snapshot({"repayments": failed}), "limit_status")
    assert codes(result) == ["REPAYMENT_FAILED"]
    ids = sorted(item["id"] for item in reason(result, "REPAYMENT_FAILED").facts["repayments"])
    assert ids == ["f1", "f2"]  # the one paid 40 days ago is too old to report


def test_failed_repayment_not_in_limit_increase():
    failed = _repayment(AS_OF - timedelta(days=1), "bank_card", status="failed")
    assert codes(check(make_snapshot({"repayments": [failed]}), "limit_increase")) == []
