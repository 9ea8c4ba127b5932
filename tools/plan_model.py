"""The recourse plan (CONTRACT.md section 9) as small typed values and its deterministic JSON.

Like `tools.result`, these are slotted dataclasses (a plan is built on the hot path of every
not-allowed borrow answer); treat them as immutable. `to_data()` gives exactly the keys of
section 9; what an answer needs beyond them (the pending repayments a wait relies on) stays on
the Python objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from tools.result import jsonable

StepKind = Literal["you", "wait", "support"]


@dataclass(frozen=True, slots=True)
class PendingRepayment:
    """A repayment on its way: one a wait relies on, or a late one support must look for."""

    id: str | None
    amount: Decimal
    channel: str
    paid_at: datetime
    posts_at: datetime


@dataclass(slots=True)
class PlanStep:
    step: str  # a next-step code of section 3
    kind: StepKind
    at: datetime | None  # you/support: the request time; wait: when it ends (None: unknown)
    amount: Decimal | None  # set on repayment steps only
    clears: list[str]  # reason codes, most important first
    certain: bool  # False: someone decides at that time ("re-evaluated at", never "will")
    # Not in the JSON: the pending repayments this wait relies on (or support must trace).
    repayments: tuple[PendingRepayment, ...] = field(default=())

    def to_data(self) -> dict[str, Any]:
        return {"step": self.step, "kind": self.kind, "at": jsonable(self.at),
                "amount": jsonable(self.amount), "clears": list(self.clears), "certain": self.certain}


@dataclass(slots=True)
class Goal:
    amount: Decimal | None  # None: any draw of at least the policy minimum
    action: str = "borrow"

    def to_data(self) -> dict[str, Any]:
        return {"action": self.action, "amount": jsonable(self.amount)}


@dataclass(slots=True)
class Plan:
    goal: Goal
    reachable: bool
    earliest_at: datetime | None
    amount_now: Decimal
    amount_at_goal: Decimal | None
    steps: list[PlanStep]
    blocked_by: list[str]
    policy_version: str
    checked_at: datetime

    @property
    def step_codes(self) -> list[str]:
        return [step.step for step in self.steps]

    @property
    def met_now(self) -> bool:
        """The goal holds at the request time: nothing to do."""
        return self.reachable and not self.steps and self.earliest_at == self.checked_at

    def to_data(self) -> dict[str, Any]:
        """Section 9's JSON: money as numbers, times as ISO 8601 with +08:00, fixed key order."""
        return {
            "goal": self.goal.to_data(),
            "reachable": self.reachable,
            "earliest_at": jsonable(self.earliest_at),
            "amount_now": jsonable(self.amount_now),
            "amount_at_goal": jsonable(self.amount_at_goal),
            "steps": [step.to_data() for step in self.steps],
            "blocked_by": list(self.blocked_by),
            "policy_version": self.policy_version,
            "checked_at": jsonable(self.checked_at),
        }

    def to_json(self, indent: int | None = None) -> str:
        """Byte-identical for identical input."""
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)
