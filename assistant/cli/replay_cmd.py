"""`limit-assistant replay CONVERSATION_ID [--turn N] [--json] [--policy FILE]`.

Re-runs each recorded turn with the current code and policy (or `--policy FILE`: "what would
the new policy have said?") and prints `{"identical", "turns": [{"turn", "identical",
"differences": [{"field", "before", "after", "cause"}]}]}`. Exit 0 when identical, 1 when not
(like `diff`), 2 for bad input. Nothing is written to the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from assistant.cli._app import app, handle_errors, print_json
from assistant.decisions import canonical_json
from assistant.errors import UserInputError
from assistant.replay import ReplayReport, replay
from assistant.services import Services

VALUE_CHARS = 80  # the table shows the start of a long value; --json has all of it


@app.command("replay")
@handle_errors
def replay_command(
    conversation_id: str = typer.Argument(..., help="The conversation to replay (printed by `ask`)."),
    turn: int | None = typer.Option(None, "--turn", help="Report only this turn (earlier turns still run)."),
    policy: Path | None = typer.Option(None, "--policy", help="Replay against this policy file instead."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
) -> None:
    """Replay a conversation's decisions with the current code and policy; exit 1 if any differs."""
    if turn is not None and turn < 1:
        raise UserInputError("--turn: must be 1 or more")
    if policy is not None and not policy.is_file():
        raise UserInputError(f"--policy: no such file {policy}")
    report = replay(Services(), conversation_id, turn=turn, policy_file=policy)
    if as_json:
        print_json(json.dumps(report.to_data(), ensure_ascii=False, indent=2, default=str))
    else:
        print_report(report)
    raise typer.Exit(0 if report.identical else 1)


def print_report(report: ReplayReport) -> None:
    console = Console()
    differing = [t for t in report.turns if not t.identical]
    verdict = ("[green]identical[/green]" if report.identical
               else f"[red]{len(differing)} of {len(report.turns)} turns differ[/red]")
    console.print(f"[bold]{report.conversation_id}[/bold] · {verdict}"
                  + (f" · policy {report.policy_file}" if report.policy_file else ""))
    for change in report.changes:
        console.print(f"changed since recorded: {change['component']} ({change['field']}: "
                      f"{_short(change['before'])} → {_short(change['after'])})")
    table = Table("turn", "identical", "field", "before", "after", "cause")
    for turn in report.turns:
        if turn.identical:
            table.add_row(str(turn.turn), "✓", "", "", "", "")
        mark = "✗" if turn.outcome_changed else "✗ (trace)"
        for difference in turn.differences:
            before, after = _delta(difference.before, difference.after)
            table.add_row(str(turn.turn), mark, difference.field, _short(before), _short(after), difference.cause)
    console.print(table)
    console.print(f"replayed {len(report.replayed)} turns, {report.ms_per_turn:.1f} ms per turn "
                  f"(set-up {1000 * report.setup_seconds:.0f} ms)")


def _delta(before: Any, after: Any) -> tuple[Any, Any]:
    """Of two objects, only the keys whose values differ (recursively): what a reader looks for."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return before, after
    old, new = {}, {}
    for key in [*before, *(k for k in after if k not in before)]:
        if canonical_json(before.get(key)) != canonical_json(after.get(key)):
            old[key], new[key] = _delta(before.get(key), after.get(key))
    return old, new


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS - 1] + "…"
