"""`limit-assistant plan ACCOUNT [--amount N] [--at T] [--platform P] [--lang zh|en] [--json]`.

The recourse plan of CONTRACT.md section 9: `--json` prints exactly its JSON; otherwise a
readable timeline (now → each wait → "you can borrow up to X from T").
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from assistant.answers.format import when
from assistant.answers.plan_text import plan_sentences, step_phrases, timeline_label
from assistant.cli._app import app, handle_errors, print_json
from assistant.cli._request import resolve_request
from assistant.errors import UserInputError
from assistant.services import Services
from tools.inputs import parse_amount
from tools.plan import plan
from tools.plan_model import Plan

LANGS = ("zh", "en")


@app.command("plan")
@handle_errors
def plan_command(
    account: str = typer.Argument(..., help="Snapshot JSON file, or an account id in the account store."),
    amount: str | None = typer.Option(None, "--amount", help="Amount to borrow, in yuan (default: any draw)."),
    at: str | None = typer.Option(None, "--at", help="Request time, ISO 8601 (default: the snapshot's as_of)."),
    platform: str | None = typer.Option(None, "--platform", help="Platform state JSON file."),
    lang: str | None = typer.Option(None, "--lang", help="zh | en (default: the configured language)."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON (CONTRACT section 9)."),
) -> None:
    """The fastest way back to borrowing: what to do, in what order, and from when."""
    if lang is not None and lang not in LANGS:
        raise UserInputError(f"lang: must be one of {', '.join(LANGS)}, got {lang[:20]!r}")
    requested = parse_amount(amount) if amount is not None else None
    services = Services()
    request = resolve_request(account, at, platform, services)
    result = plan(request.snapshot, request.platform, services.policy, requested, request.at)
    if as_json:
        print_json(result.to_json(indent=2))
        return
    settings = services.settings
    chosen = lang or settings.lang
    product = settings.product_name_zh if chosen == "zh" else settings.product_name_en
    print_plan(result, request.snapshot.account_id, chosen, product)


def print_plan(result: Plan, account_id: str, lang: str, product: str) -> None:
    """The plan as a timeline table, with its sentences above it."""
    console = Console()
    goal = (timeline_label(lang, "goal_any") if result.goal.amount is None
            else timeline_label(lang, "goal", amount_part=f" {result.goal.amount:,}"))
    console.print(f"[bold]{account_id}[/bold] · {goal} · policy {result.policy_version}")
    for sentence in plan_sentences(result, lang, product):
        console.print(sentence)
    if not result.steps:
        return
    # The step codes are in --json; the table is for people: when, what, and what it clears.
    table = Table(title=timeline_label(lang, "title" if result.reachable else "helps"))
    for column in ("when", "what", "clears", "certain"):
        table.add_column(timeline_label(lang, column), overflow="fold")
    for step, phrase in zip(result.steps, step_phrases(result, lang)):
        moment = (timeline_label(lang, "now") if step.at == result.checked_at
                  else when(step.at, lang) if step.at is not None else "?")
        table.add_row(moment, phrase, "\n".join(step.clears), "✓" if step.certain else "?")
    if result.reachable and result.earliest_at is not None and result.amount_at_goal is not None:
        table.add_row(when(result.earliest_at, lang),
                      timeline_label(lang, "can_borrow", amount=f"{result.amount_at_goal:,}"), "", "")
    console.print(table)
    if any(not step.certain for step in result.steps):
        console.print(timeline_label(lang, "unsure"))
    if not result.reachable:
        console.print(timeline_label(lang, "blocked", codes=", ".join(result.blocked_by)))
