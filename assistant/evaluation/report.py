"""`report.html`: one self-contained page (inline CSS, charts as data URIs, no script, no CDN).

The page shows the summary numbers, the pass rate of every expectation key, the charts, the
per-code precision/recall, an optional diff against a baseline run, and every failing case with
the user's messages, expected against returned values, the answer and the check trace.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template
from typing import Any

from assistant.evaluation import charts
from assistant.evaluation.evaluators import missed_mentions

TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """Cells are HTML already (escaped by the caller)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cards(summary: dict[str, Any]) -> str:
    timing = summary["timing"]
    cards = [
        ("cases", summary["cases"], False),
        ("passed", summary["passed"], False),
        ("pass rate", _pct(summary["pass_rate"]), (summary["pass_rate"] or 0) < 1),
        (f"pass^{summary['pass_k']['k']}", _pct(summary["pass_k"]["pass_k"]), False),
        ("turn p50", f"{timing['turn_ms_p50']} ms", False),
        ("turn p95", f"{timing['turn_ms_p95']} ms", False),
        ("errors", summary["errors"], summary["errors"] > 0),
        ("invalid lines", summary["invalid_lines"], summary["invalid_lines"] > 0),
    ]
    return "".join(f'<div class="card{" bad" if bad else ""}"><b>{_e(v)}</b>{_e(k)}</div>' for k, v, bad in cards)


def _key_table(summary: dict[str, Any]) -> str:
    rows = [[_e(k), f'<span class="num">{v["passed"]}/{v["total"]}</span>', _pct(v["rate"])]
            for k, v in summary["by_key"].items() if v["total"]]
    return _table(["key", "passed / judged turns", "rate"], rows)


def _metric_table(summary: dict[str, Any]) -> str:
    refusal, cite = summary["refusal"], summary["citation_precision"]
    steps, reasons = summary["next_steps"], summary["reason_codes"]["micro"]
    rows = [
        ["reason codes (micro)", f"precision {_pct(reasons['precision'])}, recall {_pct(reasons['recall'])}"],
        ["next-step set accuracy", f"{_pct(steps['set_accuracy'])} (micro precision {_pct(steps['micro']['precision'])}, recall {_pct(steps['micro']['recall'])})"],
        ["refusal rate", f"{_pct(refusal['refusal_rate'])} of {refusal['should_refuse']} turns that must be refused"],
        ["false-refusal rate", f"{_pct(refusal['false_refusal_rate'])} of {refusal['should_answer']} turns that must be answered"],
        ["hand-off accuracy", _pct(summary["handoff_accuracy"])],
        ["citation precision", f"{_pct(cite['precision'])} ({cite['within_allowed']}/{cite['cited']} citations within the reasons' rules or the retrieved sections)"],
        ["latency per turn", f"p50 {summary['timing']['turn_ms_p50']} ms, p95 {summary['timing']['turn_ms_p95']} ms, max {summary['timing']['turn_ms_max']} ms"],
        ["wall time", f"{summary['timing']['wall_s']} s for {summary['timing']['turns']} turns"],
    ]
    return _table(["metric", "value"], [[_e(a), _e(b)] for a, b in rows])


def _reason_table(summary: dict[str, Any]) -> str:
    rows = [[f"<code>{_e(code)}</code>", str(c["tp"]), str(c["fp"]), str(c["fn"]), _pct(c["precision"]), _pct(c["recall"])]
            for code, c in summary["reason_codes"]["per_code"].items()]
    return _table(["code", "tp", "fp", "fn", "precision", "recall"], rows)


def _charts(summary: dict[str, Any], lines: list[dict[str, Any]]) -> str:
    latencies = [t["latency_ms"] for line in lines for t in line["turns"]]
    uris = [
        charts.pass_rate_bars(summary["by_intent"], "Cases passed per expected intent"),
        charts.pass_rate_bars(summary["by_reason_code"], "Cases passed per expected reason code"),
        charts.latency_histogram(latencies),
        charts.confusion_matrix(summary["intent_confusion"]),
    ]
    return "".join(f'<img alt="chart" src="{uri}">' for uri in uris if uri)


