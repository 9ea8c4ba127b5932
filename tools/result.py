"""The result of a limit check (CONTRACT.md section 3) and its deterministic JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tools.catalogue import Action, Severity, Texts

CapKind = Literal["available", "single_maximum", "income_verification", "funding_quota"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


# Steps, reasons and trace entries are plain slotted dataclasses: a check builds ~30 of them, and
# pydantic model construction (then frozen dataclasses' __setattr__) was most of the engine's
# time (bench/engine.py). Treat them as immutable. CheckResult stays a pydantic model, so the API
# schema and serialisation still cover them.


@dataclass(slots=True)
class NextStep:
    code: str
    text: Texts
    eta: datetime | None
    self_service: bool


@dataclass(slots=True)
class Reason:
    code: str
    severity: Severity
    facts: dict[str, Any]
    policy_refs: list[str]
    next_steps: list[NextStep]


@dataclass(slots=True)
class Cap:
    """One ceiling on a draw right now: `max_amount_now` is the smallest of them (section 3)."""

    kind: CapKind
    amount: Decimal


@dataclass(slots=True)
class TraceEntry:
    rule: str
    inputs: dict[str, Any]
    outcome: str  # "pass", "skipped", or the reason code it returned


class CheckResult(_Result):
    action: Action
    account_id: str
    amount: Decimal | None
    allowed: bool
    max_amount_now: Decimal | None
    # The ceilings behind `max_amount_now` (borrow checks; empty otherwise), in policy order.
    caps: list[Cap]
    reasons: list[Reason]
    next_steps: list[NextStep]
    policy_version: str
    checked_at: datetime
    trace: list[TraceEntry]

    @property
    def reason_codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    @property
    def step_codes(self) -> list[str]:
        return [step.code for step in self.next_steps]

    @property
    def limited(self) -> bool:
        """A reason caps the amount asked for without blocking a smaller draw ("借3万", 15,000 left)."""
        return any(reason.severity == "limiting" for reason in self.reasons)

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data: money as numbers, times as ISO 8601 with +08:00."""
        return jsonable(self.model_dump(mode="python"))

    def to_json(self, indent: int | None = None) -> str:
        """Byte-identical for identical input: fixed key order, no clock, no randomness."""
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Decimal → JSON number (integral stays integral), datetime/date → ISO 8601 string."""
    # Every answer and audit row goes through here, mostly strings, numbers and small dicts:
    # the exact-type tests first are several times faster than isinstance over unions.
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): jsonable(v) for k, v in value.items()}
    if kind is list:
        return [jsonable(v) for v in value]
    return _jsonable_other(value)


def _jsonable_other(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
