"""The conversation's thread: what a turn means given the turns before it, decided here only.

`understand()` reads a message on its own; `next_turn()` turns that reading into the turn's
intent and amount, and the thread the next turn inherits. Each transition has a name (in the
turn's slots, for audit and tests):

| transition   | when                                                            | intent                    |
|--------------|-----------------------------------------------------------------|---------------------------|
| `refuse`     | the guard says unsafe (what it asked of another account is kept) | unsafe_request (thread kept) |
| `greet`      | the whole message is a greeting                                 | greeting (thread kept)    |
| `close`      | after an earlier turn, a thanks, goodbye or acceptance with no  | greeting (thread kept)    |
|              | hello in it ("好的，谢谢", "ok thanks that's all")                 |                           |
| `choose`     | the message is a clarifying choice offered on the last turn     | that choice's intent      |
| `hand_off`   | an explicit request for a person / appeal / review, or a sure   | appeal_or_human (thread kept) |
|              | reading of one that is neither a complaint nor asked in general |                           |
| `own_case`   | after a rule answer, a short turn about the writer's own case   | the situation offered beside the rule |
|              | (or about when it ends); after a refusal, "mine"                | (the refused request's situation) |
| `follow_up`  | a short follow-up, a what-if or a complaint, inside a thread,   | the thread's intent       |
|              | that no SWITCHES rule sends to another topic                    | (else `new_topic`)        |
| `open_what_if` | a what-if or time question opening a conversation              | cannot_borrow             |
| `new_topic`  | anything else                                                   | the model's best reading, |
|              |                                                                 | corrected by REREADS      |

A complaint or "why" after an answer ("凭什么啊，我一直按时还的", "kept trying, same error") is a
follow-up: the customer gets the thread's explanation, not a hand-off. Greetings, refusals and
out-of-scope turns do not move the thread. A new topic resets the amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assistant.nlu.model import SITUATION_INTENTS, Understanding

if TYPE_CHECKING:
    from collections.abc import Callable

BORROW_INTENTS = frozenset({"cannot_borrow", "how_much_can_i_borrow"})
# A thread the next turn can lean on: the account's situation or the rules.
THREAD_INTENTS = (SITUATION_INTENTS - {"appeal_or_human"}) | {"policy_question"}
NEUTRAL_INTENTS = frozenset({"unsafe_request", "greeting", "out_of_scope"})
RECENT_MESSAGES = 4  # what the safety guard reads of the conversation besides the new message
# The model must be this sure a message asks for a person before it is handed off unasked.
HANDOFF_CONFIDENCE = 0.6
# A complaint about "the decision" that names no topic is most often about a cut or a freeze.
COMPLAINT_DEFAULT = "limit_reduced_or_closed"
# Below this the reading is uncertain: the runner-up is offered as a clarifying choice when it
# is close (within CLARIFY_MARGIN) and also in scope.
CLARIFY_BELOW = 0.6
CLARIFY_MARGIN = 0.35
IN_SCOPE = THREAD_INTENTS | {"appeal_or_human"}
# Intents an opening what-if ("如果我先还1200呢？") may be read as although it asks about borrowing.
OPENER_REREAD = frozenset({"policy_question", "limit_not_restored", "out_of_scope"})
SITUATION_INTENTS = SITUATION_INTENTS - {"appeal_or_human"}
# Situation readings a general question ("一般", "需要什么条件", no first person) is re-read from:
# how long until a repayment posts is a limit question whatever its wording (contract section 4).
GENERAL_REREAD = frozenset({"cannot_borrow", "limit_increase", "limit_reduced_or_closed"})
# Topics a message names in words too distinct to mistake ("提额", "how much can I borrow"): when the
# model ranks one of them but puts another situation first, the named one is the question.
NAMED_OVER_MODEL = frozenset({"limit_increase", "how_much_can_i_borrow"})
# Situations a named draw ("so I can borrow 5000 now or not") is checked in place of.
DRAW_OVER = frozenset({"limit_not_restored", "limit_reduced_or_closed", "limit_increase"})
EVERYTHING_OVER = DRAW_OVER | {"policy_question", "out_of_scope", "how_much_can_i_borrow"}
# Situation readings that a message saying the line cannot be used ("我借呗用不了了，冻结了", "额度为啥
#动不了", "why is my limit not usable") gives way to: what the writer cannot do is the question
# (labelling guide, cannot_borrow: "我的借呗用不了了").
CANNOT_USE_OVER = frozenset({"limit_reduced_or_closed", "limit_not_restored"})
# Words of a product rule about amounts ("单笔最多借多少", "what's the max for a single draw?"): asked
# with no first person, a maximum question is a rule question (labelling guide rule 6).
PRODUCT_AMOUNT_RULE = ("单笔", "每笔", "最高", "single draw", "per draw", "per loan", "each draw", "single loan",
                       "single max", "max single", "maximum single", "single maximum")
# Markers that make a follow-up a rule question even when the model ranks the rule second
# ("一般换收款卡以后多久能生效"); "多久能…" alone is not one ("那怎么办 多久能解" is the account's).
OUTRIGHT_GENERAL = ("一般", "通常", "标准", "单笔", "最低", "自然日", "minimum", "smallest", "算高", "什么算", "多少算", "什么意思",
                    "啥意思", "是指什么", "是干嘛的", "怎么算的", "what happens if", "calculated",
                    "calendar day", "per 24 hours", "generally", "usually", "normally",
                    "typically", "in general", "what counts", "what does", "what's a ", "what is a ", "what's an ",
                    "what is an ")
# The minimum draw is the same for everyone: asking it is a rule question whoever asks
# ("what's the smallest amount I can borrow in one go?"). "at least" alone does not ask it ("can
# you at least tell me how much I'd get").
MINIMUM_WORDS = ("最低", "最少", "至少", "起借", "minimum", "smallest", "the least", "borrow at least", "draw at least",
                 "take at least", "lowest")
# The model must be this sure a message only thanks or says goodbye to close a thread with it.
CLOSING_CONFIDENCE = 0.8
# Below this, a situation reading of a message about fees or repayment mechanics is out of scope.
OFF_TOPIC_OVER = 0.7
# A short turn that names no topic leaves the account's thread only when the model is this sure: short
# "why" turns are read as another situation at up to 0.95 ("why though? it's my own credit line" → a
# closure), while a topic asked outright names it (intent_switches) or scores above that.
UNNAMED_SWITCH_CONFIDENCE = 0.95
# A short rule question the model reads this surely, not about the writer nor about when something
# ends ("借呗年龄限制是多少岁", "is there a cap on how many attempts?"; not "要维护到几点"), asks the
# rule even inside a thread about the account: it is answered as one, with the thread's situation
# beside it (Decision.about).
RULE_QUESTION_CONFIDENCE = 0.9
# Readings of "when at the earliest / what must I do to borrow" that are really the borrow check.
PLAN_QUESTION_READINGS = frozenset({"policy_question", "how_much_can_i_borrow", "limit_not_restored",
                                    "limit_reduced_or_closed", "out_of_scope"})


@dataclass(frozen=True)
class Thread:
    """What the next turn inherits; stored with the conversation as a small dict."""

    intent: str | None = None
    amount: str | None = None
    lang: str | None = None
    offered: tuple[tuple[str, str], ...] = ()  # (message, intent) of the choices just offered
    recent: tuple[str, ...] = ()  # the last user messages (PII masked), for the safety guard
    about: str | None = None  # the situation the last rule question was about, for "那我的呢"
    # What the request just refused asked of someone else's account ("我老婆的额度还有多少"), for
    # "那我自己的呢" next: the same question of the writer's own.
    refused_about: str | None = None

    @property
    def under_way(self) -> bool:
        """A turn has been answered in this conversation (every answer sets its language)."""
        return self.lang is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thread:
        intent = data.get("intent", data.get("last_intent"))
        return cls(intent=intent, amount=data.get("amount"), lang=data.get("lang"),
                   offered=tuple((str(m), str(i)) for m, i in data.get("offered", [])),
                   recent=tuple(str(t) for t in data.get("recent", [])), about=data.get("about"),
                   refused_about=data.get("refused_about"))

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "amount": self.amount, "lang": self.lang,
                "offered": [list(pair) for pair in self.offered], "recent": list(self.recent),
                "about": self.about, "refused_about": self.refused_about}


@dataclass(frozen=True)
class Decision:
    """The turn's intent and amount, how it was reached, and readings to offer as choices."""

    intent: str
    amount: Decimal | None
    transition: str
    alternatives: tuple[str, ...] = field(default=())
    about: str | None = None  # a rule question's situation ("提额失败一般…" → limit_increase)
    rereads: tuple[str, ...] = ()  # the REREADS rules that corrected the model's reading


