"""The limit check, what-if and knowledge search as langchain tools, bound to one conversation.

The account is a closure over the conversation's snapshot: no tool takes an account id, and the
argument schemas forbid extra fields, so a model cannot ask about anyone else's account.
Everything a tool runs is recorded in a ToolLedger, which the verifier counts as evidence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ConfigDict, Field

from tools.catalogue import catalogue
from tools.engine import run_check
from tools.policy import Policy
from tools.result import CheckResult, jsonable
from tools.snapshot import Platform, Snapshot
from tools.whatif import Assumption, RepayChannel, what_if

MAX_AMOUNT = Decimal(10000000)


@dataclass(frozen=True)
class ConversationContext:
    """What the conversation is bound to: the caller's account, its platform state and time."""

    snapshot: Snapshot
    platform: Platform | None = None
    at: datetime | None = None


@dataclass
class ToolLedger:
    """Checks and sections the model's tool calls produced in one turn."""

    checks: list[CheckResult] = field(default_factory=list)
    sections: list[Any] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    output_tokens: int = 0  # what the model generated this turn (for tokens/s)


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckLimitArgs(_Args):
    action: Literal["borrow", "limit_status", "limit_increase"] = Field(
        description="borrow: can the customer draw now; limit_status: why the limit is what it is; "
                    "limit_increase: may the customer ask for more")
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, description="amount to draw, CNY (borrow only)")


class WhatIfArgs(_Args):
    action: Literal["borrow", "limit_status", "limit_increase"] = "borrow"
    repay_amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, description="a repayment made now, CNY")
    repay_all_overdue: bool = Field(False, description="assume the overdue amount is repaid in full now")
    repay_channel: Literal["balance", "bank_card", "bank_transfer"] | None = Field(
        None, description="how the repayment is made (default balance, which posts at once)")
    at: datetime | None = Field(None, description="a later time to check at, ISO 8601")
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, description="another amount to draw, CNY")


class SearchArgs(_Args):
    query: str = Field(min_length=1, max_length=200, description="what to look up in the policy texts")
    k: int = Field(3, ge=1, le=5)


def build_tools(context: ConversationContext, policy: Policy, ledger: ToolLedger, lang: str,
                retriever: Callable[[], Any] | None = None) -> list[BaseTool]:
    """The tools of one turn, every one reading only `context.snapshot`."""

    def check_limit(action: str, amount: Decimal | None = None) -> str:
        result = run_check(context.snapshot, action, amount=amount, at=context.at,
                           platform=context.platform, policy=policy)
        ledger.checks.append(result)
        ledger.calls.append("check_limit")
        return _dump(_summary(result, lang))

    def simulate(action: str = "borrow", repay_amount: Decimal | None = None, repay_all_overdue: bool = False,
                 repay_channel: RepayChannel | None = None, at: datetime | None = None,
                 amount: Decimal | None = None) -> str:
        assumption = Assumption(repay_amount=repay_amount, repay_all_overdue=repay_all_overdue,
                                repay_channel=repay_channel, at=at, amount=amount)
        result = what_if(context.snapshot, action, assumption, amount=amount, at=context.at,
                         platform=context.platform, policy=policy)
        ledger.checks.extend([result.before, result.after])
        ledger.calls.append("what_if")
        return _dump({"resolved": result.resolved_codes, "after": _summary(result.after, lang),
                      "repayment_posts_at": result.posts_at.isoformat() if result.posts_at else None})

    def search_knowledge(query: str, k: int = 3) -> str:
        if retriever is None:
            return _dump([])
        hits = retriever().search(query, k=k, lang=lang)
        ledger.sections.extend(hits)
        ledger.calls.append("search_knowledge")
        return _dump([{"section_id": h.section_id, "title": h.title, "text": h.text[:600]} for h in hits])

    tools: list[BaseTool] = [
        StructuredTool.from_function(check_limit, name="check_limit", args_schema=CheckLimitArgs,
                                     description="Run a limit check on this conversation's account."),
        StructuredTool.from_function(simulate, name="what_if", args_schema=WhatIfArgs,
                                     description="Re-run a check on a copy of this account under an assumption."),
    ]
    if retriever is not None:
        tools.append(StructuredTool.from_function(search_knowledge, name="search_knowledge", args_schema=SearchArgs,
                                                  description="Search the lender's policy texts."))
    return tools


def _summary(result: CheckResult, lang: str) -> dict[str, Any]:
    return jsonable({
        "action": result.action,
        "allowed": result.allowed,
        "max_amount_now": result.max_amount_now,
        "reasons": [{"code": r.code, "title": getattr(catalogue().reason(r.code).title, lang),
                     "severity": r.severity, "facts": r.facts} for r in result.reasons],
        "next_steps": [{"code": s.code, "text": getattr(s.text, lang), "eta": s.eta} for s in result.next_steps],
    })


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
