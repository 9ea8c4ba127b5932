"""Properties of the recourse plan over random snapshots and every demo account (section 9).

The plan is followed with this file's own simulator, written from the contract's "Effects"
paragraph: the customer's steps at the request time, then on-time pending repayments posting and
dated reviews lifting as time passes; the engine's borrow check judges the result.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.snapshot_strategies import (
    BASE,
    amounts,
    at_offsets,
    instants,
    platforms,
    snapshots,
)
from tools.clock import posting_eta
from tools.engine import run_check
from tools.inputs import parse_amount, to_local
from tools.plan import plan
from tools.plan_model import Plan, PlanStep
from tools.policy import load_policy
from tools.snapshot import Platform, Snapshot, parse_platform, parse_snapshot

POLICY = load_policy()
MINUTE = timedelta(minutes=1)
CENT = Decimal("0.01")
DEMO = json.loads((Path(__file__).resolve().parents[2] / "assistant/store/fixtures/demo_accounts.json")
                  .read_text(encoding="utf-8"))
REVIEWS = {"RISK_REVIEW_HOLD", "COMPLIANCE_REVIEW"}
KIND_ORDER = {"you": 0, "support": 1, "wait": 2}


def _pay(data: dict[str, Any], amount: Decimal, overdue_first: bool = True) -> None:
    overdue, limit = data["overdue"], data["limit"]
    if overdue_first and overdue["amount"] > 0:
        overdue["amount"] -= min(amount, overdue["amount"])
        if overdue["amount"] == 0:
            overdue["days"] = 0
            if data["status"] == "frozen" and data["status_reason"] == "overdue":
                data["status"], data["status_reason"] = "active", None
    freed = min(amount, limit["used"])
    limit["used"] -= freed
    limit["available"] += freed


def follow(snapshot: Snapshot, platform: Platform, result: Plan, at: datetime, *,
           without: PlanStep | None = None, shave: PlanStep | None = None) -> Any:
    """The borrow check at `at` after doing the plan's `you` steps at the request time."""
    now = result.checked_at
    data = snapshot.model_dump(mode="python", by_alias=True)
    for step in result.steps:
        if step.kind != "you" or step is without:
            continue
        amount = (step.amount or Decimal(0)) - (CENT if step is shave else 0)
        if step.step == "REPAY_OVERDUE":
            _pay(data, amount)
        elif step.step == "REPAY_OUTSTANDING":
            assert amount <= data["limit"]["used"]
            _pay(data, amount, overdue_first=False)
        elif step.step == "UPDATE_ID_DOCUMENT":
            data["customer"]["id_document_expiry"] = None
        elif step.step == "COMPLETE_FACE_VERIFICATION":
            data["customer"]["face_verification_required"] = False
        elif step.step == "UPDATE_BANK_CARD":
            data["bank_card"]["status"] = "valid"
        elif step.step == "VERIFY_INCOME":
            data["credit"]["income_verified_at"] = now.date()
        else:
            pytest.fail(f"unexpected you step {step.step}")
    for repayment in sorted(data["repayments"], key=lambda r: posting_eta(_repayment(r), POLICY)):
        eta = posting_eta(_repayment(repayment), POLICY)
        if repayment["status"] == "pending" and now < eta <= at:
            _pay(data, repayment["amount"])
            repayment["status"], repayment["posted_at"] = "posted", eta
    risk, review = data["risk"], data["compliance"]
    if risk["hold"] and risk["review_until"] and now < risk["review_until"] <= at:
        risk["hold"] = False
    if review["review_pending"] and review["expected_by"] and now < review["expected_by"] <= at:
        review["review_pending"] = False
    return run_check(parse_snapshot(data), "borrow", amount=result.goal.amount, at=at,
                     platform=platform, policy=POLICY)


def _repayment(data: dict[str, Any]) -> Any:
    from tools.snapshot import Repayment

    return Repayment.model_validate(data)


def goal_codes(check: Any) -> list[str]:
    return [r.code for r in check.reasons if r.severity in ("blocking", "limiting")]