def next_turn(reading: Understanding, thread: Thread, text: str) -> Decision:
    """The one place a turn's intent is decided (see the table in the module docstring)."""
    if reading.intent == "unsafe_request":
        return Decision("unsafe_request", None, "refuse", about=_asked_of_another(reading))
    if reading.greeting_only or _closes(reading, text):
        # The introduction answers a hello; a thanks after an answer gets a closing line.
        closing = thread.under_way and not reading.says_hello
        return Decision("greeting", None, "close" if closing else "greet")
    chosen = dict(thread.offered).get(text.strip())
    if chosen is not None:
        return Decision(chosen, _amount(reading, chosen, thread), "choose")
    if reading.asks_for_person:
        return Decision("appeal_or_human", None, "hand_off")
    own = _own_case_after_a_rule(reading, thread) or _own_case_after_a_refusal(reading, thread)
    if own is not None:
        return Decision(own, _amount(reading, own, thread), "own_case")
    if thread.intent in THREAD_INTENTS and _leans_back(reading, thread.intent):
        switched = _switched_topic(reading, thread.intent)
        if switched is None:
            return Decision(thread.intent, _amount(reading, thread.intent, thread), "follow_up")
        # A rule asked in passing ("does this maintenance happen every night?") remembers the
        # account's topic, so that "now?" next asks it again (`own_case`).
        about = thread.intent if switched == "policy_question" and thread.intent in SITUATION_INTENTS else None
        return Decision(switched, _amount(reading, switched, thread), "new_topic", about=about)
    intent: str = reading.intent
    if intent == "appeal_or_human" and reading.asks_in_general:
        # "申诉一般要多久有结果": how appeals work is a rule (guide, rule 1); a ticket opened unasked
        # is an action the customer did not take, so the person is offered as a choice instead.
        return Decision("policy_question", None, "new_topic", ("appeal_or_human",),
                        about=thread.intent if thread.intent in SITUATION_INTENTS else None)
    if intent == "appeal_or_human":
        if reading.confidence >= HANDOFF_CONFIDENCE and not reading.mentions_wrong_decision:
            return Decision("appeal_or_human", None, "hand_off")
        # A complaint or an unsure reading: explain the account's situation, and offer a person.
        intent = next((i for i, _ in reading.ranked[1:] if i in SITUATION_INTENTS), COMPLAINT_DEFAULT)
    # An assumed repayment or a later time (not a bare "if": "Can I borrow if I am overdue?" is a rule).
    assumed = reading.repay_amount is not None or reading.repay_all_overdue or reading.at is not None
    # "借呗每天晚上几点到几点维护" asks a rule, not about 20:00; "明天杭州天气怎么样" names no borrowing.
    names_the_line = intent != "out_of_scope" or reading.names_borrowing or reading.repay_amount is not None \
        or reading.repay_all_overdue
    if (assumed and thread.intent is None and intent in OPENER_REREAD and reading.named_topic != "limit_not_restored"
            and not reading.asks_in_general and names_the_line):
        return Decision("cannot_borrow", reading.amount, "open_what_if")
    # Another product named as the cause of the writer's own block ("我在别的银行信用卡上欠了不少，是不是
    # 这个原因借不出来"), or in passing beside the app's own message that this line cannot be used
    # ("提示存在交易风险暂时无法借款，我就是正常在淘宝买东西"): the question is about this line (issue 12).
    about_this_line = (reading.cannot_use and intent in SITUATION_INTENTS
                       and (reading.asks_about_cause or reading.quotes_app_message))
    if reading.other_product and (intent in SITUATION_INTENTS or intent == "policy_question") and not about_this_line:
        # "花呗额度怎么提升", "网商贷能借多少": the question is about the product it names; our line's
        # reading is offered as a choice.
        return Decision("out_of_scope", None, "new_topic", (intent,))
    intent, alternatives, rereads = _reread(reading, intent)
    alternatives = alternatives or _alternatives(reading, intent)
    if reading.mentions_wrong_decision and "appeal_or_human" not in alternatives:
        alternatives = (*alternatives[:1], "appeal_or_human")  # a complaint: explain, and offer a person
    # A rule question remembers the situation it is about, for "那我的呢" / "ok back to mine" next:
    # the one offered beside it, else the one it names, else the account's topic before it.
    earlier = thread.intent if thread.intent in SITUATION_INTENTS else None
    offered = next((a for a in alternatives if a in SITUATION_INTENTS), None)
    # A rule about borrowing itself ("do overdue payments stop you from borrowing?") or about one of
    # its checks ("风控复核一般要多久？") is about the borrow check: "ok and me?", "我这个是哪天结束" next ask it.
    borrow_check = reading.names_borrowing or reading.names_a_check
    about = offered or _topic_named(reading) or earlier or ("cannot_borrow" if borrow_check else None)
    return Decision(intent, _amount(reading, intent, thread), "new_topic", alternatives,
                    about=about if intent == "policy_question" else None, rereads=rereads)