def _baseline(diff: dict[str, list[str]] | None, baseline_dir: str | None) -> str:
    if diff is None:
        return ""
    parts = [f"<h2>Against the baseline {_e(baseline_dir or '')}</h2>"]
    for key, label in (("newly_failing", "Newly failing"), ("newly_passing", "Newly passing"),
                       ("new_cases", "New cases"), ("removed_cases", "Removed cases")):
        ids = diff[key]
        items = "".join(f'<li><a href="#case-{_e(i)}">{_e(i)}</a></li>' for i in ids) or "<li>none</li>"
        parts.append(f'<h3>{label} ({len(ids)})</h3><ul class="diff">{items}</ul>')
    return "".join(parts)


def _got(key: str, output: dict[str, Any]) -> Any:
    if key == "cite_sections":
        return [c["section_id"] for c in output.get("citations") or []]
    if key in ("must_mention", "must_not_mention"):
        return "(see the answer)"
    return output.get(key)


def _turn(index: int, turn: dict[str, Any]) -> str:
    output = turn["output"]
    rows = []
    for key, ok in turn["expect"].items():
        expected = turn["expected"][key]
        got = _got(key, output)
        if key == "must_mention" and not ok:
            got = f"missing: {missed_mentions(expected, output)}"
        verdict = '<span class="pass">pass</span>' if ok else '<span class="fail">FAIL</span>'
        rows.append([_e(key), f"<code>{_e(json.dumps(expected, ensure_ascii=False))}</code>",
                     f"<code>{_e(json.dumps(got, ensure_ascii=False) if not isinstance(got, str) else got)}</code>", verdict])
    judged = _table(["key", "expected", "got", ""], rows) if rows else "<p>(not judged)</p>"
    return (f'<div class="turn"><div class="user">turn {index + 1} · user: {_e(turn["user"])}</div>'
            f'{judged}<div class="answer">{_e(output.get("answer", ""))}</div>{_trace(turn["checks"])}</div>')


def _trace(checks: list[dict[str, Any]]) -> str:
    parts = []
    for check in checks:
        rows = [[_e(e["rule"]), f"<code>{_e(json.dumps(e['inputs'], ensure_ascii=False))}</code>", _e(e["outcome"])]
                for e in check.get("trace", [])]
        title = (f"check trace: {check.get('action')} amount={check.get('amount')} allowed={check.get('allowed')} "
                 f"max_amount_now={check.get('max_amount_now')} reasons={check.get('reasons') and [r['code'] for r in check['reasons']]}")
        parts.append(f'<details><summary>{_e(title)}</summary><div class="trace">{_table(["rule", "inputs", "outcome"], rows)}</div></details>')
    return "".join(parts)


def _failures(lines: list[dict[str, Any]]) -> str:
    failing = [line for line in lines if not line["passed"]]
    if not failing:
        return "<p>None: every case passed.</p>"
    blocks = []
    for line in failing:
        error = f'<p class="fail">{_e(line["error"])}</p>' if line.get("error") else ""
        runs = f" · runs passed: {line['runs_passed']}" if "runs_passed" in line else ""
        turns = "".join(_turn(i, t) for i, t in enumerate(line["turns"]))
        blocks.append(f'<details class="case" id="case-{_e(line["id"])}"><summary>{_e(line["id"])} '
                      f'<span class="meta">({_e(line["file"])}:{line["line"]}{runs})</span></summary>{error}{turns}</details>')
    return "".join(blocks)


def render_report(summary: dict[str, Any], lines: list[dict[str, Any]], *, title: str = "",
                  diff: dict[str, list[str]] | None = None, baseline_dir: str | None = None) -> str:
    """The whole page as one string."""
    meta = (f"{summary['cases']} cases from {', '.join(summary.get('files', []))} · LLM {summary.get('llm', 'off')} · "
            f"repeat {summary['pass_k']['k']} · workers {summary.get('workers', 1)} · policy {summary.get('policy_version', '')}")
    failing = sum(not line["passed"] for line in lines)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=_e(title or "run"), meta=_e(meta), cards=_cards(summary), key_table=_key_table(summary),
        metric_table=_metric_table(summary), baseline=_baseline(diff, baseline_dir),
        charts=_charts(summary, lines), reason_table=_reason_table(summary),
        failure_count=str(failing), failures=_failures(lines),
    )
