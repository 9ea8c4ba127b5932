"""The run's files: `results.jsonl` (one line per case) and `summary.json`, and reading a
previous run back for `--baseline`.

With `--repeat K`, a case's line holds the first run's turns; `passed` is pass^k (every run
passed) and `runs_passed` lists each run's verdict.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import UserInputError
from assistant.evaluation.runner import CaseOutcome

RESULTS = "results.jsonl"
SUMMARY = "summary.json"
REPORT = "report.html"


def case_line(runs: Sequence[CaseOutcome]) -> dict[str, Any]:
    first = runs[0]
    line: dict[str, Any] = {
        "id": first.id,
        "passed": all(o.passed for o in runs),
        "turns": [t.to_data() for t in first.turns],
        "file": first.file,
        "line": first.line,
        "tags": first.tags,
    }
    if len(runs) > 1:
        line["runs_passed"] = [o.passed for o in runs]
    if first.error:
        line["error"] = first.error
    return line


def result_lines(runs: Sequence[Sequence[CaseOutcome]]) -> list[dict[str, Any]]:
    """One line per case, in case order."""
    return [case_line([run[i] for run in runs]) for i in range(len(runs[0]))] if runs else []


def write_outputs(out: Path, lines: list[dict[str, Any]], summary: dict[str, Any], report_html: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / RESULTS).open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    (out / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    (out / REPORT).write_text(report_html, encoding="utf-8")


def read_baseline(directory: Path) -> dict[str, bool]:
    """{case id: passed} of a previous run's `results.jsonl`."""
    path = directory / RESULTS
    if not path.is_file():
        raise UserInputError(f"--baseline {directory}: no {RESULTS} there (give the --out DIR of an earlier run)")
    verdicts: dict[str, bool] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            verdicts[str(data["id"])] = bool(data["passed"])
        except (json.JSONDecodeError, KeyError, TypeError):
            raise UserInputError(f"--baseline {path}:{number}: not a results line") from None
    return verdicts


def baseline_diff(current: list[dict[str, Any]], baseline: dict[str, bool]) -> dict[str, list[str]]:
    """Cases that newly fail, newly pass, are new, or disappeared since the baseline run."""
    now = {line["id"]: bool(line["passed"]) for line in current}
    return {
        "newly_failing": sorted(i for i, ok in now.items() if not ok and baseline.get(i) is True),
        "newly_passing": sorted(i for i, ok in now.items() if ok and baseline.get(i) is False),
        "new_cases": sorted(i for i in now if i not in baseline),
        "removed_cases": sorted(i for i in baseline if i not in now),
    }