def _closes(reading: Understanding, text: str) -> bool:
    """"好吧，谢谢", "Thanks for explaining.", "行吧，谢谢，我明天再来", "ok 那就等24号吧，谢谢": a sure
    greeting reading, or an acceptance that thanks, with no question and no amount closes the
    conversation's topic rather than asking it again."""
    closing = (reading.intent == "greeting" and reading.confidence >= CLOSING_CONFIDENCE
               and not (reading.mentions_wrong_decision or reading.is_follow_up)) or reading.accepts_and_closes
    return (closing and reading.amount is None and not reading.asks_for_person
            and "?" not in text and "？" not in text)


# -- re-reading a new topic ----------------------------------------------------------------------
# The model's reading of a new topic, corrected where the message says more than the model saw.
# Each rule is one call of the labelling guide or the contract, applied in order to the reading
# the rules before it left; the names of those that fired go into the turn's slots (audit).

REPLACED = "replaced"  # a rule's `offers`: the reading it replaced is offered as a choice


def _names_a_distinct_topic(reading: Understanding, intent: str) -> bool:
    # "我已经还清了，为什么提额不给过", "我卡过期了 最多多少": the topic it names
    named = reading.named_topic
    return named in NAMED_OVER_MODEL and named != intent and reading.amount is None and (
        (intent in SITUATION_INTENTS and named in dict(reading.ranked))
        or (intent == "policy_question" and reading.speaks_of_self and not reading.asks_in_general))


def _names_the_runner_up_situation(reading: Understanding, intent: str) -> bool:
    # "My Jiebei got closed on Oct 30?? … Is it because I didn't borrow" read as the borrow check at
    # 0.56, the closure second: an unsure reading gives way to the situation the words name
    named = reading.named_topic
    return (intent in SITUATION_INTENTS and reading.confidence < CLARIFY_BELOW and named in SITUATION_INTENTS
            and named != intent and named in dict(reading.ranked[:2]) and reading.amount is None
            and not (reading.asks_to_draw or reading.asks_if_can_borrow or reading.cannot_use))


def _says_the_limit_went_down(reading: Understanding, intent: str) -> bool:
    # "我额度怎么从3万变成1.5万了": the words say down, not up
    return intent == "limit_increase" and reading.named_topic == "limit_reduced_or_closed"


