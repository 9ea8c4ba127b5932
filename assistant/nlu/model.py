"""The result of understanding one customer message: intent plus slots."""

from __future__ import annotations

from datetime import datetime
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

UnsafeKind = Literal["circumvention", "other_person_data", "prompt_injection", "fake_documents"]


class Understanding(BaseModel):
    """Intent and slots of one message (section 4 of the contract).

    `lang` is the dominant script of the message; a message with no letters at all (only digits,
    punctuation or emoji) gets "zh" and `lang_from_text` False, so the dialogue can keep the
    thread's language instead.
    """

    model_config = ConfigDict(frozen=True)

    intent: Intent
    confidence: float
    lang: Literal["zh", "en"]
    lang_from_text: bool = True
    normalized_text: str
    amount: Decimal | None = None
    repay_amount: Decimal | None = None
    repay_all_overdue: bool = False
    at: datetime | None = None
    what_if: bool = False
    is_follow_up: bool = False
    mentions_wrong_decision: bool = False
    unsafe_kind: UnsafeKind | None = None
    account_id_mentioned: str | None = None
