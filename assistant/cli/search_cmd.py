"""`limit-assistant search "query" [--k 5] [--lang zh|en] [--json]`: the knowledge sections
retrieved for a query, best first (CONTRACT.md section 5)."""

from __future__ import annotations

import typer

from assistant.cli._app import app, handle_errors, print_json
from assistant.errors import UserInputError
from assistant.settings import load_settings


@app.command()
@handle_errors
def search(
    query: str = typer.Argument(..., help="What to look for, in Chinese or English."),
    k: int = typer.Option(5, "--k", help="How many sections to return."),
    lang: str | None = typer.Option(None, "--lang", help="zh | en (default: the query's language)."),
    as_json: bool = typer.Option(False, "--json", help="Print [{doc_id, section_id, title, text, score}]."),
) -> None:
    """Search the policy documents (builds the index on first use)."""
    from rich.console import Console

    from knowledge.retrieval import get_retriever

    if lang is not None and lang not in ("zh", "en"):
        raise UserInputError(f"--lang must be zh or en, not {lang!r}")
    err = Console(stderr=True)
    retriever = get_retriever(load_settings().knowledge, notify=lambda message: err.print(f"[dim]{message}…[/]"))
    hits = retriever.search(query, k=k, lang=lang)
    if as_json:
        print_json([hit.model_dump() for hit in hits])
        return
    _print_table(hits)


def _print_table(hits: list) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.table import Table

    if not hits:
        Console().print("no matching section")
        return
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("section")
    table.add_column("title")
    table.add_column("text", ratio=3)
    table.add_column("score", justify="right")
    for rank, hit in enumerate(hits, start=1):
        excerpt = hit.text if len(hit.text) <= 160 else hit.text[:160] + "…"
        table.add_row(str(rank), f"{hit.doc_id}\n#{hit.section_id}", hit.title, excerpt, f"{hit.score:.3f}")
    Console().print(table)
