"""One sentence per reason, in the customer's language, with the customer's own figures.

Facts come from the check; the wording from `templates/<lang>.yaml`. The small functions below
only build the composite parts (lists of repayments, which debt rule tripped) that a flat
template cannot express.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.answers.format import display
from assistant.answers.templates import fill, templates
from tools.policy import Policy
from tools.result import Reason

Details = Callable[[dict[str, Any], dict[str, Any], str], dict[str, str]]


def _flat(facts: dict[str, Any], lang: str) -> dict[str, str]:
    return {key: display(key, value, lang) for key, value in facts.items() if not isinstance(value, list | dict)}


def _status(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    if not facts.get("status_reason"):
        return {"status_detail": ""}
    changed = fill(frag["changed"], _flat(facts, lang)) if facts.get("status_changed_at") else ""
    reason_text = frag["status_reason"].get(facts["status_reason"], facts["status_reason"])
    return {"status_detail": fill(frag["status_detail"], {"status_reason_text": reason_text, "changed": changed})}


def _risk(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    reason = facts.get("risk_reason")
    detail = fill(frag["risk_detail"], {"risk_reason_text": frag["risk_reason"][reason]}) if reason else ""
    until = fill(frag["review_detail"], _flat(facts, lang)) if facts.get("review_until") else ""
    return {"risk_detail": detail, "review_detail": until}


def _compliance(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    return {"expected_detail": fill(frag["expected_detail"], _flat(facts, lang)) if facts.get("expected_by") else ""}


def _card(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    last4 = facts.get("card_last4")
    return {
        "card_detail": fill(frag["card_detail"], {"card_last4": last4}) if last4 else "",
        "card_status_text": frag["card_status"].get(facts["card_status"], facts["card_status"]),
    }


def _debt(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    flat = _flat(facts, lang)
    parts = [fill(frag[which], flat) for which in facts["triggered"]]
    return {"debt_detail": frag["list_sep"].join(parts)}


def _applications(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    until = facts.get("blocked_until")
    return {"blocked_detail": fill(frag["blocked_until"], _flat(facts, lang)) if until else ""}


def _income(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    if facts.get("income_verified_at") is None:
        return {"verified_detail": frag["verified_never"]}
    return {"verified_detail": fill(frag["verified_old"], {**_flat(facts, lang), "max_age_days": facts["_max_age_days"]})}


def _repayments(item_key: str) -> Details:
    def details(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
        items = []
        for item in facts["repayments"]:
            key = "pending_late" if item.get("late") else item_key
            values = {**_flat(item, lang), "channel_text": frag["channel"][item["channel"]]}
            items.append(fill(frag[key], values))
        joined = frag["list_sep"].join(items)
        return {"pending_detail" if item_key == "pending_item" else "failed_detail": _sentence(joined, lang)}

    return details


def _reduction(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    reason = facts.get("reason")
    text = fill(frag["reduction_detail"], {"limit_reason_text": frag["limit_reason"].get(reason, reason)}) if reason else ""
    return {"reduction_detail": text}


def _eligibility(facts: dict[str, Any], frag: dict[str, Any], lang: str) -> dict[str, str]:
    flat = _flat(facts, lang)
    parts = [fill(frag[which], flat) for which in facts["failed"]]
    tail = fill(frag["eligible_from"], flat) if facts.get("eligible_from") else ""
    return {"eligibility_detail": frag["list_sep"].join(parts) + tail}


DETAILS: dict[str, Details] = {
    "ACCOUNT_CLOSED": _status,
    "ACCOUNT_FROZEN": _status,
    "RISK_REVIEW_HOLD": _risk,
    "COMPLIANCE_REVIEW": _compliance,
    "BANK_CARD_UNAVAILABLE": _card,
    "HIGH_DEBT_BURDEN": _debt,
    "TOO_MANY_APPLICATIONS": _applications,
    "INCOME_VERIFICATION_REQUIRED": _income,
    "REPAYMENT_NOT_POSTED": _repayments("pending_item"),
    "REPAYMENT_FAILED": _repayments("failed_item"),
    "LIMIT_REDUCED": _reduction,
    "INCREASE_NOT_ELIGIBLE": _eligibility,
}


def _sentence(text: str, lang: str) -> str:
    if not text:
        return text
    if lang == "en":
        return text[0].upper() + text[1:] + "."
    return text + "。"


def reason_sentence(reason: Reason, lang: str, policy: Policy, product: str) -> str:
    """The customer-facing sentence for one reason."""
    tmpl = templates(lang)
    frag = tmpl["fragments"]
    facts = {**reason.facts, "_max_age_days": policy.income_verification.max_age_days}
    values: dict[str, Any] = {
        **_flat(reason.facts, lang),
        "product": product,
        "max_age_days": policy.income_verification.max_age_days,
        "cooldown_days": policy.limit_increase.cooldown_days,
    }
    if reason.code in DETAILS:
        values.update(DETAILS[reason.code](facts, frag, lang))
    key = f"{reason.code}.{reason.severity}" if f"{reason.code}.{reason.severity}" in tmpl["reasons"] else reason.code
    return fill(tmpl["reasons"][key], values)
