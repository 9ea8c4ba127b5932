"""What CONTRACT.md section 3 says an answer's `next_steps` must be, written out independently
of the product's catalogue so that the tests read the contract, not the implementation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# Section 3, "Next steps": each reason brings these, in this order.
STEPS: dict[str, list[str]] = {
    "ACCOUNT_NOT_OPENED": ["OPEN_ACCOUNT"],
    "ACCOUNT_CLOSED": ["SUBMIT_APPEAL", "CONTACT_SUPPORT"],
    "ACCOUNT_FROZEN": ["SUBMIT_APPEAL", "CONTACT_SUPPORT"],
    "OVERDUE_UNPAID": ["REPAY_OVERDUE"],
    "RISK_REVIEW_HOLD": ["WAIT_UNTIL", "SUBMIT_APPEAL"],
    "COMPLIANCE_REVIEW": ["WAIT_UNTIL"],
    "ID_DOCUMENT_EXPIRED": ["UPDATE_ID_DOCUMENT"],
    "ID_DOCUMENT_EXPIRING": ["UPDATE_ID_DOCUMENT"],
    "FACE_VERIFICATION_REQUIRED": ["COMPLETE_FACE_VERIFICATION"],
    "BANK_CARD_UNAVAILABLE": ["UPDATE_BANK_CARD"],
    "AGE_INELIGIBLE": ["CONTACT_SUPPORT"],
    "HIGH_DEBT_BURDEN": ["REDUCE_DEBT"],
    "TOO_MANY_APPLICATIONS": ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"],
    "DAILY_DRAW_LIMIT_REACHED": ["WAIT_UNTIL"],
    "SYSTEM_MAINTENANCE": ["RETRY_LATER"],
    "FUNDING_QUOTA_EXHAUSTED": ["RETRY_LATER"],
    "NO_AVAILABLE_LIMIT": ["REPAY_OUTSTANDING"],
    "AMOUNT_BELOW_MINIMUM": ["RAISE_AMOUNT"],
    "AMOUNT_EXCEEDS_AVAILABLE": ["REDUCE_AMOUNT"],
    "AMOUNT_ABOVE_SINGLE_MAXIMUM": ["REDUCE_AMOUNT"],
    "INCOME_VERIFICATION_REQUIRED": ["VERIFY_INCOME", "REDUCE_AMOUNT"],
    "REPAYMENT_NOT_POSTED": ["WAIT_UNTIL"],
    "REPAYMENT_FAILED": ["RETRY_REPAYMENT"],
    "LIMIT_REDUCED": ["KEEP_GOOD_RECORD", "SUBMIT_APPEAL"],
    "RECENT_OVERDUE_HISTORY": ["KEEP_GOOD_RECORD"],
    "INCREASE_NOT_ELIGIBLE": ["KEEP_GOOD_RECORD"],
    "INCREASE_COOLDOWN": ["WAIT_UNTIL"],
}

# Demo accounts whose pending repayment should already have posted (the step is CONTACT_SUPPORT).
LATE_POSTING = frozenset({"demo-late-posting"})


def steps_for(code: str, account: dict[str, Any], amount: Decimal | None) -> list[str]:
    """The steps one reason brings for this account, with the contract's conditional rules."""
    snapshot = account["snapshot"]
    if code == "ACCOUNT_FROZEN" and snapshot.get("status_reason") == "overdue":
        return ["REPAY_OVERDUE"]
    if code == "REPAYMENT_NOT_POSTED" and account["account_id"] in LATE_POSTING:
        return ["CONTACT_SUPPORT"]
    if code == "FUNDING_QUOTA_EXHAUSTED":
        quota = Decimal(str(account["platform"]["funding_quota_remaining"]))
        limiting = quota >= 500 and amount is not None and quota < amount
        return ["RETRY_LATER", "REDUCE_AMOUNT"] if limiting else ["RETRY_LATER"]
    return STEPS[code]


def expected_next_steps(codes: list[str], account: dict[str, Any], amount: Decimal | None) -> list[str]:
    """The union of the reasons' steps, deduplicated in first-seen order, and nothing else."""
    seen: dict[str, None] = {}
    for code in codes:
        for step in steps_for(code, account, amount):
            seen.setdefault(step, None)
    return list(seen)
