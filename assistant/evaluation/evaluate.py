"""One evaluation run, from case files to the three output files (CONTRACT.md section 6)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import UserInputError
from assistant.evaluation.cases import CaseSource, LineError, load_cases
from assistant.evaluation.metrics import summarise
from assistant.evaluation.outputs import baseline_diff, read_baseline, result_lines, write_outputs
from assistant.evaluation.report import render_report
from assistant.evaluation.runner import (
    CaseOutcome,
    CaseRunner,
    run_cases,
    scratch_settings,
    store_loader,
    warm_up,
)
from assistant.settings import Settings, load_settings

MAX_REPEAT = 100
MAX_WORKERS = 32


@dataclass(frozen=True)
class EvalOptions:
    out: Path
    repeat: int = 1
    workers: int = 1
    llm: str = "off"
    keep_going: bool = False
    baseline: Path | None = None


class InvalidCases(UserInputError):
    """Some case lines are invalid and --keep-going was not given."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} invalid case line(s); fix them or pass --keep-going")


def eval_settings(llm: str) -> Settings:
    """The configured settings with the LLM switched as asked (`on` needs an endpoint)."""
    if llm not in ("on", "off"):
        raise UserInputError(f"--llm must be on or off, not {llm!r}")
    return load_settings(llm="openai" if llm == "on" else "off")


def prepare(paths: list[Path], options: EvalOptions) -> tuple[list[CaseSource], list[LineError]]:
    """Validate the options and every case line before anything runs."""
    if not 1 <= options.repeat <= MAX_REPEAT:
        raise UserInputError(f"--repeat must be between 1 and {MAX_REPEAT}")
    if not 1 <= options.workers <= MAX_WORKERS:
        raise UserInputError(f"--workers must be between 1 and {MAX_WORKERS}")
    if not paths:
        raise UserInputError("give at least one CASES.jsonl file")
    cases, errors = load_cases(paths)
    if errors and not options.keep_going:
        raise InvalidCases(errors)
    if not cases:
        raise UserInputError("no valid case to run")
    return cases, errors


def evaluate(paths: list[Path], options: EvalOptions, *, settings: Settings | None = None,
             on_start: Callable[[int], None] | None = None,
             on_done: Callable[[CaseOutcome], None] | None = None,
             cases: list[CaseSource] | None = None, invalid: int = 0) -> dict[str, Any]:
    """Run the cases and write results.jsonl, summary.json and report.html to `options.out`.

    Returns the summary. `on_start(total)` and `on_done(outcome)` drive a progress bar.
    """
    from assistant.services import Services

    if cases is None:
        cases, errors = prepare(paths, options)
        invalid = len(errors)
    baseline = read_baseline(options.baseline) if options.baseline else None
    settings = settings or eval_settings(options.llm)
    configured = Services(settings)
    with tempfile.TemporaryDirectory(prefix="limit-assistant-eval-") as scratch:
        services = Services(scratch_settings(settings, Path(scratch)))
        warm_up(services)
        runner = CaseRunner(services, store_loader(configured))
        if on_start is not None:
            on_start(len(cases) * options.repeat)
        started = time.perf_counter()
        runs = run_cases(runner, cases, repeat=options.repeat, workers=options.workers, on_done=on_done)
        wall_s = time.perf_counter() - started
        policy_version = services.policy.policy_version
    lines = result_lines(runs)
    extra = {"files": [str(p) for p in paths], "llm": options.llm, "workers": options.workers,
             "policy_version": policy_version}
    summary = summarise(runs, wall_s=wall_s, invalid=invalid, extra=extra)
    diff = baseline_diff(lines, baseline) if baseline is not None else None
    if diff is not None:
        summary["baseline"] = {"dir": str(options.baseline), **diff}
    report = render_report(summary, lines, title=str(options.out), diff=diff,
                           baseline_dir=str(options.baseline) if options.baseline else None)
    write_outputs(options.out, lines, summary, report)
    return summary
