"""`understand()`: one customer message → intent and slots (contract section 4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from assistant.errors import UserInputError
from assistant.nlu import cues
from assistant.nlu.amounts import AmountMention, find_amounts
from assistant.nlu.draws import CARD_NUMBER_FLOOR, asks_to_draw, draw_amount, quotes_an_amount
from assistant.nlu.encoder import encode
from assistant.nlu.intent_model import default_model
from assistant.nlu.lang import detect_lang
from assistant.nlu.model import Intent, RepaymentChannel, ReportedRepayment, Understanding
from assistant.nlu.normalize import normalize
from assistant.nlu.times import (
    SHANGHAI,
    find_past_day,
    find_time,
    names_a_past_date,
    reports_past_event,
)

MAX_MESSAGE_CHARS = 2000
RULE_CONFIDENCE = 1.0
OFF_DOMAIN_MAX_CONFIDENCE = 0.6


def understand(text: str, *, now: datetime, history: Sequence[str] = ()) -> Understanding:
    """Read one message on its own: the model's intent scores, the cues and the slots.

    `now` anchors relative times ("明天", "in 2 hours"); a naive `now` is Asia/Shanghai time.
    `history` holds the conversation's earlier user messages (oldest first): the safety guard
    reads them too (an escalation across turns, a role set up earlier).
    What the conversation makes of the reading (a follow-up keeps its topic, a clarified
    choice, a hand-off) is decided by the thread (assistant/thread.py), not here.
    Raises UserInputError for an empty or oversized message.
    """
    if not text or not text.strip():
        raise UserInputError("the message is empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise UserInputError(f"the message is longer than {MAX_MESSAGE_CHARS} characters")
    if now.tzinfo is None:
        now = now.replace(tzinfo=SHANGHAI)
    normalized = normalize(text)
    lang, lang_from_text = detect_lang(normalized)
    mentions = find_amounts(normalized)
    asked = find_time(normalized, now)  # read once: the tense, the what-if and the slot all need it
    past_event = reports_past_event(normalized) or names_a_past_date(normalized, now, asked)
    what_if = cues.is_what_if(normalized) or _plans_a_repayment(mentions, asked, past_event)
    past = not what_if and past_event
    from assistant.safety.guard import default_guard  # the guard reads assistant.nlu's normaliser

    verdict = default_guard().assess(text, history)
    unsafe = verdict.family or "unsafe" if verdict.unsafe else None
    ranked = _ranked(normalized, unsafe)
    intent, confidence = ranked[0]
    repay_amount = next((m.value for m in mentions if m.is_repayment), None) if what_if else None
    return Understanding(
        intent=cast(Intent, intent),
        confidence=round(confidence, 4),
        ranked=tuple((cast(Intent, i), round(p, 4)) for i, p in ranked[:3]),
        lang=lang,
        lang_from_text=lang_from_text,
        normalized_text=normalized,
        amount=draw_amount(normalized, mentions),
        repay_amount=repay_amount,
        repay_all_overdue=what_if and cues.assumes_overdue_repaid(normalized),
        repay_channel=cast(RepaymentChannel | None, cues.repayment_channel(normalized)) if what_if else None,
        at=None if past else asked,
        at_is_past=past,
        reported_repayment=_reported_repayment(normalized, mentions, now) if past else None,
        what_if=what_if,
        is_follow_up=cues.is_follow_up(normalized),
        may_lean_back=cues.could_be_about_the_thread(normalized),
        asks_in_general=cues.asks_in_general(normalized),
        speaks_of_self=cues.speaks_of_self(normalized),
        quotes_app_message=cues.quotes_app_message(normalized),
        draws_everything=cues.draws_everything(normalized),
        asks_posting_time=cues.asks_posting_time(normalized),
        asks_when=cues.matches("asks_when", normalized),
        asks_effect_on_limit=cues.matches("asks_effect_on_limit", normalized),
        asks_how_to=cues.matches("asks_how_to", normalized),
        asks_procedure=cues.matches("asks_procedure", normalized),
        names_the_limit=cues.matches("names_the_limit", normalized),
        names_overdue=cues.matches("names_overdue", normalized),
        cannot_use=cues.matches("cannot_use", normalized),
        names_borrowing=cues.matches("names_borrowing", normalized),
        frames_as_general=cues.matches("general_frame", normalized),
        asks_now=cues.matches("asks_now", normalized),
        asks_about_cause=cues.matches("asks_about_cause", normalized),
        asks_if_can_borrow=cues.matches("asks_if_can_borrow", normalized),
        starts_new_topic=cues.matches("starts_new_topic", normalized),
        accepts_and_closes=cues.matches("accepts_and_closes", normalized),
        says_hello=cues.matches("says_hello", normalized),
        wants_more_limit=cues.matches("wants_more_limit", normalized),
        names_a_check=cues.matches("names_a_check", normalized),
        mentions_wrong_decision=cues.says_decision_wrong(normalized),
        asks_for_person=cues.asks_for_person(normalized),
        asks_for_plan=cues.asks_for_plan(normalized),
        named_topic=cast(Intent | None, cues.switched_intent(normalized)),
        other_product=cues.is_other_product(normalized),
        off_topic=cues.is_off_topic_for_product(normalized),
        asks_to_draw=asks_to_draw(normalized, mentions),
        quotes_an_amount=quotes_an_amount(normalized, mentions),
        greeting_only=cues.is_greeting(normalized),
        unsafe_kind=unsafe,
        account_id_mentioned=cues.account_id(normalized),
    )


def _ranked(normalized: str, unsafe: str | None) -> list[tuple[str, float]]:
    """The readings of the message alone, best first: the guard, exact greetings, the model."""
    if unsafe is not None:
        # The model's readings follow the refusal: what was asked of someone else's account
        # ("我老婆的额度还有多少") is what "那我自己的呢" next asks of the writer's own (the thread).
        return [("unsafe_request", RULE_CONFIDENCE), *_model_readings(normalized)]
    if cues.is_greeting(normalized):
        return [("greeting", RULE_CONFIDENCE)]
    return _model_readings(normalized)


def _model_readings(normalized: str) -> list[tuple[str, float]]:
    model = default_model()
    scores = model.scores(normalized, lambda: encode([normalized])[0])
    # Refusing a real question is costly: the model alone never refuses (the guard does).
    ranked = [(i, p) for i, p in scores.ranked if i != "unsafe_request"]
    best, confidence = ranked[0]
    # The labelled questions are all about credit: an unsure reading of a message with no word of
    # the domain at all ("今天天气怎么样") is out of scope, whatever the model leans to.
    in_domain = cues.mentions_domain(normalized) or cues.says_decision_wrong(normalized)
    if best != "out_of_scope" and confidence < OFF_DOMAIN_MAX_CONFIDENCE and not in_domain:
        return [("out_of_scope", 1.0 - confidence), *[(i, p) for i, p in ranked if i != "out_of_scope"]]
    return ranked


def _plans_a_repayment(mentions: list[AmountMention], asked: datetime | None, past_event: bool) -> bool:
    """A repayment of a named amount at a later time ("明天上午用卡还两千，借五千可以吗", "I'll repay
    2500 tonight"): what the customer supposes, as "if I repay … then" is."""
    return not past_event and asked is not None and any(m.is_repayment for m in mentions)


def _reported_repayment(normalized: str, mentions: list[AmountMention], now: datetime) -> ReportedRepayment | None:
    """The repayment a past-tense message reports: its amount, channel and day, as far as said."""
    if not cues.reports_repayment(normalized):
        return None
    amounts = [m for m in mentions if m.value < CARD_NUMBER_FLOOR]
    repaid = [m for m in amounts if m.is_repayment] or amounts
    return ReportedRepayment(
        amount=repaid[0].value if repaid else None,
        channel=cast(RepaymentChannel | None, cues.repayment_channel(normalized)),
        day=find_past_day(normalized, now),
    )
