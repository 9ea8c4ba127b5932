"""`limit-assistant eval CASES.jsonl [more…] --out DIR [--repeat K] [--baseline DIR] [--llm on|off]
[--workers N] [--keep-going] [--json]`: a scripted evaluation run (CONTRACT.md section 6)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assistant.cli._app import app, handle_errors, print_json

if TYPE_CHECKING:
    from assistant.evaluation.cases import CaseSource
    from assistant.evaluation.evaluate import EvalOptions
    from assistant.evaluation.runner import CaseOutcome


@app.command("eval")
@handle_errors
def eval_command(
    cases: list[Path] = typer.Argument(..., help="Case files (JSONL, one case per line)."),
    out: Path = typer.Option(..., "--out", help="Directory for results.jsonl, summary.json and report.html."),
    repeat: int = typer.Option(1, "--repeat", help="Run every case K times and report pass^k."),
    baseline: Path | None = typer.Option(None, "--baseline", help="An earlier run's --out DIR to diff against."),
    llm: str = typer.Option("off", "--llm", help="on: phrase answers with the configured LLM; off: deterministic."),
    workers: int = typer.Option(1, "--workers", help="Cases run in parallel (threads)."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Run the valid cases even if some lines are invalid."),
    as_json: bool = typer.Option(False, "--json", help="Print summary.json to stdout."),
) -> None:
    """Run evaluation cases through the assistant and write a report."""
    from assistant.evaluation.evaluate import EvalOptions, InvalidCases, prepare

    options = EvalOptions(out=out, repeat=repeat, workers=workers, llm=llm, keep_going=keep_going, baseline=baseline)
    try:
        valid, errors = prepare(cases, options)
    except InvalidCases as exc:
        for error in exc.errors:
            typer.echo(f"error: {error}", err=True)
        raise
    for error in errors:
        typer.echo(f"skipped: {error}", err=True)
    summary = _run_with_progress(cases, options, valid, len(errors))
    if as_json:
        print_json(summary)
        return
    _print_summary(summary, out)


def _run_with_progress(cases: list[Path], options: EvalOptions, valid: list[CaseSource],
                       invalid: int) -> dict[str, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.evaluation.evaluate import evaluate

    console = Console(stderr=True)
    failed = 0
    with Progress(TextColumn("[bold]eval"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]} failing"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("eval", total=None, failed=0)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_done(outcome: CaseOutcome) -> None:
            nonlocal failed
            failed += not outcome.passed
            progress.update(task, advance=1, failed=failed)

        return evaluate(cases, options, on_start=on_start, on_done=on_done, cases=valid, invalid=invalid)


def _print_summary(summary: dict[str, Any], out: Path) -> None:
    def pct(rate: float | None) -> str:
        return "–" if rate is None else f"{rate * 100:.1f}%"

    typer.echo(f"{summary['passed']}/{summary['cases']} cases passed ({pct(summary['pass_rate'])}); "
               f"pass^{summary['pass_k']['k']} {pct(summary['pass_k']['pass_k'])}")
    for key, value in summary["by_key"].items():
        if value["total"]:
            typer.echo(f"  {key:18} {value['passed']:4}/{value['total']:<4} {pct(value['rate'])}")
    timing = summary["timing"]
    typer.echo(f"  latency per turn p50 {timing['turn_ms_p50']} ms, p95 {timing['turn_ms_p95']} ms; "
               f"wall {timing['wall_s']} s")
    if "baseline" in summary:
        diff = summary["baseline"]
        typer.echo(f"  vs baseline: {len(diff['newly_failing'])} newly failing, {len(diff['newly_passing'])} newly passing")
    typer.echo(f"wrote {out / 'results.jsonl'}, {out / 'summary.json'}, {out / 'report.html'}")
