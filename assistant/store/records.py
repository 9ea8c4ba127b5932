"""What the repositories hand out: frozen pydantic records, never ORM objects.

JSON fields carry numbers as the store reads them: integers as `int`, everything else as
`Decimal` (see `jsoncodec`), so money in a snapshot or a stored check result stays exact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

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


class StoredAccount(_Record):
    """One account as a turn reads it: the raw snapshot and platform dicts, and the demo flag."""

    snapshot: dict[str, Any]
    platform: dict[str, Any] | None = None
    is_demo: bool = False


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


class DecisionRecord(_Record):
    """What one answered turn decided, and everything needed to decide it again (issue 17).

    Built by `assistant.decisions.build_decision`; `snapshot` and `platform` are canonical JSON
    text (sorted keys, no spaces) so that their sha256 is reproducible byte for byte. `message`
    is the customer's text as received (not masked: replay needs it; see docs/SECURITY.md).
    """

    kind: Literal["ask", "handoff"]
    message: str
    default_lang: str
    product: dict[str, str]
    snapshot: str
    snapshot_sha256: str
    platform: str | None = None
    platform_sha256: str | None = None
    requested_at: str | None = None  # the request time as given (None: the snapshot's as_of)
    request_time: str  # the time the decision was made for
    policy_version: str
    policy_sha256: str | None = None
    package_version: str | None = None
    git_commit: str | None = None
    code_sha256: str | None = None
    intent_model_sha256: str | None = None
    knowledge_sha256: str | None = None
    phraser: str | None = None  # the LLM phrasing layer, when one re-worded the answer
    checks: list[Any] = Field(default_factory=list)  # every check run, with its trace
    plan: dict[str, Any] | None = None  # the recourse plan the answer gave (data and sentences)
    answer: dict[str, Any]  # Answer.parts_view(): the contract view and the rendered parts
    answer_sha256: str
    deterministic_sha256: str | None = None  # the answer before LLM phrasing, when phrased
    wording: dict[str, Any] = Field(default_factory=dict)  # reasons and plan in zh and en
    record_sha256: str
    # The canonical JSON text of the JSON fields and of each check, as `build_decision` wrote it
    # for the hash: the store writes these instead of serialising the same data again.
    _encoded: dict[str, str] = PrivateAttr(default_factory=dict)
    _check_texts: list[str] = PrivateAttr(default_factory=list)

    def keep_encoded(self, encoded: dict[str, str], check_texts: list[str]) -> None:
        """Remember the JSON text of the fields (by name) and of each of `checks`."""
        self._encoded = encoded
        self._check_texts = check_texts

    def encoded(self, name: str) -> str | None:
        """The JSON text `name`'s value was written as, if `build_decision` kept it."""
        return self._encoded.get(name)

    def check_text(self, data: Any) -> str | None:
        """The JSON text of `data` when it is one of this record's own check objects (the same
        object, so the same content); None for anything else."""
        for check, text in zip(self.checks, self._check_texts, strict=False):
            if check is data:
                return text
        return None


class StoredDecision(DecisionRecord):
    id: int
    conversation_id: str
    turn_seq: int
    created_at: datetime
