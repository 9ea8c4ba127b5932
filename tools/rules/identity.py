"""Who may borrow and where the money goes: ID document, face check, bank card, age."""

from __future__ import annotations

from datetime import timedelta

from tools.rules.base import Context, Finding, Outcome


def id_document(ctx: Context) -> Outcome:
    """Expired on or before today blocks; expiring within the notice period is a heads-up."""
    expiry = ctx.snapshot.customer.id_document_expiry
    notice_days = ctx.policy.id_document.expiring_within_days
    inputs = {"customer.id_document_expiry": expiry, "today": ctx.today, "expiring_within_days": notice_days}
    if expiry is None:
        return Outcome(inputs)
    if expiry <= ctx.today:
        return Outcome(inputs, Finding("ID_DOCUMENT_EXPIRED", {"id_document_expiry": expiry}))
    if expiry <= ctx.today + timedelta(days=notice_days):
        facts = {"id_document_expiry": expiry, "days_left": (expiry - ctx.today).days}
        return Outcome(inputs, Finding("ID_DOCUMENT_EXPIRING", facts))
    return Outcome(inputs)


def face_verification(ctx: Context) -> Outcome:
    required = ctx.snapshot.customer.face_verification_required
    inputs = {"customer.face_verification_required": required}
    if not required:
        return Outcome(inputs)
    return Outcome(inputs, Finding("FACE_VERIFICATION_REQUIRED", {"face_verification_required": True}))


def bank_card(ctx: Context) -> Outcome:
    card = ctx.snapshot.bank_card
    inputs = {"bank_card.status": card.status}
    if card.status == "valid":
        return Outcome(inputs)
    return Outcome(inputs, Finding("BANK_CARD_UNAVAILABLE", {"card_status": card.status, "card_last4": card.last4}))


def age(ctx: Context) -> Outcome:
    years = ctx.snapshot.customer.age
    rule = ctx.policy.eligibility
    inputs = {"customer.age": years, "min_age": rule.min_age, "max_age": rule.max_age}
    if years is None or rule.min_age <= years <= rule.max_age:
        return Outcome(inputs)
    return Outcome(inputs, Finding("AGE_INELIGIBLE", {"age": years, "min_age": rule.min_age, "max_age": rule.max_age}))
