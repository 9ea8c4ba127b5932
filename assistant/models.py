"""Typed boundaries of the assistant: what `ask` returns (CONTRACT.md sections 4–5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.nlu.model import INTENTS  # the one list of intents (contract section 4)
from tools.result import CheckResult, jsonable

__all__ = ["INTENTS", "INTENT_CHECK", "AskResult", "Citation", "CitedSection", "WhatIf"]

# Which check each intent runs (CONTRACT.md section 4); None: no check.
INTENT_CHECK: dict[str, str | None] = {
    "cannot_borrow": "borrow",
    "how_much_can_i_borrow": "borrow",
    "limit_not_restored": "limit_status",
    "limit_reduced_or_closed": "limit_status",
    "limit_increase": "limit_increase",
    "policy_question": None,
    "appeal_or_human": "limit_status",
    "greeting": None,
    "out_of_scope": None,
    "unsafe_request": None,
}


class Citation(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    section_id: str
    title: str


class CitedSection(Citation):
    """A citation with its text, for UIs that expand citations."""

    text: str = ""


class WhatIf(BaseModel):
    model_config = ConfigDict(frozen=True)

    assumption: str
    reason_codes: list[str]
    allowed: bool
    max_amount_now: Decimal | None = None


class AskResult(BaseModel):
    """The contract's `ask` object, plus what the dialogue and the UI need beside it."""

    model_config = ConfigDict(frozen=True)

    answer: str
    intent: str
    reason_codes: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    handoff: bool = False
    refused: bool = False
    what_if: WhatIf | None = None
    # Beside the contract fields:
    lang: str = "zh"
    checks: list[CheckResult] = Field(default_factory=list)
    sections: list[CitedSection] = Field(default_factory=list)
    slots: dict[str, Any] = Field(default_factory=dict)
    handoff_id: str | None = None
    handoff_summary: dict[str, Any] | None = Field(default=None, exclude=True)  # stored with the turn

    def contract_view(self) -> dict[str, Any]:
        """Exactly the fields of CONTRACT.md section 5 (`what_if` only when one was simulated)."""
        data: dict[str, Any] = {
            "answer": self.answer,
            "intent": self.intent,
            "reason_codes": self.reason_codes,
            "next_steps": self.next_steps,
            "citations": [c.model_dump() for c in self.citations],
            "handoff": self.handoff,
            "refused": self.refused,
        }
        if self.what_if is not None:
            data["what_if"] = jsonable(self.what_if.model_dump())
        return data
