"""Readable terminal output (rich tables) for check results."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from tools.result import CheckResult, jsonable


def _fact_text(facts: dict[str, Any]) -> str:
    parts = []
    for key, value in jsonable(facts).items():
        if value is None:
            continue
        if isinstance(value, list):
            value = "; ".join(", ".join(f"{k}={v}" for k, v in item.items() if v is not None)
                              if isinstance(item, dict) else str(item) for item in value)
        parts.append(f"{key}={value}")
    return "\n".join(parts)


def print_check(result: CheckResult, lang: str = "zh") -> None:
    console = Console()
    verdict = "[green]allowed[/green]" if result.allowed else "[red]not allowed[/red]"
    amount = f" {result.amount:,} yuan" if result.amount is not None else ""
    console.print(f"[bold]{result.account_id}[/bold] · {result.action}{amount} · {verdict}"
                  + (f" · max now {result.max_amount_now:,}" if result.max_amount_now is not None else ""))
    console.print(f"policy {result.policy_version} · checked at {result.checked_at.isoformat()}")
    if result.reasons:
        reasons = Table("reason", "severity", "facts", "policy", title="Reasons")
        for r in result.reasons:
            reasons.add_row(r.code, r.severity, _fact_text(r.facts), ", ".join(r.policy_refs))
        console.print(reasons)
    else:
        console.print("No reason stops this action.")
    if result.next_steps:
        steps = Table("next step", "what to do", "when", "self-service", title="Next steps")
        for s in result.next_steps:
            text = s.text.zh if lang == "zh" else s.text.en
            steps.add_row(s.code, text, s.eta.strftime("%Y-%m-%d %H:%M") if s.eta else "", "yes" if s.self_service else "no")
        console.print(steps)
