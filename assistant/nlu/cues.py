"""High-precision cues (unsafe requests, greetings, other products, what-if, follow-ups…).

The patterns are data (data/cues.yaml); this module only compiles and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "cues.yaml"
_PUNCTUATION = re.compile(r"[\s,.!?;:~…，。！？；：、~\-—\"'“”‘’()（）【】\[\]]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    """The compiled cue patterns."""

    unsafe: tuple[tuple[str, re.Pattern[str]], ...]
    greeting_whole: re.Pattern[str]
    other_products: re.Pattern[str]
    own_product: re.Pattern[str]
    off_topic_for_product: re.Pattern[str]
    what_if: re.Pattern[str]
    repay_all_overdue: re.Pattern[str]
    follow_up_openers: re.Pattern[str]
    follow_up_closers: re.Pattern[str]
    follow_up_elliptical: re.Pattern[str]
    follow_up_max_chars: int
    follow_up_max_words: int
    general_markers: re.Pattern[str]
    weak_general_markers: re.Pattern[str]
    own_state: re.Pattern[str]
    situation_follow_up_max_chars: int
    situation_follow_up_max_words: int
    wrong_decision: re.Pattern[str]
    asks_for_person: re.Pattern[str]
    declines_person: re.Pattern[str]
    asks_for_plan: re.Pattern[str]
    intent_switches: tuple[tuple[str, re.Pattern[str]], ...]
    account_id: re.Pattern[str]
    domain_words: re.Pattern[str]
    reports_repayment: re.Pattern[str]
    quotes_app_message: re.Pattern[str]
    draws_everything: re.Pattern[str]
    asks_posting_time: re.Pattern[str]
    asks_when: re.Pattern[str]
    asks_effect_on_limit: re.Pattern[str]
    asks_how_to: re.Pattern[str]
    asks_procedure: re.Pattern[str]
    names_the_limit: re.Pattern[str]
    names_overdue: re.Pattern[str]
    cannot_use: re.Pattern[str]
    names_borrowing: re.Pattern[str]
    general_frame: re.Pattern[str]
    asks_now: re.Pattern[str]
    asks_about_cause: re.Pattern[str]
    asks_if_can_borrow: re.Pattern[str]
    starts_new_topic: re.Pattern[str]
    accepts_and_closes: re.Pattern[str]
    says_hello: re.Pattern[str]
    wants_more_limit: re.Pattern[str]
    names_a_check: re.Pattern[str]
    asks_payout_time: re.Pattern[str]
    on_credit_report: re.Pattern[str]
    repayment_channels: tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=1)
def load_cues(path: Path = DATA_FILE) -> Cues:
    """Compile data/cues.yaml once per process."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    singles = {
        key: _rx(raw[key])
        for key in (
            "other_products",
            "own_product",
            "off_topic_for_product",
            "asks_payout_time",
            "on_credit_report",
            "what_if",
            "repay_all_overdue",
            "follow_up_openers",
            "follow_up_closers",
            "follow_up_elliptical",
            "wrong_decision",
            "asks_for_person",
            "declines_person",
            "asks_for_plan",
            "account_id",
            "domain_words",
            "reports_repayment",
            "general_markers",
            "weak_general_markers",
            "own_state",
            "quotes_app_message",
            "draws_everything",
            "asks_posting_time",
            "asks_when",
            "asks_effect_on_limit",
            "asks_how_to",
            "asks_procedure",
            "names_the_limit",
            "names_overdue",
            "cannot_use",
            "names_borrowing",
            "general_frame",
            "asks_now",
            "asks_about_cause",
            "asks_if_can_borrow",
            "starts_new_topic",
            "accepts_and_closes",
            "says_hello",
            "wants_more_limit",
            "names_a_check",
        )
    }
    return Cues(
        unsafe=tuple(
            (kind, _rx(pattern)) for kind, patterns in raw["unsafe"].items() for pattern in patterns
        ),
        greeting_whole=_rx(raw["greeting_whole"]),
        follow_up_max_chars=int(raw["follow_up_max_chars"]),
        follow_up_max_words=int(raw["follow_up_max_words"]),
        situation_follow_up_max_chars=int(raw["situation_follow_up_max_chars"]),
        situation_follow_up_max_words=int(raw["situation_follow_up_max_words"]),
        intent_switches=tuple((k, _rx(v)) for k, v in raw["intent_switches"].items()),
        repayment_channels=tuple((k, _rx(v)) for k, v in raw["repayment_channels"].items()),
        **singles,
    )


def unsafe_kind(text: str) -> str | None:
    """The kind of unsafe request in `text` (first matching kind), or None."""
    for kind, pattern in load_cues().unsafe:
        if pattern.search(text):
            return kind
    return None


def is_greeting(text: str) -> bool:
    """The whole message is a greeting, a thank-you or a goodbye."""
    stripped = _PUNCTUATION.sub(" ", text).strip()
    return bool(stripped) and bool(load_cues().greeting_whole.fullmatch(stripped))


def is_other_product(text: str) -> bool:
    """The message is about another product and not about the credit line."""
    cues = load_cues()
    return bool(cues.other_products.search(text)) and not cues.own_product.search(text)


