"""`limit-assistant accounts list [--json] [--demo]`: the accounts in the configured store."""

from __future__ import annotations

import typer

from assistant.cli._app import app, handle_errors, print_json
from assistant.errors import UserInputError
from assistant.services import Services

accounts_app = typer.Typer(
    help="Accounts in the account store (the demo accounts by default).", no_args_is_help=True
)
app.add_typer(accounts_app, name="accounts")


@accounts_app.command("list")
@handle_errors
def list_accounts(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
    demo_only: bool = typer.Option(False, "--demo", help="Only the demo accounts."),
    lang: str | None = typer.Option(
        None, "--lang", help="Description language, zh or en (default: settings)."
    ),
) -> None:
    """List account ids with a one-line description."""
    services = Services()
    lang = lang or services.settings.lang
    if lang not in ("zh", "en"):
        raise UserInputError(f"--lang must be zh or en, not {lang!r}")
    summaries = services.store.accounts.list(demo_only=demo_only)
    if as_json:
        print_json(
            [
                {
                    "account_id": s.account_id,
                    "description": s.describe(lang),
                    "description_zh": s.description,
                    "description_en": s.description_en,
                    "is_demo": s.is_demo,
                }
                for s in summaries
            ]
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(summaries)} accounts ({services.store.backend})")
    table.add_column("account", style="bold cyan", no_wrap=True)
    table.add_column("demo", justify="center")
    table.add_column("description", overflow="fold")
    for s in summaries:
        table.add_row(s.account_id, "✓" if s.is_demo else "", s.describe(lang))
    Console().print(table)
