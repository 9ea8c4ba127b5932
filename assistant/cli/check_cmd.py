"""`limit-assistant check ACCOUNT --action … [--amount] [--at] [--platform] [--json]`."""

from __future__ import annotations

import typer

from assistant.accounts import load_account, load_platform, looks_like_path
from assistant.cli._app import app, handle_errors, print_json
from assistant.cli.render import print_check
from assistant.services import Services
from tools.engine import run_check
from tools.inputs import parse_amount, parse_time


@app.command()
@handle_errors
def check(
    account: str = typer.Argument(..., help="Snapshot JSON file, or an account id in the account store."),
    action: str = typer.Option(..., "--action", help="borrow | limit_status | limit_increase"),
    amount: str | None = typer.Option(None, "--amount", help="Amount to draw, in yuan (borrow)."),
    at: str | None = typer.Option(None, "--at", help="Request time, ISO 8601 (default: the snapshot's as_of)."),
    platform: str | None = typer.Option(None, "--platform", help="Platform state JSON file."),
    as_json: bool = typer.Option(False, "--json", help="Print the check result as JSON."),
) -> None:
    """Run the deterministic limit check for one account."""
    requested = parse_amount(amount) if amount is not None else None
    request_time = parse_time(at) if at is not None else None
    explicit_platform = load_platform(platform)
    services = Services()
    store = None if looks_like_path(account) else services.store
    snapshot, stored_platform = load_account(account, store)
    result = run_check(snapshot, action, amount=requested, at=request_time,
                       platform=explicit_platform or stored_platform, policy=services.policy)
    if as_json:
        print_json(result.to_json(indent=2))
    else:
        print_check(result, services.settings.lang)