def _cannot_use_the_line(reading: Understanding, intent: str) -> bool:
    # "我借呗用不了了，冻结了", "why is my limit not usable", "我今年61了 借呗是不是不让借了": the line
    # cannot be used, whatever the cause; unless the message also names the maximum, or something else
    return reading.cannot_use and reading.amount is None and (
        intent in CANNOT_USE_OVER
        or intent == "how_much_can_i_borrow" and reading.named_topic != "how_much_can_i_borrow"
        or intent == "out_of_scope" and not (reading.other_product or reading.off_topic))


def _names_own_situation(reading: Understanding, intent: str) -> bool:
    # "我逾期一个多月了…现在借呗被冻结了…还完能解冻吗": the writer's own state, named, and close behind
    # the rule reading: their situation is the question (the answer states the rule behind it)
    return (intent == "policy_question" and reading.speaks_of_self and not reading.asks_in_general
            and reading.named_topic in SITUATION_INTENTS and reading.named_topic in dict(reading.ranked[:2]))


def _asks_a_product_amount_rule(reading: Understanding, intent: str) -> bool:
    # "what's the max for a single draw?": the product's rule; the writer's own maximum is offered
    text = reading.normalized_text
    return intent == "how_much_can_i_borrow" and reading.amount is None and (
        reading.asks_in_general and any(word in text for word in PRODUCT_AMOUNT_RULE)
        or any(word in text for word in MINIMUM_WORDS))


def _asks_in_general(reading: Understanding, intent: str) -> bool:
    # "提额失败一般是什么原因": a rule question (labelling guide rule 1); the situation reading is
    # offered too, and the rule answer adds the account's own status where it bears on it.
    # Wanting more limit oneself, how or when ("提额怎么申请", "我提额被拒了多久能再申请"), stays the
    # increase (guide rule 5).
    return (reading.asks_in_general and intent in GENERAL_REREAD | {"how_much_can_i_borrow"} and reading.amount is None
            and ("policy_question" in dict(reading.ranked) and intent in GENERAL_REREAD or reading.frames_as_general)
            and not (intent == "limit_increase" and reading.wants_more_limit))


def _quotes_what_the_app_shows(reading: Understanding, intent: str) -> bool:
    # "为啥大半夜的借钱显示系统维护", "借钱提示银行卡异常": what the app shows the writer is their situation
    return (intent in ("policy_question", "out_of_scope") and reading.quotes_app_message and not reading.asks_in_general
            and not (reading.off_topic or reading.other_product))


def _asks_how_to(reading: Understanding, intent: str) -> bool:
    # "我还没开通啊 那要怎么开": how it opens
    return reading.asks_how_to and intent in SITUATION_INTENTS and reading.amount is None


def _asks_a_consequence(reading: Understanding, intent: str) -> bool:
    # "提前把钱还了，额度会受影响吗", "那我的额度会不会被降": what would follow is a rule (guide rules 3, 9)
    # ("我之前逾期过，现在额度会不会被降？帮我看下我额度现在是什么情况" also asks the account's state now)
    return reading.asks_effect_on_limit and intent in SITUATION_INTENTS and reading.amount is None and not reading.asks_now


def _asks_when_repayments_post(reading: Understanding, intent: str) -> bool:
    # "转账还款一般多久到账": when a repayment posts is a rule or a limit question, not mechanics
    return reading.asks_posting_time and intent in ("out_of_scope", "policy_question") and not reading.other_product


def _names_an_amount_to_draw(reading: Understanding, intent: str) -> bool:
    # "能借5000吗": a named amount is a draw to check, not a maximum; unless the maximum is asked
    # outright beside it ("借5000不行，那我最多能借多少？"): then the maximum answers both
    return (intent == "how_much_can_i_borrow" and reading.amount is not None
            and reading.named_topic != "how_much_can_i_borrow")


def _asks_to_draw(reading: Understanding, intent: str) -> bool:
    # "我想借5000，可以吗": a draw of a named amount (labelling guide rule 6)
    return reading.asks_to_draw and intent in ("out_of_scope", "policy_question") and not reading.off_topic


def _draws_everything(reading: Understanding, intent: str) -> bool:
    # "可用7万 想全借出来": a draw of the available amount (the dialogue names it)
    return reading.draws_everything and intent in EVERYTHING_OVER and not reading.off_topic


def _draws_now(reading: Understanding, intent: str) -> bool:
    # "so I can borrow 5000 now or not": the draw is the question
    return reading.asks_to_draw and intent in DRAW_OVER and (reading.asks_now or not reading.at_is_past)


def _questions_a_cap_on_a_draw(reading: Understanding, intent: str) -> bool:
    # "tried 5000, it only offers 3000. why" read off-topic, unsure: the draw the writer cannot make
    return (intent == "out_of_scope" and reading.confidence < CLARIFY_BELOW and reading.amount is not None
            and reading.quotes_an_amount and not (reading.off_topic or reading.other_product))


