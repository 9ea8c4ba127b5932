"""limit_status and limit_increase rules: reductions, overdue history, cool-down, eligibility."""

from __future__ import annotations

from datetime import timedelta

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
    step_codes,
)


def _change(days_ago: float, frm: float, to: float, why: str = "reassessment") -> dict:
    return {"at": iso(AS_OF - timedelta(days=days_ago)), "from": frm, "to": to, "reason": why}


# ---- LIMIT_REDUCED: only when the latest entry (greatest `at`) lowers ---------------------------

@pytest.mark.parametrize("history,expected", [
    ([], None),
    ([_change(10, 20000, 10000)], (20000, 10000, 10, "reassessment")),
    ([_change(10, 20000, 0, "closed")], (20000, 0, 10, "closed")),
    ([_change(10, 20000, 20000)], None),
    ([_change(10, 10000, 20000, "increase_approved")], None),
    ([_change(40, 20000, 10000), _change(10, 10000, 15000, "increase_approved")], None),
    # listed out of order: the greatest `at` is the reduction
    ([_change(5, 30000, 12000, "overdue"), _change(50, 20000, 30000, "increase_approved")],
     (30000, 12000, 5, "overdue")),
])
def test_limit_reduced_uses_the_latest_entry(history, expected):
    result = check(make_snapshot({"limit_history": history}), "limit_status")
    if expected is None:
        assert "LIMIT_REDUCED" not in codes(result)
        return
    found = reason(result, "LIMIT_REDUCED")
    frm, to, days_ago, why = expected
    assert found.severity == "info"
    assert (found.facts["from"], found.facts["to"], found.facts["reason"]) == (D(frm), D(to), why)
    assert same_instant(found.facts["at"], AS_OF - timedelta(days=days_ago))
    assert step_codes(found.next_steps) == ["KEEP_GOOD_RECORD", "SUBMIT_APPEAL"]


@pytest.mark.parametrize("action", ["borrow", "limit_increase"])
def test_limit_reduced_only_in_limit_status(action):
    result = check(make_snapshot({"limit_history": [_change(100, 20000, 10000)]}), action)
    assert "LIMIT_REDUCED" not in codes(result)


# ---- RECENT_OVERDUE_HISTORY ------------------------------------------------------------------

@pytest.mark.parametrize("count,amount,action,expected", [
    (1, 0, "limit_status", True), (1, 0, "limit_increase", True), (1, 0, "borrow", False),
    (0, 0, "limit_status", False), (2, 300, "limit_status", False),
])
def test_recent_overdue_history(count, amount, action, expected):
    result = check(make_snapshot({"overdue.count_12m": count, "overdue.amount": amount}), action)
    assert ("RECENT_OVERDUE_HISTORY" in codes(result)) is expected
    if expected:
        found = reason(result, "RECENT_OVERDUE_HISTORY")
        assert found.facts["overdue_count_12m"] == count and found.severity == "info"
        assert step_codes(found.next_steps) == ["KEEP_GOOD_RECORD"]


# ---- INCREASE_COOLDOWN: until exactly 30 days after the last request -------------------------

@pytest.mark.parametrize("ago,expected", [
    (timedelta(days=29), True), (timedelta(days=30) - timedelta(seconds=1), True),
    (timedelta(days=30), False), (timedelta(days=31), False),
])
@pytest.mark.parametrize("last_result", ["approved", "denied", "pending"])
def test_increase_cooldown(ago, expected, last_result):
    last = AS_OF - ago
    snapshot = make_snapshot({"limit_increase": {"last_request_at": iso(last),
                                                 "last_result": last_result}})
    result = check(snapshot, "limit_increase")
    assert ("INCREASE_COOLDOWN" in codes(result)) is expected
    if expected:
        found = reason(result, "INCREASE_COOLDOWN")
        until = last + timedelta(days=30)
        assert found.severity == "blocking" and result.allowed is False
        assert same_instant(found.facts["last_request_at"], last)
        assert same_instant(found.facts["cooldown_until"], until)
        assert step_codes(found.next_steps) == ["WAIT_UNTIL"]
        assert same_instant(found.next_steps[0].eta, until)
    else:
        assert result.allowed is True


def test_cooldown_only_for_limit_increase():
    snapshot = make_snapshot({"limit_increase.last_request_at": iso(AS_OF - timedelta(days=1))})
    for action in ("borrow", "limit_status"):
        assert "INCREASE_COOLDOWN" not in codes(check(snapshot, action))


# ---- INCREASE_NOT_ELIGIBLE --------------------------------------------------------------------

@pytest.mark.parametrize("changes,failed", [
    ({"opened_at": (TODAY - timedelta(days=89)).isoformat()}, ["account_age"]),
    ({"opened_at": (TODAY - timedelta(days=90)).isoformat()}, []),
    ({"opened_at": DELETE}, []),                        # unknown: the rule is skipped
    ({"opened_at": None}, []),
    ({"overdue.count_12m": 1}, ["overdue_history"]),
    ({"limit_history": [_change(89, 20000, 10000)]}, ["recent_reduction"]),
    ({"limit_history": [_change(91, 20000, 10000)]}, []),
    ({"limit_history": [_change(10, 10000, 20000, "increase_approved")]}, []),
    # any lowering entry in the last 90 days counts, even if a raise came after it
    ({"limit_history": [_change(30, 20000, 10000), _change(10, 10000, 20000, "increase_approved")]},
     ["recent_reduction"]),
    ({"opened_at": (TODAY - timedelta(days=10)).isoformat(), "overdue.count_12m": 2,
      "limit_history": [_change(5, 20000, 5000, "overdue")]},
     ["account_age", "overdue_history", "recent_reduction"]),
])
def test_increase_eligibility(changes, failed):
    result = check(make_snapshot(changes), "limit_increase")
    if not failed:
        assert "INCREASE_NOT_ELIGIBLE" not in codes(result)
        assert result.allowed is True
        return
    found = reason(result, "INCREASE_NOT_ELIGIBLE")
    assert sorted(found.facts["failed"]) == sorted(failed)
    assert found.severity == "blocking" and result.allowed is False
    assert step_codes(found.next_steps) == ["KEEP_GOOD_RECORD"]


def test_opened_at_today_is_the_request_day():
    opened = (TODAY - timedelta(days=89)).isoformat()
    result = check(make_snapshot({"opened_at": opened}), "limit_increase",
                   at=AS_OF + timedelta(days=1))
    assert "INCREASE_NOT_ELIGIBLE" not in codes(result)


def test_limit_checks_return_no_max_amount():
    for action in ("limit_status", "limit_increase"):
        assert check(make_snapshot(), action).max_amount_now is None
