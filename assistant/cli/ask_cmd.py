"""`limit-assistant ask ACCOUNT "question" [--at] [--platform] [--conversation] [--json]`."""

from __future__ import annotations

import typer

from assistant.cli._app import app, handle_errors, print_json
from assistant.cli._request import resolve_request
from assistant.services import Services


@app.command()
@handle_errors
def ask(
    account: str = typer.Argument(..., help="Snapshot JSON file, or an account id in the account store."),
    question: str = typer.Argument(..., help="The customer's message, in Chinese or English."),
    at: str | None = typer.Option(None, "--at", help="Request time, ISO 8601 (default: the snapshot's as_of)."),
    platform: str | None = typer.Option(None, "--platform", help="Platform state JSON file."),
    conversation: str | None = typer.Option(None, "--conversation", help="Continue this conversation id."),
    as_json: bool = typer.Option(False, "--json", help="Print the contract's ask object as JSON."),
) -> None:
    """Ask the assistant a question about one account."""
    services = Services()
    request = resolve_request(account, at, platform, services)
    turn = services.assistant.ask(question, request.snapshot, platform=request.platform,
                                  at=request.at, conversation_id=conversation)
    typer.echo(f"conversation {turn.conversation_id} turn {turn.seq}", err=True)
    if as_json:
        print_json(turn.result.contract_view())
        return
    typer.echo(turn.result.answer)
    if turn.result.citations:
        typer.echo("")
        for c in turn.result.citations:
            typer.echo(f"  [{c.section_id}] {c.title} ({c.doc_id})")
