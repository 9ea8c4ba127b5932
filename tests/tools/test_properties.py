"""Hypothesis properties of the engine over any valid snapshot (CONTRACT.md sections 1-3)."""

from __future__ import annotations

import copy
import json
import math
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.engine import CHECKS_OF, CONTRACT_ORDER, SEVERITY_RANK, SHANGHAI
from tests.helpers.snapshot_strategies import actions, amounts, at_offsets, platforms, snapshots
from tools.engine import run_check
from tools.errors import UserInputError
from tools.inputs import parse_amount
from tools.snapshot import parse_platform, parse_snapshot

SECTIONS = Path(__file__).resolve().parents[2] / "tools" / "catalogue" / "sections.yaml"
SECTION_IDS = set(yaml.safe_load(SECTIONS.read_text(encoding="utf-8"))["sections"])
AMOUNT_DEPENDENT = {"AMOUNT_BELOW_MINIMUM", "AMOUNT_EXCEEDS_AVAILABLE",
                    "AMOUNT_ABOVE_SINGLE_MAXIMUM", "INCOME_VERIFICATION_REQUIRED"}
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


def _run(raw, action, amount, at_offset, platform_raw):
    snapshot = parse_snapshot(raw)
    at = None if at_offset is None else snapshot.as_of + timedelta(seconds=at_offset)
    return run_check(snapshot, action, amount=None if amount is None else parse_amount(amount),
                     at=at, platform=parse_platform(platform_raw))


def _available(raw) -> Decimal:
    value = (raw.get("limit") or {}).get("available")
    return Decimal(0) if value is None else Decimal(str(value))


@PROPERTY_SETTINGS
@given(raw=snapshots(), action=actions, amount=amounts, at_offset=at_offsets, platform=platforms)
def test_engine_invariants(raw, action, amount, at_offset, platform):
    original = copy.deepcopy(raw)
    result = _run(raw, action, amount if action == "borrow" else None, at_offset, platform)
    assert raw == original  # the input is not mutated

    # deterministic, also after a JSON round trip of the input
    again = _run(json.loads(json.dumps(raw)), action,
                 amount if action == "borrow" else None, at_offset, platform)
    assert result.to_json() == again.to_json()
    json.loads(result.to_json())

    found = [r.code for r in result.reasons]
    assert len(found) == len(set(found))
    assert all(action in CHECKS_OF[code] for code in found), found
    assert result.allowed is (not any(r.severity == "blocking" for r in result.reasons))

    ranks = [(SEVERITY_RANK[r.severity], CONTRACT_ORDER.index(r.code)) for r in result.reasons]
    assert ranks == sorted(ranks)

    union: list[str] = []
    for reason in result.reasons:
        assert reason.policy_refs and reason.next_steps, reason.code
        assert set(reason.policy_refs) <= SECTION_IDS, reason.policy_refs
        union += [s.code for s in reason.next_steps if s.code not in union]
    assert [s.code for s in result.next_steps] == union

    outcomes = {t.outcome for t in result.trace}
    assert set(found) <= outcomes <= {"pass", "skipped", *found}

    if action != "borrow":
        assert result.max_amount_now is None
        return
    cap = result.max_amount_now
    assert cap is not None and 0 <= cap <= max(_available(raw), Decimal(0))
    independent_block = any(r.severity == "blocking" and r.code not in AMOUNT_DEPENDENT
                            for r in result.reasons)
    if independent_block:
        assert cap == 0
    else:
        expected = min(_available(raw), Decimal(100000))
        quota = (platform or {}).get("funding_quota_remaining")
        if quota is not None:
            expected = min(expected, Decimal(str(quota)))
        if not _income_verified(raw, result.checked_at):
            expected = min(expected, Decimal(50000))
        assert cap == expected
    if amount is None:
        assert not set(found) & AMOUNT_DEPENDENT


def _income_verified(raw, checked_at) -> bool:
    from datetime import date

    verified = (raw.get("credit") or {}).get("income_verified_at")
    if verified is None:
        return False
    today = checked_at.astimezone(SHANGHAI).date()
    return (today - date.fromisoformat(verified)).days <= 365


# ---- invalid snapshots: UserInputError, never another exception -------------------------------

CORRUPTIONS = [
    ("limit", "available", -1), ("limit", "total", -0.5), ("overdue", "amount", -100),
    ("limit", "available", math.nan), ("limit", "available", math.inf), ("overdue", "amount", "x"),
    (None, "status", "paused"), ("bank_card", "status", "stolen"), ("risk", "hold", "perhaps"),
    (None, "as_of", None), (None, "as_of", "not a time"), (None, "account_id", None),
    ("customer", "age", "thirty"), ("activity", "loans_today", -2), ("credit", "debt_to_income", -1),
    (None, "repayments", [{"id": "r", "amount": 5, "channel": "wire", "status": "pending",
                           "paid_at": "2026-11-18T09:00:00"}]),
    (None, "repayments", [{"id": "r", "amount": math.nan, "channel": "balance",
                           "status": "failed", "paid_at": "2026-11-18T09:00:00"}]),
    (None, "limit_history", [{"at": "2026-11-01T00:00:00", "from": -1, "to": 0,
                              "reason": "policy"}]),
    (None, "repayments", "none"), (None, "customer", 7),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=snapshots(), corruption=st.sampled_from(CORRUPTIONS))
def test_invalid_snapshot_is_user_input_error(raw, corruption):
    parent, key, value = corruption
    if parent is None:
        raw[key] = value
    else:
        if not isinstance(raw.get(parent), dict):
            raw[parent] = {}
        raw[parent][key] = value
    with pytest.raises(UserInputError):
        parse_snapshot(raw)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=snapshots())
def test_missing_as_of_is_user_input_error(raw):
    del raw["as_of"]
    with pytest.raises(UserInputError):
        parse_snapshot(raw)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=12), st.floats(allow_nan=True, allow_infinity=True),
                      st.integers()))
def test_parse_amount_only_raises_user_input_error(text):
    try:
        value = parse_amount(text)
    except UserInputError:
        return
    assert isinstance(value, Decimal) and value.is_finite()
    assert Decimal(0) < value <= Decimal(10) ** 12
    assert value == value.quantize(Decimal("0.01"))