def assert_valid_plan(snapshot: Snapshot, platform: Platform, amount: Decimal | None,
                      at: datetime | None) -> Plan:
    result = plan(snapshot, platform, None, amount, at)
    now = to_local(at) if at is not None else snapshot.as_of
    first = run_check(snapshot, "borrow", amount=amount, at=at, platform=platform, policy=POLICY)
    assert result.checked_at == now and result.policy_version == first.policy_version
    assert result.amount_now == first.max_amount_now
    assert result.goal.amount == amount
    assert all(step.clears for step in result.steps)  # every step clears something
    data = json.loads(result.to_json())
    assert list(data) == ["goal", "reachable", "earliest_at", "amount_now", "amount_at_goal", "steps",
                          "blocked_by", "policy_version", "checked_at"]
    if not result.reachable:
        assert result.blocked_by and result.earliest_at is None and result.amount_at_goal is None
        assert not any(step.step.startswith("REPAY_") for step in result.steps)
        assert all(set(step.clears) <= set(result.blocked_by) for step in result.steps)
        return result
    assert result.blocked_by == []
    earliest = result.earliest_at
    assert earliest is not None and now <= earliest <= now + timedelta(days=60)
    if not goal_codes(first):
        assert result.steps == [] and earliest == now and result.amount_at_goal == first.max_amount_now
        return result
    assert result.steps
    _assert_order(result, now, earliest)
    final = follow(snapshot, platform, result, earliest)
    assert goal_codes(final) == [] and final.allowed
    assert result.amount_at_goal == final.max_amount_now
    if earliest > now:  # not one minute earlier
        assert goal_codes(follow(snapshot, platform, result, max(now, earliest - MINUTE)))
    named = {code for step in result.steps for code in step.clears}
    assert set(goal_codes(first)) <= named  # every blocker at the request time is named
    for step in result.steps:
        if step.kind == "you":  # minimal: without it, the goal is not met
            assert goal_codes(follow(snapshot, platform, result, earliest, without=step))
        if step.amount is not None:  # and not a cent more than needed
            assert step.step in ("REPAY_OVERDUE", "REPAY_OUTSTANDING") and step.amount > 0
            assert goal_codes(follow(snapshot, platform, result, earliest, shave=step))
    _assert_never_asks_twice(snapshot, result, now)
    return result


def _assert_order(result: Plan, now: datetime, earliest: datetime) -> None:
    keys = [(step.at, KIND_ORDER[step.kind]) for step in result.steps]
    assert keys == sorted(keys)
    waits = [step.at for step in result.steps if step.kind == "wait"]
    assert len(waits) == len(set(waits))  # waits ending together are one step
    for step in result.steps:
        assert step.at is not None
        if step.kind == "wait":
            assert now < step.at <= earliest and step.step == "WAIT_UNTIL" and step.amount is None
            assert step.at.second == 0 and step.at.microsecond == 0
            assert step.certain is not any(code in REVIEWS for code in step.clears)
        else:
            assert step.at == now
            assert step.certain is (step.kind == "you")


def _assert_never_asks_twice(snapshot: Snapshot, result: Plan, now: datetime) -> None:
    on_time = sum((r.amount for r in snapshot.repayments
                   if r.status == "pending" and posting_eta(r, POLICY) > now), Decimal(0))
    asked = {step.step: step.amount for step in result.steps if step.amount is not None}
    overdue_left = snapshot.overdue.amount - on_time
    if overdue_left <= 0:
        assert "REPAY_OVERDUE" not in asked
    elif "REPAY_OVERDUE" in asked:
        assert asked["REPAY_OVERDUE"] == overdue_left
    late = [r for r in snapshot.repayments if r.status == "pending" and posting_eta(r, POLICY) <= now]
    support = [s for s in result.steps if s.step == "CONTACT_SUPPORT"]
    assert bool(late) == bool(support)
    for step in support:
        assert step.kind == "support" and step.certain is False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=snapshots(), amount=amounts, at_offset=at_offsets, platform_raw=platforms)
def test_plan_properties_over_random_snapshots(raw, amount, at_offset, platform_raw):
    snapshot, platform = parse_snapshot(raw), parse_platform(platform_raw)
    goal = None if amount is None else parse_amount(amount)
    at = None if at_offset is None else snapshot.as_of + timedelta(seconds=at_offset)
    result = assert_valid_plan(snapshot, platform, goal, at)
    again = plan(parse_snapshot(json.loads(json.dumps(raw))), platform, None, goal, at)
    assert again.to_json() == result.to_json()  # deterministic


