"""Typed boundaries of the assistant: the `Answer` that `Assistant.ask` returns (CONTRACT.md 4–5).

The composer builds an `Answer` once per turn; every edge (CLI, `/api/chat` JSON and SSE,
`/v1/chat/completions`, the gradio UI, the widget) only serialises or renders its parts. Nothing
above this model re-derives a sentence, a cap or an intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from assistant.nlu.model import INTENTS, Intent  # the one list of intents (contract section 4)
from tools.result import CapKind, CheckResult, jsonable

if TYPE_CHECKING:
    from tools.plan_model import Plan

__all__ = ["INTENTS", "INTENT_CHECK", "Answer", "CapLine", "Citation", "CitedSection", "ClarifyOption",
           "PlanView", "ReasonLine", "StepLine", "WhatIf"]

Lang = Literal["zh", "en"]

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


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Citation(_Frozen):
    doc_id: str
    section_id: str
    title: str


class CitedSection(Citation):
    """A citation with its text, for UIs that expand citations."""

    text: str = ""

    def citation(self) -> Citation:
        return Citation(doc_id=self.doc_id, section_id=self.section_id, title=self.title)


class WhatIf(_Frozen):
    assumption: str
    reason_codes: list[str]
    allowed: bool
    max_amount_now: Decimal | None = None


class ReasonLine(_Frozen):
    """One principal reason as the answer states it: the sentence with the customer's figures."""

    code: str
    severity: Literal["blocking", "limiting", "info"]
    title: str
    sentence: str
    facts: dict[str, Any] = Field(default_factory=dict)
    policy_refs: list[str] = Field(default_factory=list)


class StepLine(_Frozen):
    """One next step as the answer states it: its label and, when known, when."""

    code: str
    label: str
    eta: datetime | None = None
    eta_text: str | None = None
    self_service: bool = True


class CapLine(_Frozen):
    """One ceiling on a draw now (`CheckResult.caps`), worded."""

    kind: CapKind
    amount: Decimal
    label: str


class ClarifyOption(_Frozen):
    """A choice offered when two readings are close; `message` is what picking it sends."""

    label: str
    message: str


class PlanView(_Frozen):
    """The recourse plan (CONTRACT section 9) as data, and the at most four sentences stating it."""

    data: dict[str, Any]
    sentences: list[str] = Field(default_factory=list)
    step_phrases: list[str] = Field(default_factory=list)  # one per plan step, for a timeline
    # The engine's plan this view states, kept so the decision record can word the same plan in
    # the other language without planning again (`assistant.decisions`); not part of the data.
    _plan: Plan | None = PrivateAttr(default=None)

    @classmethod
    def of(cls, plan: Plan, sentences: list[str], step_phrases: list[str]) -> PlanView:
        """The view of the engine's `plan`, stated by `sentences`."""
        view = cls(data=plan.to_data(), sentences=sentences, step_phrases=step_phrases)
        view._plan = plan
        return view

    @property
    def plan(self) -> Plan | None:
        """The engine's plan behind this view, when it was built with `of`."""
        return self._plan


class Answer(_Frozen):
    """Everything one turn answers: the contract's `ask` object and the parts edges render."""

    answer: str
    intent: Intent
    lang: Lang = "zh"
    reason_codes: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    reasons: list[ReasonLine] = Field(default_factory=list)  # the principal ones (at most four)
    more_reasons: int = 0  # how many more the check found beyond the principal ones
    caps: list[CapLine] = Field(default_factory=list)
    max_amount_now: Decimal | None = None
    steps: list[StepLine] = Field(default_factory=list)
    citations: list[CitedSection] = Field(default_factory=list)
    plan: PlanView | None = None
    what_if: WhatIf | None = None
    clarify: list[ClarifyOption] = Field(default_factory=list)
    handoff: bool = False
    handoff_id: str | None = None
    refused: bool = False
    confidence: float | None = None
    slots: dict[str, Any] = Field(default_factory=dict)
    # For the audit log and the turn record, never sent to a customer:
    checks: list[CheckResult] = Field(default_factory=list, exclude=True)
    handoff_summary: dict[str, Any] | None = Field(default=None, exclude=True)

    def contract_view(self) -> dict[str, Any]:
        """Exactly the fields of CONTRACT.md section 5, plus `what_if`, `plan` and `clarify`
        when the turn has them (sections 4 and 9)."""
        data: dict[str, Any] = {
            "answer": self.answer,
            "intent": self.intent,
            "reason_codes": self.reason_codes,
            "next_steps": self.next_steps,
            "citations": [c.citation().model_dump() for c in self.citations],
            "handoff": self.handoff,
            "refused": self.refused,
        }
        if self.what_if is not None:
            data["what_if"] = jsonable(self.what_if.model_dump())
        if self.plan is not None:
            data["plan"] = self.plan.data
        if self.clarify:
            data["clarify"] = [option.model_dump() for option in self.clarify]
        return data

    # parts_view() as computed once: a turn needs it for its decision record and again for the
    # HTTP response. A cached_property lives in the instance's __dict__, outside the fields
    # (equality and dumps ignore it); model_copy drops it, as a copy's parts may differ.
    @cached_property
    def _parts(self) -> dict[str, Any]:
        return self._compute_parts()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Answer:
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("_parts", None)
        return copied

    def parts_view(self) -> dict[str, Any]:
        """The contract view plus the rendered parts (reasons, caps, steps, cited texts, plan
        sentences, hand-off ticket, language): what a chat UI needs, as JSON-ready data.

        Computed once per answer; each call returns a new top-level dict (callers add keys), whose
        values are shared and must not be changed."""
        return dict(self._parts)

    def _compute_parts(self) -> dict[str, Any]:
        data = self.contract_view()
        data.update(jsonable({
            "lang": self.lang,
            "reasons": [r.model_dump() for r in self.reasons],
            "more_reasons": self.more_reasons,
            "caps": [c.model_dump() for c in self.caps],
            "max_amount_now": self.max_amount_now,
            "steps": [s.model_dump() for s in self.steps],
            "sections": [c.model_dump() for c in self.citations],
            "plan_sentences": self.plan.sentences if self.plan is not None else [],
            "plan_steps": self.plan.step_phrases if self.plan is not None else [],
            "handoff_id": self.handoff_id,
        }))
        return data