def _reports_a_repayment_not_shown(reading: Understanding, intent: str) -> bool:
    # "转账还了8000，额度还是6000", "9:30还了3000，银行卡扣款成功了，短信也收到了，怎么额度还没回来":
    # a repayment the limit does not show, whatever else the message mentions
    named = reading.named_topic
    restore_named = named == "limit_not_restored" and intent == "out_of_scope" and not reading.asks_in_general
    # "I paid the overdue 1200 by bank transfer at 8:30, why does my account still say overdue?": read as
    # the borrow check or a closure, it is still the repayment not shown
    still_not_shown = (reading.reported_repayment is not None and named == "limit_not_restored"
                       and intent in SITUATION_INTENTS and not reading.asks_to_draw)
    return still_not_shown or ((reading.reported_repayment is not None or restore_named)
                               and intent in ("out_of_scope", "policy_question") and not reading.other_product
                               and (named == "limit_not_restored" or named is None and not reading.off_topic))


def _unsure_about_fees_or_mechanics(reading: Understanding, intent: str) -> bool:
    # "Also, what's the interest rate on the loan I have now?": an unsure situation reading of a
    # message about fees or repayment mechanics is out of scope, the situation offered beside it
    return (reading.off_topic and reading.named_topic is None and intent in SITUATION_INTENTS | {"policy_question"}
            and reading.confidence < OFF_TOPIC_OVER and not (reading.asks_to_draw or reading.reported_repayment))


def _asks_if_i_can_borrow(reading: Understanding, intent: str) -> bool:
    # "身份证过期了 新的已经拿到了 现在还能借吗", "今晚 bank transfer 还了8000, 周末能借钱吗": whether
    # the writer can borrow, now or after their own repayment, is the borrow check ("Can I still
    # borrow if I have an overdue payment?" is a rule: no now, nothing of theirs)
    reported = reading.reported_repayment is not None
    # "我今年61了，还能用借呗借钱吗" read out of scope, unsure: the writer asks of their own line
    unsure_off_topic = intent == "out_of_scope" and reading.confidence < CLARIFY_BELOW
    own_case = (reading.asks_now or unsure_off_topic) and reading.speaks_of_self or reported
    readings = {"policy_question", "out_of_scope"}
    if reported and reading.named_topic != "limit_not_restored":
        # a limit reading too, unless the message says the repayment has not come back
        # ("额度怎么没回来？周末能借吗" stays a limit question)
        readings.add("limit_not_restored")
    return (reading.asks_if_can_borrow and own_case and intent in readings
            and not (reading.asks_in_general or reading.off_topic or reading.other_product))


def _asks_for_a_plan(reading: Understanding, intent: str) -> bool:
    # "最快什么时候能借5000": the borrow check, answered plan first
    return reading.asks_for_plan and intent in PLAN_QUESTION_READINGS


def _unsure_off_topic_about_a_check(reading: Understanding, intent: str) -> bool:
    # "为什么借款要人脸识别" (out of scope at 0.35), "review 什么时候结束啊，loan purpose 我都填了": an
    # unsure off-topic reading of a question about one of the line's checks
    return (intent == "out_of_scope" and reading.confidence < CLARIFY_BELOW and reading.names_a_check
            and not (reading.off_topic or reading.other_product))


def _asks_a_rule_about_a_check(reading: Understanding, intent: str) -> bool:
    # asked by no one in particular, it is a rule question (close situation readings are offered)
    return (_unsure_off_topic_about_a_check(reading, intent) and not reading.speaks_of_self
            and "policy_question" in dict(reading.ranked[:3]))


def _asks_about_own_check(reading: Understanding, intent: str) -> bool:
    # asked of one's own account, it is the writer's situation
    return _unsure_off_topic_about_a_check(reading, intent) and reading.speaks_of_self


def _named_topic(reading: Understanding) -> str:
    assert reading.named_topic is not None  # the rule that fired checked it
    return reading.named_topic


def _first_situation_ranked(reading: Understanding) -> str:
    return next((i for i, _ in reading.ranked if i in SITUATION_INTENTS), "cannot_borrow")


@dataclass(frozen=True)
class Reread:
    """When `applies`, the reading becomes `to` (an intent, or one read off the message), and
    `offers` (REPLACED, an intent, or None to keep what is offered) is offered beside it."""

    name: str
    applies: Callable[[Understanding, str], bool]
    to: str | Callable[[Understanding], str]
    offers: str | None = None


REREADS = (
    Reread("names_a_distinct_topic", _names_a_distinct_topic, _named_topic),
    Reread("limit_went_down", _says_the_limit_went_down, "limit_reduced_or_closed"),
    Reread("names_the_runner_up", _names_the_runner_up_situation, _named_topic, offers=REPLACED),
    Reread("own_situation_named", _names_own_situation, _named_topic),
    Reread("cannot_use_the_line", _cannot_use_the_line, "cannot_borrow"),
    Reread("product_amount_rule", _asks_a_product_amount_rule, "policy_question", offers=REPLACED),
    Reread("asked_in_general", _asks_in_general, "policy_question", offers=REPLACED),
    Reread("quotes_the_app", _quotes_what_the_app_shows, _first_situation_ranked),
    Reread("asks_how_to", _asks_how_to, "policy_question", offers=REPLACED),
    Reread("asks_a_consequence", _asks_a_consequence, "policy_question", offers=REPLACED),
    # Asked in general, the writer's own repayment is offered beside the rule ("我昨天那笔呢" next).
    Reread("posting_time_rule", lambda r, i: _asks_when_repayments_post(r, i) and r.asks_in_general,
           "policy_question", offers="limit_not_restored"),
    Reread("posting_time_own", lambda r, i: _asks_when_repayments_post(r, i) and not r.asks_in_general,
           "limit_not_restored"),
    Reread("amount_to_draw", _names_an_amount_to_draw, "cannot_borrow"),
    Reread("asks_to_draw", _asks_to_draw, "cannot_borrow"),
    Reread("draws_everything", _draws_everything, "cannot_borrow"),
    Reread("draws_now", _draws_now, "cannot_borrow"),
    Reread("repayment_not_shown", _reports_a_repayment_not_shown, "limit_not_restored"),
    Reread("questions_a_cap_on_a_draw", _questions_a_cap_on_a_draw, "cannot_borrow"),
    Reread("fees_or_mechanics", _unsure_about_fees_or_mechanics, "out_of_scope", offers=REPLACED),
    Reread("unsure_about_a_check", _asks_a_rule_about_a_check, "policy_question"),
    Reread("unsure_about_own_check", _asks_about_own_check, _first_situation_ranked),
    Reread("asks_for_a_plan", _asks_for_a_plan, "cannot_borrow"),
    Reread("asks_if_i_can_borrow", _asks_if_i_can_borrow, "cannot_borrow"),
)