def _iso(days: int) -> st.SearchStrategy[str]:
    return instants(days=days).map(lambda moment: moment.isoformat())


@st.composite
def recoverable_snapshots(draw) -> dict[str, Any]:
    """A healthy account with a random mix of what a plan can clear (random snapshots are mostly
    unreachable): overdue and pending repayments, ID, face, card, income, dated reviews, the
    application window, the daily count, a short limit."""
    total = draw(st.sampled_from([20000, 80000]))
    used = draw(st.sampled_from([0, 3000, 9000, 14800, 19700, 20000]))
    raw: dict[str, Any] = {
        "account_id": "p", "as_of": BASE.isoformat(), "customer": {"age": 30},
        "limit": {"total": total, "used": used, "available": total - used},
        "credit": {"debt_to_income": 0.3,
                   "income_verified_at": draw(st.sampled_from(["2026-06-01", "2025-11-20", "2025-01-01"]))},
    }
    if draw(st.booleans()):
        raw["overdue"] = {"amount": draw(st.sampled_from([100, 1200, 2500.5])), "days": 4}
        if draw(st.booleans()):
            raw["status"], raw["status_reason"] = "frozen", "overdue"
    raw["repayments"] = draw(st.lists(st.fixed_dictionaries({
        "amount": st.sampled_from([100, 600, 1200, 5000]), "paid_at": _iso(4),
        "channel": st.sampled_from(["balance", "bank_card", "bank_transfer"]),
        "status": st.sampled_from(["pending", "pending", "posted", "failed"])}), max_size=3))
    if draw(st.booleans()):
        raw["customer"]["id_document_expiry"] = (BASE.date() + timedelta(days=draw(st.integers(-5, 70)))).isoformat()
    raw["customer"]["face_verification_required"] = draw(st.booleans())
    raw["bank_card"] = {"status": draw(st.sampled_from(["valid", "valid", "expired"]))}
    if draw(st.booleans()):
        raw["risk"] = {"hold": True, "review_until": draw(_iso(70))}
    if draw(st.booleans()):
        raw["compliance"] = {"review_pending": True, "expected_by": draw(_iso(70))}
    raw["activity"] = {"loans_today": draw(st.integers(0, 3)), "applications_24h": draw(st.integers(3, 6)),
                       "last_application_at": draw(_iso(1))}
    return raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=recoverable_snapshots(), at_offset=at_offsets, platform_raw=platforms,
       amount=st.sampled_from([None, "500", "5000", "12000", "20000", "60000"]))
def test_plan_properties_over_recoverable_snapshots(raw, at_offset, platform_raw, amount):
    snapshot, platform = parse_snapshot(raw), parse_platform(platform_raw)
    at = None if at_offset is None else snapshot.as_of + timedelta(seconds=at_offset)
    assert_valid_plan(snapshot, platform, None if amount is None else Decimal(amount), at)


@pytest.mark.parametrize("amount", [None, "500", "5000", "20000", "60000"])
@pytest.mark.parametrize("entry", DEMO, ids=[e["account_id"] for e in DEMO])
def test_every_demo_account_gets_a_valid_plan(entry, amount):
    goal = None if amount is None else Decimal(amount)
    assert_valid_plan(parse_snapshot(entry["snapshot"]), parse_platform(entry.get("platform")), goal, None)


def test_demo_multi_waits_for_the_transfer_instead_of_repaying():
    entry = next(e for e in DEMO if e["account_id"] == "demo-multi")
    result = assert_valid_plan(parse_snapshot(entry["snapshot"]), parse_platform(entry.get("platform")),
                               Decimal(5000), None)
    assert result.step_codes == ["UPDATE_ID_DOCUMENT", "WAIT_UNTIL"]
    assert "REPAY_OVERDUE" not in result.step_codes
    assert result.steps[1].at == result.earliest_at == datetime.fromisoformat("2026-11-23T09:00:00+08:00")