def is_off_topic_for_product(text: str) -> bool:
    """Interest, fees, how to repay, bills, SMS codes, the payout's arrival, the credit report:
    out of scope even for the credit line."""
    cues = load_cues()
    return any(p.search(text) for p in (cues.off_topic_for_product, cues.asks_payout_time, cues.on_credit_report))


def is_what_if(text: str) -> bool:
    """The message supposes an action or another time or amount."""
    return bool(load_cues().what_if.search(text))


def assumes_overdue_repaid(text: str) -> bool:
    """The supposed action is repaying everything overdue ("先把逾期的还了")."""
    return bool(load_cues().repay_all_overdue.search(text))


def is_follow_up(text: str) -> bool:
    """A short elliptical turn ("那3000呢？", "and tomorrow?") that leans on the previous one."""
    cues = load_cues()
    stripped = text.strip()
    if cues.follow_up_elliptical.match(stripped):
        return True
    if not _is_short(stripped, cues.follow_up_max_chars, cues.follow_up_max_words):
        return False
    if cues.follow_up_openers.search(stripped):
        return True
    # "呢" also ends full questions ("我的借呗为什么借不了呢"): only very short ones lean back.
    return bool(cues.follow_up_closers.search(stripped)) and _is_short(
        stripped, cues.follow_up_max_chars // 2, cues.follow_up_max_words // 2
    )


def could_be_about_the_thread(text: str) -> bool:
    """Short enough to lean on the conversation and naming no general rule ("要维护到几点",
    "so age is the issue? what can I do"), unlike "单笔最低借多少" or "what's the rule in general"."""
    cues = load_cues()
    short = _is_short(text.strip(), cues.situation_follow_up_max_chars, cues.situation_follow_up_max_words)
    return short and not cues.general_markers.search(text)


def _general(text: str) -> bool:
    cues = load_cues()
    return bool(cues.general_markers.search(text) or cues.weak_general_markers.search(text))


def asks_in_general(text: str) -> bool:
    """A question about the rules in general: a general marker and nothing of the writer's own
    current state ("提额失败一般是什么原因", not "我提额失败一般是什么原因"), or one framed as general
    whatever else it says ("听说我这种情况借不了，是真的吗")."""
    cues = load_cues()
    return bool(cues.general_frame.search(text)) or _general(text) and not cues.own_state.search(text)


def speaks_of_self(text: str) -> bool:
    """A first person, a present state or a reported app message ("我的呢", "现在显示…")."""
    return bool(load_cues().own_state.search(text))


def _is_short(text: str, max_chars: int, max_words: int) -> bool:
    cjk = len(_CJK.findall(text))
    if cjk:
        return cjk <= max_chars
    return len(text.split()) <= max_words


def says_decision_wrong(text: str) -> bool:
    """The user says the automated decision is wrong (the dialogue hands off)."""
    return bool(load_cues().wrong_decision.search(text))


def asks_for_person(text: str) -> bool:
    """An explicit request for a person, an appeal or a human review ("转人工", "I want to appeal")."""
    cues = load_cues()
    return bool(cues.asks_for_person.search(text)) and not cues.declines_person.search(text)


def asks_for_plan(text: str) -> bool:
    """The customer asks when, at the earliest, or how they can borrow ("最快什么时候能借")."""
    return bool(load_cues().asks_for_plan.search(text))


def mentions_domain(text: str) -> bool:
    """Whether the message talks about credit, borrowing, repayment or the assistant's services."""
    return bool(load_cues().domain_words.search(text))


def switched_intent(text: str) -> str | None:
    """An intent the message names explicitly, for follow-ups that change the topic."""
    cues = load_cues()
    switches = cues.intent_switches
    if cues.declines_person.search(text):  # "别跟我说转人工，你直接告诉我…" names no hand-off
        switches = tuple((name, pattern) for name, pattern in switches if name != "appeal_or_human")
    return _first_named(switches, text)


def _first_named(patterns: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    """The name of the first pattern that matches `text` (the order of the cue file decides)."""
    return next((name for name, pattern in patterns if pattern.search(text)), None)


def account_id(text: str) -> str | None:
    """An account id typed in the message, or None."""
    match = load_cues().account_id.search(text)
    if match is None:
        return None
    return next(group for group in match.groups() if group)


def reports_repayment(text: str) -> bool:
    """The message says a repayment was made ("昨天还了3000", "I paid by card")."""
    return bool(load_cues().reports_repayment.search(text))


def repayment_channel(text: str) -> str | None:
    """The repayment channel the message names (contract: balance, bank_card, bank_transfer)."""
    return _first_named(load_cues().repayment_channels, text)


def quotes_app_message(text: str) -> bool:
    """The message quotes what the app shows ("显示系统维护", "it says frozen")."""
    return bool(load_cues().quotes_app_message.search(text))


def matches(cue: str, text: str) -> bool:
    """Whether the single-pattern cue `cue` of data/cues.yaml (documented there) matches `text`."""
    return bool(getattr(load_cues(), cue).search(text))


def asks_posting_time(text: str) -> bool:
    """When a repayment posts ("转账还款一般多久到账", "how long does a card repayment take to post");
    not when a loan's payout arrives ("借款多久到账")."""
    cues = load_cues()
    return bool(cues.asks_posting_time.search(text)) and not cues.asks_payout_time.search(text)


def draws_everything(text: str) -> bool:
    """A draw of everything available ("想全借出来", "the full amount")."""
    return bool(load_cues().draws_everything.search(text))
