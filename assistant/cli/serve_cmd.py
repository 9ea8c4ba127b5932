"""`limit-assistant serve [--host] [--port] [--workers]`: the web UI, HTTP API and widget.

Builds the knowledge index first if it is missing (and says so), then runs uvicorn on
`app:build_app`. Without a secret (demo mode) it binds loopback only: demo accounts must never
be served to a network.
"""

from __future__ import annotations

import ipaddress

import typer

from assistant.cli._app import EXIT_USER_ERROR, app, fail, handle_errors
from assistant.settings import PACKAGE_ROOT, Settings, load_settings


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def _ensure_index(settings: Settings) -> None:
    from knowledge.index import ensure_index

    result = ensure_index(settings.knowledge, notify=lambda message: typer.echo(f"{message} (first start only)…", err=True))
    if result.built:
        chunks = sum(s.chunks for s in result.summaries)
        typer.echo(f"knowledge index ready ({chunks} chunks)", err=True)


@app.command()
@handle_errors
def serve(
    host: str | None = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1; demo mode: loopback only)."),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port (default 8000)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="uvicorn worker processes."),
) -> None:
    """Run the web UI (/ui), the HTTP API (/api, /v1) and the widget (/widget.js)."""
    settings = load_settings()
    host = host or settings.host
    port = port or settings.port
    if settings.demo_mode and not is_loopback(host):
        raise fail(f"demo mode (no LIMIT_ASSISTANT_SECRET) binds loopback only, not {host}: "
                   "use --host 127.0.0.1, or set LIMIT_ASSISTANT_SECRET (and API keys) for a real deployment",
                   EXIT_USER_ERROR)
    _ensure_index(settings)
    url = base_url(host, port)
    mode = "demo mode: demo accounts only, no secret configured" if settings.demo_mode else "signed user tokens and API keys"
    typer.echo(f"limit-assistant on {url} ({mode}, {workers} worker{'s' if workers > 1 else ''})")
    typer.echo(f"  chat UI      {url}/ui")
    typer.echo(f"  API schema   {url}/openapi.json   (/docs needs a CDN: blank offline)")
    typer.echo(f"  widget demo  {url}/widget/demo")

    import uvicorn

    uvicorn.run("app:build_app", factory=True, host=host, port=port, workers=workers,
                app_dir=str(PACKAGE_ROOT), log_level="info", proxy_headers=False)
