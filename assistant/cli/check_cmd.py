"""`limit-assistant check ACCOUNT --action … [--amount] [--at] [--platform] [--json]`."""

from __future__ import annotations

import typer

from assistant.cli._app import app, handle_errors, print_json
from assistant.cli._request import resolve_request
from assistant.services import Services
from tools.engine import run_check
from tools.inputs import parse_amount


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
    services = Services()
    request = resolve_request(account, at, platform, services)
    result = run_check(request.snapshot, action, amount=requested, at=request.at,
                       platform=request.platform, policy=services.policy)
    if as_json:
        print_json(result.to_json(indent=2))
    else:
        from assistant.cli.render import print_check  # rich: only for the table

        print_check(result, services.settings.lang)
