"""What the repositories hand out: frozen pydantic records, never ORM objects.

JSON fields carry numbers as the store reads them: integers as `int`, everything else as
`Decimal` (see `jsoncodec`), so money in a snapshot or a stored check result stays exact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Rating = Literal["up", "down"]
HandoffStatus = Literal["open", "in_progress", "resolved", "closed"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class AccountSummary(_Record):
    """One line per stored account: for pickers and `limit-assistant accounts list`."""

    account_id: str
    description: str = ""
    description_en: str = ""
    is_demo: bool = False
    updated_at: datetime

    def describe(self, lang: str = "zh") -> str:
        """The one-line description in `lang`, falling back to the other language."""
        if lang == "en":
            return self.description_en or self.description
        return self.description or self.description_en


class ConversationRecord(_Record):
    id: str
    account_id: str
    lang: str
    state: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime


class TurnRecord(_Record):
    """One exchange as the assistant produced it; `checks` holds the check results incl. trace."""

    user_text: str
    intent: str | None = None
    slots: dict[str, Any] = Field(default_factory=dict)
    checks: list[Any] = Field(default_factory=list)
    answer: str = ""
    citations: list[Any] = Field(default_factory=list)
    reason_codes: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    handoff: bool = False
    refused: bool = False


class StoredTurn(TurnRecord):
    conversation_id: str
    seq: int
    created_at: datetime


class HandoffRecord(_Record):
    id: str
    conversation_id: str | None
    turn_seq: int | None
    account_id: str
    summary: dict[str, Any]
    status: str
    created_at: datetime


class FeedbackRecord(_Record):
    id: int
    conversation_id: str
    turn_seq: int
    rating: Rating
    comment: str | None
    created_at: datetime
    updated_at: datetime


class AuditRecord(_Record):
    id: int
    account_id: str
    action: str
    request: dict[str, Any]
    result: dict[str, Any]
    policy_version: str
    created_at: datetime
    conversation_id: str | None
