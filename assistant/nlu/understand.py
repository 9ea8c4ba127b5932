"""`understand()`: one customer message → intent and slots (contract section 4)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import cast

from assistant.errors import UserInputError
from assistant.nlu import cues
from assistant.nlu.amounts import AmountMention, find_amounts
from assistant.nlu.classifier import default_classifier
from assistant.nlu.lang import detect_lang
from assistant.nlu.model import SITUATION_INTENTS, Intent, Understanding, UnsafeKind
from assistant.nlu.normalize import normalize
from assistant.nlu.times import SHANGHAI, find_time

MAX_MESSAGE_CHARS = 2000
# A follow-up or what-if keeps the previous intent only when it was about the account or the
# rules: after a greeting or an out-of-scope turn there is no thread to lean on.
INHERITABLE_INTENTS = SITUATION_INTENTS | {"policy_question"}
# Confidence reported when the intent is inherited from the previous turn, not predicted.
INHERITED_CONFIDENCE = 0.8
RULE_CONFIDENCE = 1.0
# Refusing a customer's real question is costly: without a rule match, the classifier must be
# this sure before a message is treated as unsafe; otherwise its runner-up wins.
UNSAFE_MIN_CONFIDENCE = 0.6
# Below this, a guess for a message without a single domain word is not trusted: out of scope.
OFF_DOMAIN_MAX_CONFIDENCE = 0.5
CARD_NUMBER_FLOOR = Decimal(10) ** 12
_BORROW_BEFORE = re.compile(
    r"(借|贷|取|要|borrow|draw|take out|take|get|loan of)\s*(个|了|款)?\s*$", re.IGNORECASE
)
_LIMIT_BEFORE = re.compile(
    r"(额度|可用|余额|limit|available|有|剩|还剩|only|总共)\s*(还|只)?(有|是)?\s*$", re.IGNORECASE
)


def understand(text: str, *, now: datetime, previous_intent: str | None = None) -> Understanding:
    """Classify one message and read its slots.

    `now` anchors relative times ("明天", "in 2 hours"); a naive `now` is Asia/Shanghai time.
    `previous_intent` is the thread's last intent: a follow-up or what-if without a new intent
    signal keeps it. Raises UserInputError for an empty or oversized message.
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
    what_if = cues.is_what_if(normalized)
    follow_up = cues.is_follow_up(normalized)
    unsafe = cues.unsafe_kind(normalized)
    intent, confidence = _intent(normalized, previous_intent, follow_up or what_if, unsafe)
    repay_amount = next((m.value for m in mentions if m.is_repayment), None) if what_if else None
    return Understanding(
        intent=cast(Intent, intent),
        confidence=round(confidence, 4),
        lang=lang,
        lang_from_text=lang_from_text,
        normalized_text=normalized,
        amount=_draw_amount(normalized, mentions),
        repay_amount=repay_amount,
        repay_all_overdue=what_if and cues.assumes_overdue_repaid(normalized),
        at=find_time(normalized, now),
        what_if=what_if,
        is_follow_up=follow_up,
        mentions_wrong_decision=cues.says_decision_wrong(normalized),
        unsafe_kind=cast(UnsafeKind | None, unsafe),
        account_id_mentioned=cues.account_id(normalized),
    )


def _intent(
    normalized: str, previous: str | None, leans_back: bool, unsafe: str | None
) -> tuple[str, float]:
    """Rules first (unsafe, greeting, inheritance, other products), then the classifier."""
    if unsafe is not None:
        return "unsafe_request", RULE_CONFIDENCE
    if cues.is_greeting(normalized):
        return "greeting", RULE_CONFIDENCE
    if cues.is_other_product(normalized):
        return "out_of_scope", RULE_CONFIDENCE
    if leans_back and previous in INHERITABLE_INTENTS:
        switched = cues.switched_intent(normalized)
        if switched is None or switched == previous:
            return str(previous), INHERITED_CONFIDENCE
        return switched, default_classifier().probability(normalized, switched)
    return _classify(normalized)


def _classify(normalized: str) -> tuple[str, float]:
    scores = default_classifier().scores(normalized)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, confidence = ranked[0]
    if best == "unsafe_request" and confidence < UNSAFE_MIN_CONFIDENCE:
        best, confidence = ranked[1]
    if confidence < OFF_DOMAIN_MAX_CONFIDENCE and not cues.mentions_domain(normalized) and not find_amounts(normalized):
        return "out_of_scope", 1.0 - confidence
    return best, confidence


def _draw_amount(normalized: str, mentions: list[AmountMention]) -> Decimal | None:
    """The amount the user wants to draw: after a borrow verb if any, never the limit they quote.

    "我额度还有一万多，为什么借5000借不出来" → 5000, not 10000.
    """
    # A 13+ digit figure is a card or account number, never a draw (and must not be echoed).
    draws = [m for m in mentions if not m.is_repayment and m.value < CARD_NUMBER_FLOOR]
    after_verb = [
        m for m in draws if _BORROW_BEFORE.search(normalized[max(0, m.start - 6) : m.start])
    ]
    if after_verb:
        return after_verb[-1].value
    not_limit = [
        m for m in draws if not _LIMIT_BEFORE.search(normalized[max(0, m.start - 6) : m.start])
    ]
    return not_limit[-1].value if not_limit else None
