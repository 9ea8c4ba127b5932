"""`limit-assistant token ACCOUNT_ID [--ttl 3600] [--json]`: mint a signed user token (testing,
support tools). The token format is described in assistant/web/tokens.py."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from assistant.cli._app import EXIT_CONFIG_ERROR, app, fail, handle_errors, print_json
from assistant.settings import load_settings
from assistant.web.tokens import mint_token, verify_token

MAX_TTL_SECONDS = 30 * 24 * 3600


@app.command()
@handle_errors
def token(
    account_id: str = typer.Argument(..., help="The account the token may reach."),
    ttl: int = typer.Option(3600, "--ttl", min=1, max=MAX_TTL_SECONDS, help="Seconds until it expires."),
    as_json: bool = typer.Option(False, "--json", help="Print {token, account_id, expires_at} as JSON."),
) -> None:
    """Mint a user token for one account, signed with LIMIT_ASSISTANT_SECRET."""
    settings = load_settings()
    if not settings.secret:
        raise fail("LIMIT_ASSISTANT_SECRET is not set: user tokens are signed with it "
                   "(without it the server runs in demo mode and needs no token)", EXIT_CONFIG_ERROR)
    if not account_id.strip() or len(account_id) > 128:
        raise fail("account id must be 1 to 128 characters")
    minted = mint_token(account_id, settings.secret, ttl_seconds=ttl)
    expires = datetime.fromtimestamp(verify_token(minted, settings.secret).expires_at, UTC)
    if as_json:
        print_json({"token": minted, "account_id": account_id, "expires_at": expires.isoformat()})
        return
    typer.echo(minted)
    typer.echo(f"(account {account_id}, expires {expires.isoformat()})", err=True)
