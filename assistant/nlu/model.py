"""The result of understanding one customer message: intent plus slots."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

Intent = Literal[
    "cannot_borrow",
    "how_much_can_i_borrow",
    "limit_not_restored",
    "limit_reduced_or_closed",
    "limit_increase",
    "policy_question",
    "appeal_or_human",
    "greeting",
    "out_of_scope",
    "unsafe_request",
]
INTENTS: tuple[str, ...] = get_args(Intent)

# Intents about the user's own account: a what-if or follow-up keeps them.
SITUATION_INTENTS: frozenset[str] = frozenset(
    {
        "cannot_borrow",
        "how_much_can_i_borrow",
        "limit_not_restored",
        "limit_reduced_or_closed",
        "limit_increase",
        "appeal_or_human",
    }
)

# The guard's attack families (assistant/safety): circumvention, forged_documents, …
UnsafeKind = str


RepaymentChannel = Literal["balance", "bank_card", "bank_transfer"]


class ReportedRepayment(BaseModel):
    """A repayment the customer says they made; each part is None when the message omits it."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal | None = None
    channel: RepaymentChannel | None = None
    day: date | None = None


class Understanding(BaseModel):
    """One message read on its own: the model's intent scores, cues and slots (section 4).

    The thread (assistant/thread.py) turns this reading into the turn's intent: only it knows
    the conversation. `lang` is the dominant script of the message; a message with no letters
    at all (only digits, punctuation or emoji) gets "zh" and `lang_from_text` False, so the
    dialogue can keep the thread's language instead.
    """

    model_config = ConfigDict(frozen=True)

    intent: Intent  # the best reading of the message alone
    confidence: float
    ranked: tuple[tuple[Intent, float], ...] = ()  # the model's top readings, best first
    lang: Literal["zh", "en"]
    lang_from_text: bool = True
    normalized_text: str
    amount: Decimal | None = None
    repay_amount: Decimal | None = None
    repay_all_overdue: bool = False
    repay_channel: RepaymentChannel | None = None  # "明天转账还6000": how a supposed repayment is made
    at: datetime | None = None
    at_is_past: bool = False  # the time names something that happened ("周四还了"), not a hypothesis
    reported_repayment: ReportedRepayment | None = None  # "周四用银行转账还了4500": matched, never simulated
    what_if: bool = False
    is_follow_up: bool = False
    may_lean_back: bool = False  # short and naming no general rule: inside a thread, about the thread
    asks_in_general: bool = False  # a general marker and no first person or present state (guide rule 1)
    speaks_of_self: bool = False  # a first person, a present state or a reported app message
    quotes_app_message: bool = False  # "显示系统维护": the writer's own current state
    draws_everything: bool = False  # "想全借出来": a draw of the available amount, whatever it is
    starts_new_topic: bool = False  # "separate thing - …": never a follow-up of the thread
    accepts_and_closes: bool = False  # "ok 那就等24号吧，谢谢": closes the topic
    says_hello: bool = False  # "你好", "hi there": a hello, not a thanks or a goodbye
    wants_more_limit: bool = False  # "要多久才能提", "提额怎么申请": more limit on one's own line
    names_a_check: bool = False  # "人脸识别", "收入核验", "maintenance": one of the line's checks
    asks_how_to: bool = False  # "那要怎么开": how the line is opened, a rule question whoever asks
    # "还款入口在哪", "can you email me the loan agreement": how or where to do something in the app, or
    # a service asked of the assistant
    asks_procedure: bool = False
    names_the_limit: bool = False  # "应该是9000", "还没算进去": the limit a repayment should have restored
    names_overdue: bool = False  # "逾期那1200我转账还了"
    names_borrowing: bool = False  # "借", "draw": "最早哪天可以再申请" names none
    frames_as_general: bool = False  # "General question first: …": a rule question, the model aside
    cannot_use: bool = False  # "用不了", "not usable": the borrow question, whatever the cause
    asks_now: bool = False  # "现在还想借九千": a draw asked now beside a past event
    asks_about_cause: bool = False  # "就因为我没怎么用？", "is that why?": a reason questioned
    asks_if_can_borrow: bool = False  # "现在还能借吗", "can I still borrow": the borrow check asked
    asks_posting_time: bool = False  # "多久到账": a limit or rule question, never repayment mechanics
    asks_when: bool = False  # "要维护到几点", "when will the review be done": when something happens or ends
    asks_effect_on_limit: bool = False  # "额度会受影响吗", "does paying early hurt my limit": a consequence, a rule
    mentions_wrong_decision: bool = False  # a complaint about the decision: the thread's topic goes on
    asks_for_person: bool = False  # an explicit request for a person, an appeal or a review
    off_topic: bool = False  # interest, fees, how to repay, bills, SMS codes (contract section 4)
    asks_to_draw: bool = False  # an amount right after a borrow verb ("我想借5000", "borrow 6,500")
    quotes_an_amount: bool = False  # a cap or expectation quoted back ("为什么不是2万", "只能借3000")
    other_product: bool = False  # names another product and not this line ("那花呗呢")
    named_topic: Intent | None = None  # a topic the message names outright ("提额", "最多能借多少")
    asks_for_plan: bool = False  # "最快什么时候能借", "what do I need to do to borrow 20,000?"
    greeting_only: bool = False
    unsafe_kind: UnsafeKind | None = None
    account_id_mentioned: str | None = None
