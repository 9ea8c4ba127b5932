"""Helpers of the limit-check engine tests: a snapshot builder and a one-call check.

Expectations in these tests come from reading CONTRACT.md sections 1-3, not from running the
engine. The base snapshot is a healthy account on Wednesday 2026-11-18 10:00 Asia/Shanghai.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
TODAY = AS_OF.date()

ACTIONS = ("borrow", "limit_status", "limit_increase")

# The contract's table order (section 3): the priority within one severity.
CONTRACT_ORDER = [
    "ACCOUNT_NOT_OPENED", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN", "OVERDUE_UNPAID",
    "RISK_REVIEW_HOLD", "COMPLIANCE_REVIEW", "ID_DOCUMENT_EXPIRED", "ID_DOCUMENT_EXPIRING",
    "FACE_VERIFICATION_REQUIRED", "BANK_CARD_UNAVAILABLE", "AGE_INELIGIBLE", "HIGH_DEBT_BURDEN",
    "TOO_MANY_APPLICATIONS", "DAILY_DRAW_LIMIT_REACHED", "SYSTEM_MAINTENANCE",
    "FUNDING_QUOTA_EXHAUSTED", "NO_AVAILABLE_LIMIT", "AMOUNT_BELOW_MINIMUM",
    "AMOUNT_EXCEEDS_AVAILABLE", "AMOUNT_ABOVE_SINGLE_MAXIMUM", "INCOME_VERIFICATION_REQUIRED",
    "REPAYMENT_NOT_POSTED", "REPAYMENT_FAILED", "LIMIT_REDUCED", "RECENT_OVERDUE_HISTORY",
    "INCREASE_COOLDOWN", "INCREASE_NOT_ELIGIBLE",
]
SEVERITY_RANK = {"blocking": 0, "limiting": 1, "info": 2}

# Section 3 "checks" column.
CHECKS_OF = {
    **{c: set(ACTIONS) for c in ("ACCOUNT_NOT_OPENED", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN",
                                 "OVERDUE_UNPAID", "RISK_REVIEW_HOLD")},
    "COMPLIANCE_REVIEW": {"borrow", "limit_status"},
    **{c: {"borrow"} for c in (
        "ID_DOCUMENT_EXPIRED", "ID_DOCUMENT_EXPIRING", "FACE_VERIFICATION_REQUIRED",
        "BANK_CARD_UNAVAILABLE", "AGE_INELIGIBLE", "HIGH_DEBT_BURDEN", "TOO_MANY_APPLICATIONS",
        "DAILY_DRAW_LIMIT_REACHED", "SYSTEM_MAINTENANCE", "FUNDING_QUOTA_EXHAUSTED",
        "NO_AVAILABLE_LIMIT", "AMOUNT_BELOW_MINIMUM", "AMOUNT_EXCEEDS_AVAILABLE",
        "AMOUNT_ABOVE_SINGLE_MAXIMUM", "INCOME_VERIFICATION_REQUIRED")},
    "REPAYMENT_NOT_POSTED": {"borrow", "limit_status"},
    "REPAYMENT_FAILED": {"borrow", "limit_status"},
    "LIMIT_REDUCED": {"limit_status"},
    "RECENT_OVERDUE_HISTORY": {"limit_status", "limit_increase"},
    "INCREASE_COOLDOWN": {"limit_increase"},
    "INCREASE_NOT_ELIGIBLE": {"limit_increase"},
}

DELETE = object()  # builder value meaning "remove this field"


def iso(value: datetime) -> str:
    return value.isoformat()


def days_before_today(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def base_snapshot() -> dict[str, Any]:
    """A healthy active account: every borrow rule passes for amounts 500..20,000."""
    return {
        "account_id": "u-test",
        "as_of": iso(AS_OF),
        "status": "active",
        "customer": {"age": 30, "id_document_expiry": "2035-01-01",
                     "face_verification_required": False},
        "limit": {"total": 20000, "used": 0, "available": 20000},
        "overdue": {"amount": 0, "days": 0, "count_12m": 0},
        "activity": {"loans_today": 0, "applications_24h": 0},
        "repayments": [],
        "bank_card": {"status": "valid", "last4": "1234"},
        "risk": {"hold": False},
        "compliance": {"review_pending": False},
        "credit": {"debt_to_income": 0.3, "external_lenders": 1,
                   "income_verified_at": days_before_today(100)},
        "limit_history": [],
        "opened_at": "2024-01-01",
    }


def make_snapshot(changes: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """The base snapshot with dotted-path changes: ``{"customer.age": 17, "risk": DELETE}``."""
    raw = base_snapshot()
    for path, value in {**(changes or {}), **top}.items():
        *parents, leaf = path.split(".")
        node = raw
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        if value is DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = copy.deepcopy(value)
    return raw


def check(raw: dict[str, Any], action: str = "borrow", *, amount: Any = None, at: Any = None,
          platform: dict[str, Any] | None = None) -> Any:
    """Parse the raw snapshot (and platform) as a caller would, then run one check."""
    from tools.engine import run_check
    from tools.inputs import parse_amount, parse_time
    from tools.snapshot import parse_platform, parse_snapshot

    snapshot = parse_snapshot(raw)
    return run_check(
        snapshot, action,
        amount=None if amount is None else parse_amount(amount),
        at=None if at is None else (at if isinstance(at, datetime) else parse_time(at)),
        platform=parse_platform(platform),
    )


def codes(result: Any) -> list[str]:
    return [reason.code for reason in result.reasons]


def reason(result: Any, code: str) -> Any:
    found = [r for r in result.reasons if r.code == code]
    assert len(found) == 1, f"{code} expected once in {codes(result)}"
    return found[0]


def step_codes(steps: Any) -> list[str]:
    return [step.code for step in steps]


def same_instant(value: Any, expected: datetime) -> bool:
    """An aware datetime equal to `expected` (naive values are never right in results)."""
    return isinstance(value, datetime) and value.tzinfo is not None and value == expected


def sh(*args: int) -> datetime:
    """An Asia/Shanghai datetime."""
    return datetime(*args, tzinfo=SHANGHAI)


D = Decimal
