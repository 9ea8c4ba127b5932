"""What every rule receives and returns.

A rule is a small pure function ``rule(ctx) -> Outcome``: it reads the context, names the inputs
it read (for the audit trace) and returns a Finding when its reason applies. The engine turns
findings into reasons with policy_refs and next steps from the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tools.catalogue import Action, Severity
from tools.policy import Policy
from tools.snapshot import Platform, Snapshot


@dataclass(frozen=True, slots=True)
class Context:
    snapshot: Snapshot
    platform: Platform
    policy: Policy
    action: Action
    amount: Decimal | None
    now: datetime  # the request time in Asia/Shanghai: `at`, else `as_of`
    today: date


@dataclass(slots=True)
class Finding:
    code: str
    facts: dict[str, Any]
    severity: Severity | None = None  # None: the catalogue's severity
    steps: tuple[str, ...] | None = None  # None: the catalogue's steps
    etas: dict[str, datetime] = field(default_factory=dict)  # step code -> eta


@dataclass(slots=True)
class Outcome:
    inputs: dict[str, Any]
    finding: Finding | None = None


Rule = Callable[[Context], Outcome]
