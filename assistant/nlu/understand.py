"""`understand()`: one customer message → intent and slots (contract section 4)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import cast

from assistant.errors import UserInputError
from assistant.nlu import cues
from assistant.nlu.amounts import AmountMention, find_amounts
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
CARD_NUMBER_FLOOR = Decimal(10) ** 12
VERB_WINDOW = 12  # characters before an amount searched for its verb ("borrowing 9k", "额度明明是两万")
_BORROW_BEFORE = re.compile(
    r"(借|贷|取|要|borrow(ing)?|draw(ing)?|take out|take|get|loan of|need|want|借款金额\s*[:：]?)\s*(个|了|款|这|那|这笔|那笔|just|only|like|about|around|the|all the)?\s*$",
    re.IGNORECASE
)
_LIMIT_BEFORE = re.compile(
    r"(额度|可用|余额|limit|available|有|剩|还剩|only|总共|have|got)\s*(明明|本来|应该)?(还|只|就|才)?(有|是|显示|写的|写着|is|was|shows?|says)?\s*$",
    re.IGNORECASE
)
_LIMIT_AFTER = re.compile(r"^\s*(元|块|yuan|rmb|cny)?\s*(available|left|limit|可用|的?额度)", re.IGNORECASE)
# A cap or expectation the customer quotes back ("借5000为什么只能借3000", "为什么不是2万", "it only
# lets me take 3000"): not the draw.
_CAP_BEFORE = re.compile(
    r"((只能|只可以|只让我?|只给我?|仅能|最多只能|最多(可|能|可以)|最少|至少|最低|only|only (lets|let|allows|allowed) me( to)?)"
    r"\s*(要|借|贷|取|选|borrow|draw|take|get|choose|select)?\s*(个|了)?|不是有?|\bnot|instead of)\s*$",
    re.IGNORECASE,
)

# A figure of something else the customer quotes ("逾期了1200", "显示可借15000", "I earn 12k a month",
# "went from 30000 to 10000", "已经借了2万"): never the draw, even after a borrow verb.
_OTHER_FIGURE_BEFORE = re.compile(
    r"(可借|已经借了|已借|逾期(了|的)?|欠(了|款|的)?|overdue( balance| amount)?( is| of| 了)?|工资(每月|每个月)?|收入|月薪|年薪"
    r"|salary( is)?|income( is)?|\bearn|\bmake|used|用了|已用|降到|降为|变成|变为|减到|up to|down to|(reduced|lowered|cut) to"
    r"|from\s*[¥￥]?[\d,.]+\s*[kw万千]?\s*to)\s*(是|为|有|:|：)?\s*[¥￥]?\s*$",
    re.IGNORECASE,
)

# A draw named before its verb ("那一万五能一次借出来不", "5000能借吗"), not "5000借了".
_BORROW_AFTER = re.compile(r"^\s*(元|块钱?)?\s*(能|可以|能不能|可不可以|可否)\s*(一次(性)?|全部|都)?\s*(借|贷|取)(?!了)")
# A limit the customer wants to reach ("把额度提到十万", "raise it to 30k"): not a draw.
_TARGET_BEFORE = re.compile(r"(提到|提额到|提高到|提升到|涨到|升到|调到|(raise|increase|bump|get) (it|my limit|the limit)?\s*(back )?(up )?to)\s*$",
                            re.IGNORECASE)
# An amount that bounds a rule ("借5万以上都要收入认证吗", "loans of 50000 or more"): not a draw.
_THRESHOLD_AFTER = re.compile(r"^\s*(元|块|rmb|cny|yuan)?\s*(及|或|和)?(以上|以下|以内|起)|^\s*(or|and) (more|above|over|up)",
                              re.IGNORECASE)


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
        amount=_draw_amount(normalized, mentions),
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
        asks_how_to=cues.matches("asks_how_to", normalized),
        cannot_use=cues.matches("cannot_use", normalized),
        names_borrowing=cues.matches("names_borrowing", normalized),
        frames_as_general=cues.matches("general_frame", normalized),
        asks_now=cues.matches("asks_now", normalized),
        asks_about_cause=cues.matches("asks_about_cause", normalized),
        asks_if_can_borrow=cues.matches("asks_if_can_borrow", normalized),
        starts_new_topic=cues.matches("starts_new_topic", normalized),
        mentions_wrong_decision=cues.says_decision_wrong(normalized),
        asks_for_person=cues.asks_for_person(normalized),
        asks_for_plan=cues.asks_for_plan(normalized),
        named_topic=cast(Intent | None, cues.switched_intent(normalized)),
        other_product=cues.is_other_product(normalized),
        off_topic=cues.is_off_topic_for_product(normalized),
        asks_to_draw=_asks_to_draw(normalized, mentions),
        quotes_an_amount=any(_quoted(normalized, m) or _limit_quoted(normalized, m) for m in mentions),
        greeting_only=cues.is_greeting(normalized),
        unsafe_kind=unsafe,
        account_id_mentioned=cues.account_id(normalized),
    )


def _ranked(normalized: str, unsafe: str | None) -> list[tuple[str, float]]:
    """The readings of the message alone, best first: the guard, exact greetings, the model."""
    if unsafe is not None:
        return [("unsafe_request", RULE_CONFIDENCE)]
    if cues.is_greeting(normalized):
        return [("greeting", RULE_CONFIDENCE)]
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


def _quoted(normalized: str, mention: AmountMention) -> bool:
    """A cap or an expectation quoted back ("只能借3000", "为什么不是2万"), not an amount asked for."""
    before = normalized[max(0, mention.start - 24):mention.start]
    return bool(_CAP_BEFORE.search(before) or _TARGET_BEFORE.search(before)) or _bounds_a_rule(normalized, mention)


def _limit_quoted(normalized: str, mention: AmountMention) -> bool:
    """The limit the customer quotes ("my available shows 70,000", "额度明明是两万", "it says 70000
    available")."""
    return bool(_LIMIT_BEFORE.search(normalized[max(0, mention.start - 2 * VERB_WINDOW):mention.start])
                or _LIMIT_AFTER.search(normalized[mention.end:mention.end + VERB_WINDOW]))


def _bounds_a_rule(normalized: str, mention: AmountMention) -> bool:
    return bool(_THRESHOLD_AFTER.search(normalized[mention.end:mention.end + 8]))


def _asks_to_draw(normalized: str, mentions: list[AmountMention]) -> bool:
    """An amount right after a borrow verb; "借了5000" is a draw already made, not one asked for."""
    for m in mentions:
        verb = _BORROW_BEFORE.search(normalized[max(0, m.start - VERB_WINDOW):m.start])
        named_before_verb = _BORROW_AFTER.search(normalized[m.end:m.end + 12])
        if m.is_repayment or _quoted(normalized, m):
            continue
        if (verb and "了" not in verb.group(0)) or named_before_verb:
            return True
    return False


def _draw_amount(normalized: str, mentions: list[AmountMention]) -> Decimal | None:
    """The amount the user wants to draw: after a borrow verb if any, never the limit they quote.

    "我额度还有一万多，为什么借5000借不出来" → 5000, not 10000; "借5000为什么只能借3000" → 5000.
    """
    # A 13+ digit figure is a card or account number, never a draw (and must not be echoed).
    draws = [m for m in mentions if not m.is_repayment and m.value < CARD_NUMBER_FLOOR and not _quoted(normalized, m)
             and not _OTHER_FIGURE_BEFORE.search(normalized[max(0, m.start - 2 * VERB_WINDOW):m.start])]
    after_verb = [
        m for m in draws if _BORROW_BEFORE.search(normalized[max(0, m.start - VERB_WINDOW) : m.start])
    ]
    if after_verb:
        return after_verb[-1].value
    not_limit = [m for m in draws if not _limit_quoted(normalized, m)]
    return not_limit[-1].value if not_limit else None