def _reread(reading: Understanding, intent: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The reading after REREADS, the readings to offer beside it, and the rules that fired."""
    alternatives: tuple[str, ...] = ()
    fired: list[str] = []
    for rule in REREADS:
        if not rule.applies(reading, intent):
            continue
        replaced = intent
        intent = rule.to if isinstance(rule.to, str) else rule.to(reading)
        offered = replaced if rule.offers == REPLACED else rule.offers
        if offered is not None:
            alternatives = (offered,) if offered in IN_SCOPE else ()  # a choice is always an in-scope reading
        fired.append(rule.name)
    return intent, alternatives, tuple(fired)


def _topic_named(reading: Understanding) -> str | None:
    return reading.named_topic if reading.named_topic in SITUATION_INTENTS else None


def after(decision: Decision, thread: Thread, lang: str, offered: tuple[tuple[str, str], ...] = (),
          message: str | None = None) -> Thread:
    """The thread the next turn inherits (`message`: this turn's text, masked, for the guard)."""
    # A refused message is answered already: it must not make the next, innocent one look unsafe.
    recent = thread.recent
    if message is not None and decision.intent != "unsafe_request":
        recent = (*thread.recent, message)[-RECENT_MESSAGES:]
    if decision.intent == "unsafe_request":
        return replace(thread, lang=lang, offered=offered, recent=recent, refused_about=decision.about)
    if decision.intent in NEUTRAL_INTENTS or decision.intent == "appeal_or_human":
        return replace(thread, lang=lang, offered=offered, recent=recent, refused_about=None)
    amount = str(decision.amount) if decision.intent in BORROW_INTENTS and decision.amount is not None else None
    if decision.intent in BORROW_INTENTS and amount is None and thread.intent in BORROW_INTENTS:
        amount = thread.amount
    return Thread(intent=decision.intent, amount=amount, lang=lang, offered=offered, recent=recent,
                  about=decision.about)


def _leans_back(reading: Understanding, thread_intent: str) -> bool:
    """A short follow-up, a what-if, an assumed later time or repayment, a complaint, or a
    message the model reads as off the line's topics although it names nothing off-topic
    ("差一块钱都不行？", "this is so annoying, I've done it like 5 times", "ok 1000 then" read as
    a greeting): inside a thread such a message is about the thread. So is a short question
    the model reads as a rule question but that names no general rule, in a thread about the
    account ("要维护到几点", "刷完脸就能借了吗", "will it be lifted on the 27th for sure?"), and so is a
    short turn the model reads as another situation although it names none."""
    if reading.starts_new_topic:
        return False  # "ok. separate thing - how do i change the card…"
    assumed = reading.at is not None or reading.repay_amount is not None or reading.repay_all_overdue
    stray = reading.intent in ("out_of_scope", "greeting") and not (reading.other_product or _off_the_line(reading))
    own_case = (reading.intent == "policy_question" and reading.may_lean_back
                and thread_intent in SITUATION_INTENTS and reading.named_topic is None
                and (reading.speaks_of_self or reading.asks_when or reading.confidence < RULE_QUESTION_CONFIDENCE))
    # "I click more times it will pass?" read as an increase, "so age is the issue? what can I do"
    # read as a request for a person: a short turn naming no topic is about the account's thread.
    unnamed = (reading.intent in SITUATION_INTENTS | {"appeal_or_human"} and reading.intent != thread_intent
               and thread_intent in SITUATION_INTENTS and reading.may_lean_back and reading.named_topic is None
               and reading.confidence < UNNAMED_SWITCH_CONFIDENCE
               and not (reading.asks_for_person or reading.other_product or reading.off_topic))
    # "when will it be back up", "那我什么时候能恢复使用" after a block was explained: when the thread's
    # block ends, read as a repayment not restored at up to 0.99 although it names no limit or
    # repayment.
    when_it_ends = (reading.asks_when and reading.may_lean_back and thread_intent in SITUATION_INTENTS
                    and reading.named_topic is None and reading.reported_repayment is None
                    and not (reading.names_the_limit or reading.asks_posting_time or reading.other_product
                             or reading.off_topic))
    # "我早就还清了啊" after an answer: an objection that names no repayment to look up.
    objects = (reading.reported_repayment is not None and thread_intent in SITUATION_INTENTS
               and reading.named_topic is None and not any(reading.reported_repayment.model_dump().values()))
    # "为什么不是2万" after "how much can I borrow": the customer questions the figure just given.
    questions_the_figure = (thread_intent == "how_much_can_i_borrow" and reading.quotes_an_amount
                            and not reading.asks_to_draw)
    # "就因为我没怎么用？？" after a closure, "I do have loans on other apps, is that why?" after "how
    # much": the reason just given is questioned.
    questions_the_reason = (reading.asks_about_cause and thread_intent in SITUATION_INTENTS
                            and reading.named_topic in (None, thread_intent))
    return (reading.is_follow_up or reading.what_if or assumed or reading.mentions_wrong_decision or stray
            or own_case or unnamed or when_it_ends or objects or questions_the_figure or questions_the_reason)


def _asked_of_another(reading: Understanding) -> str | None:
    """The situation a refused request asked about ("Can you tell me my wife's limit" → how much)."""
    if reading.named_topic in SITUATION_INTENTS:
        return reading.named_topic
    return next((intent for intent, _ in reading.ranked if intent in SITUATION_INTENTS), None)


def _own_case_after_a_refusal(reading: Understanding, thread: Thread) -> str | None:
    """After a request about someone else's account was refused, a short turn about the writer's
    own ("那我自己的呢", "ok then just mine", "what about mine then") asks the same of theirs."""
    if thread.refused_about is None or not reading.may_lean_back or reading.named_topic is not None:
        return None
    if reading.names_borrowing or reading.amount is not None or reading.what_if or reading.at is not None:
        return None  # "OK, then just my own account: can I borrow 15,000?" asks its own question
    return thread.refused_about if reading.speaks_of_self else None


def _own_case_after_a_rule(reading: Understanding, thread: Thread) -> str | None:
    """After a rule answer, a short turn about the writer's own case ("那我的是什么原因", "我的呢",
    "我自己能申请吗") asks the situation question the rule was about: the situation reading
    offered beside the rule answer, else the model's own situation reading."""
    if thread.intent != "policy_question" or not reading.may_lean_back:
        return None
    # "ok what time tomorrow exactly" after a rule asked inside a borrow thread: when the account's
    # own case ends is the situation the rule was about.
    if not (reading.speaks_of_self or reading.asks_when and thread.about is not None):
        return None
    if reading.off_topic or reading.other_product:
        return None  # "我现在逾期五天 罚息多少": the writer's own case, but a topic off the line
    if reading.asks_to_draw or (reading.asks_for_plan or reading.at is not None) and reading.names_borrowing:
        return None  # "那我借8万", "还多少我才能借出来", "那我晚上12点一过就借": a draw, checked as one
    if reading.named_topic in SITUATION_INTENTS:
        return reading.named_topic  # "我的那笔呢 到底什么时候恢复": the situation it names
    offered = next((intent for _, intent in thread.offered if intent in SITUATION_INTENTS), thread.about)
    if offered is not None and reading.named_topic is None:
        return offered
    return reading.intent if reading.intent in SITUATION_INTENTS else None


# -- a follow-up that leaves its thread ------------------------------------------------------------
# Short follow-ups carry few words, so the model's reading of them alone ("when can I try again?"
# → a borrow question) must not pull the customer out of their topic: only what the message names
# switches. The first rule of SWITCHES that applies decides; STAY keeps the thread.

STAY = None


def _asked_generally(reading: Understanding) -> bool:
    # A short turn with only a weak marker ("大概多久能审完") asks about the account's own case.
    outright = (any(word in reading.normalized_text for word in OUTRIGHT_GENERAL)
                and "policy_question" in dict(reading.ranked))
    return reading.frames_as_general or reading.asks_in_general and not reading.asks_for_plan and (
        outright or reading.intent == "policy_question" and not reading.may_lean_back)


def _rule_in_passing(reading: Understanding, thread_intent: str) -> bool:
    # "那怎么开通", "那一天最多能借几次": how things work, asked in passing
    return ((_asked_generally(reading) or reading.asks_how_to) and thread_intent != "policy_question"
            and not reading.mentions_wrong_decision)


def _rule_after_a_rule(reading: Understanding, thread_intent: str) -> bool:
    # "那借呗规定单笔最多能借多少" after a rule answer: still a rule, not one's own maximum
    return _asked_generally(reading) and thread_intent == "policy_question" and not reading.mentions_wrong_decision


def _asks_the_minimum_draw(reading: Understanding, thread_intent: str) -> bool:
    # "and what's the minimum I can borrow?": the product's minimum draw
    return (reading.intent in ("how_much_can_i_borrow", "policy_question") and reading.names_borrowing
            and reading.amount is None and any(word in reading.normalized_text for word in MINIMUM_WORDS))


def _names_another_topic(reading: Understanding, thread_intent: str) -> bool:
    # "那提额呢", "I do not want the explanation, is my limit going back up?"
    return reading.named_topic is not None and reading.named_topic != thread_intent


def _draw_after_a_rule(reading: Understanding, thread_intent: str) -> bool:
    # "ok 55000 then?", "那分两次借，每次6万", "那我晚上12点一过就借" after a rule answer: a draw to check
    named_draw = reading.amount is not None or reading.at is not None and reading.names_borrowing
    return thread_intent == "policy_question" and named_draw and not reading.asks_in_general


def _leaves_the_line(reading: Understanding, thread_intent: str) -> bool:
    # "那花呗呢", "Also, what's the interest rate on the loan I have now?"; not another product
    # named as the cause of the account's block or as a step to lift it ("我把花呗还清了是不是就可以了",
    # "my credit card debt, is that why?"): the question is still the account's
    about_the_block = (reading.other_product and thread_intent in SITUATION_INTENTS and not reading.off_topic
                       and (reading.what_if or reading.asks_about_cause))
    return (reading.other_product or _off_the_line(reading) and reading.named_topic is None) and not about_the_block


def _off_the_line(reading: Understanding) -> bool:
    """A topic off the line's: named ("手续费", "分期"), or an off-topic reading of a question how or
    where to do something in the app ("还款入口在哪", "how do I retry it")."""
    return reading.off_topic or reading.asks_procedure and reading.intent == "out_of_scope"


def _asks_the_borrow_check(reading: Understanding, thread_intent: str) -> bool:
    # "那我先借2万", "还了以后啥时候能借", "那我现在能正常借钱吗", "will I be able to borrow on Monday
    # then?" after another topic, "明天早上十点能借吗" or "换完卡以后最快什么时候能借" after "how much":
    # the borrow check
    return (reading.asks_to_draw and thread_intent not in BORROW_INTENTS
            or reading.asks_if_can_borrow and (reading.asks_now or reading.at is not None)
            and thread_intent != "cannot_borrow"
            or reading.asks_for_plan and reading.names_borrowing and thread_intent != "cannot_borrow")


def _amount_after_how_much(reading: Understanding, thread_intent: str) -> bool:
    # "那3000呢？", "could I take all of it in one go?" after "how much can I borrow": a named
    # amount, or all of it, is a draw to check
    return thread_intent == "how_much_can_i_borrow" and (reading.amount is not None or reading.draws_everything)


def _repayment_of_theirs_in_a_borrow_thread(reading: Understanding, thread_intent: str) -> bool:
    # "不对吧 我早上还了3000 应该是9000", "那这2500到底什么时候能到" after a borrow answer: a repayment of
    # theirs, named, whose effect on the limit is questioned (guide rule 8). Not a repayment of the
    # overdue ("我今天早上转账还了1200的" on an overdue account): whether it lifts the block is the
    # borrow check (guide rule 15), as the writers of the dev sets read it.
    named = reading.reported_repayment is not None and any(reading.reported_repayment.model_dump().values())
    questioned = (reading.asks_when or reading.asks_posting_time or reading.quotes_an_amount
                  or reading.names_the_limit)
    return (thread_intent in BORROW_INTENTS and named and questioned
            and not (reading.repay_all_overdue or reading.names_overdue)
            and not (reading.what_if or reading.asks_to_draw) and reading.named_topic in (None, "limit_not_restored"))


@dataclass(frozen=True)
class Switch:
    """When `applies` to a follow-up inside a thread, the turn goes to `to` (an intent, or one
    read off the message), or stays in the thread (STAY)."""

    name: str
    applies: Callable[[Understanding, str], bool]
    to: str | Callable[[Understanding], str] | None


SWITCHES = (
    Switch("rule_in_passing", _rule_in_passing, "policy_question"),
    Switch("consequence_in_passing", _asks_a_consequence, "policy_question"),
    Switch("rule_after_a_rule", _rule_after_a_rule, STAY),
    Switch("minimum_draw", _asks_the_minimum_draw, "policy_question"),
    Switch("names_another_topic", _names_another_topic, _named_topic),
    Switch("draw_after_a_rule", _draw_after_a_rule, "cannot_borrow"),
    Switch("leaves_the_line", _leaves_the_line, "out_of_scope"),
    Switch("repayment_in_a_borrow_thread", _repayment_of_theirs_in_a_borrow_thread, "limit_not_restored"),
    Switch("asks_the_borrow_check", _asks_the_borrow_check, "cannot_borrow"),
    Switch("amount_after_how_much", _amount_after_how_much, "cannot_borrow"),
)


def _switched_topic(reading: Understanding, thread_intent: str) -> str | None:
    """The other topic a follow-up names ("那提额呢", "那花呗呢"), or None to stay in the thread."""
    rule = next((rule for rule in SWITCHES if rule.applies(reading, thread_intent)), None)
    if rule is None or rule.to is STAY:
        return None
    return rule.to if isinstance(rule.to, str) else rule.to(reading)


def _amount(reading: Understanding, intent: str, thread: Thread) -> Decimal | None:
    """The amount asked now, else (a follow-up in a borrowing thread) the last one."""
    if intent == "how_much_can_i_borrow":
        return None
    if reading.amount is not None:
        return reading.amount
    if intent in BORROW_INTENTS and thread.intent in BORROW_INTENTS and thread.amount:
        return Decimal(thread.amount)
    return None


def _alternatives(reading: Understanding, intent: str) -> tuple[str, ...]:
    """Close in-scope readings worth offering beside `intent`, when the reading is uncertain."""
    if reading.confidence >= CLARIFY_BELOW or intent not in IN_SCOPE | {"out_of_scope"}:
        return ()
    return tuple(other for other, p in reading.ranked[1:3]
                 if other != intent and other in IN_SCOPE and reading.confidence - p <= CLARIFY_MARGIN)
