"""Every benchmark in one run, side by side with a naive LangChain RAG baseline.

    python bench/run_all.py                 # everything (a few minutes: builds an index, starts the API)
    python bench/run_all.py --quick         # fewer rounds, no API load test
    python bench/run_all.py --skip api,cold

Works in a temporary data dir (nothing touches your own), in this order: index build time;
engine µs per check (bench/engine.py); retrieval p50/p95 (bench/retrieval.py's queries and
timer); `ask` end-to-end p50/p95 and CLI cold start (bench/ask.py); API throughput
(bench/api.py, if present); the public suite through `limit-assistant eval`; and the baseline
(bench/baseline_rag.py) on the same questions and the same suite. Prints a table with
our/baseline ratios and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "bench"
RESULTS = BENCH / "results.json"
PUBLIC_CASES = sorted((ROOT / "eval" / "cases").glob("*.jsonl"))


def _run_script(name: str, *args: str, timeout: int = 1800) -> str | None:
    """stdout of bench/<name> (None when the script is absent)."""
    script = BENCH / name
    if not script.is_file():
        return None
    done = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=timeout, env=os.environ.copy())
    if done.returncode != 0:
        print(f"  {name} failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return done.stdout


def index_build(settings: Any) -> dict[str, Any]:
    from knowledge.index import build_index

    started = time.perf_counter()
    build_index(settings, rebuild=True)
    return {"seconds": round(time.perf_counter() - started, 2), "embedder": settings.embedder}


def engine(quick: bool) -> dict[str, Any] | None:
    out = _run_script("engine.py", "--runs", "3000" if quick else "20000", "--warmup", "300" if quick else "2000")
    if out is None:
        return None
    figures = {}
    for action in ("borrow", "limit_status", "limit_increase"):
        found = re.search(rf"run_check {action} \(parsed\)\s+median\s+([\d.]+) µs\s+p95\s+([\d.]+)", out)
        if found:
            figures[action] = {"median_us": float(found.group(1)), "p95_us": float(found.group(2))}
    return figures


def retrieval(settings: Any, baseline_retriever: Any) -> dict[str, Any] | None:
    if not (BENCH / "retrieval.py").is_file():
        return None
    from bench.retrieval import latency, load_queries
    from knowledge.retrieval import get_retriever

    queries = load_queries()
    ours = latency(get_retriever(settings), queries)
    samples = []
    for query in queries * 3:
        started = time.perf_counter()
        baseline_retriever.invoke(query["query"])
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    base = {"p50_ms": round(samples[len(samples) // 2], 2), "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2)}
    return {"ours": ours, "baseline": base}


def api(quick: bool) -> dict[str, Any] | None:
    out = _run_script("api.py", "--requests", "300" if quick else "2000", "--warmup", "20")
    if out is None:
        return None
    found = {key: re.search(pattern, out) for key, pattern in (
        ("answers_per_s", r"throughput\s+([\d.]+)"), ("p50_ms", r"latency p50\s+([\d.]+)"), ("p95_ms", r"latency p95\s+([\d.]+)"))}
    return {key: float(m.group(1)) for key, m in found.items() if m}


def suite(out: Path) -> dict[str, Any]:
    from assistant.evaluation import EvalOptions, evaluate

    return evaluate(PUBLIC_CASES, EvalOptions(out=out))


def ratio(ours: float | None, base: float | None) -> str:
    if not ours or not base:
        return "–"
    return f"{ours / base:.2f}×"


def print_table(rows: list[tuple[str, Any, Any]]) -> None:
    print(f"\n{'measure':44} {'ours':>14} {'baseline RAG':>14} {'ours/baseline':>14}")
    print("-" * 90)
    for label, ours, base in rows:
        show = lambda v: "–" if v is None else (f"{v:.3f}" if isinstance(v, float) and v < 10 else f"{v:,.1f}" if isinstance(v, float) else str(v))
        print(f"{label:44} {show(ours):>14} {show(base):>14} {ratio(ours, base) if base is not None else '':>14}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip", default="", help="comma list of: engine,retrieval,ask,cold,api,suite")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    if args.quick:
        skip.add("api")
    with tempfile.TemporaryDirectory(prefix="la-bench-all-") as tmp:
        os.environ["LIMIT_ASSISTANT_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["LIMIT_ASSISTANT_LLM"] = "off"
        from assistant.settings import load_settings
        from bench import ask as ask_bench
        from bench.baseline_rag import build_chain, latency, score_suite

        settings = load_settings()
        results: dict[str, Any] = {"python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count()}
        print("index build …", file=sys.stderr)
        results["index_build"] = index_build(settings)
        chain, baseline_retriever = build_chain(settings)
        if "engine" not in skip:
            print("engine …", file=sys.stderr)
            results["engine"] = engine(args.quick)
        if "retrieval" not in skip:
            print("retrieval …", file=sys.stderr)
            results["retrieval"] = retrieval(settings, baseline_retriever)
        rounds = 5 if args.quick else 20
        if "ask" not in skip:
            print("ask …", file=sys.stderr)
            results["ask"] = {"ours": ask_bench.in_process(rounds),
                              "baseline": latency(chain, [q for _, q, _ in ask_bench.QUESTIONS], rounds)}
        if "cold" not in skip:
            print("CLI cold start …", file=sys.stderr)
            results["cli_cold_start"] = ask_bench.cold_start(2 if args.quick else 3)
        if "api" not in skip:
            print("API load …", file=sys.stderr)
            results["api"] = api(args.quick)
        if "suite" not in skip:
            print("public suite (ours, baseline) …", file=sys.stderr)
            ours = suite(Path(tmp) / "eval")
            base = score_suite(chain, baseline_retriever, PUBLIC_CASES)
            keys = [k for k in ours["by_key"] if ours["by_key"][k]["total"]]
            results["suite"] = {
                "cases": ours["cases"],
                "ours": {"pass_rate": ours["pass_rate"], "pass_rate_without_intent": None,
                         **{k: ours["by_key"][k]["rate"] for k in keys}, "turn_p50_ms": ours["timing"]["turn_ms_p50"],
                         "turn_p95_ms": ours["timing"]["turn_ms_p95"]},
                "baseline": {"pass_rate": base["pass_rate"], "pass_rate_without_intent": base["pass_rate_without_intent"],
                             **{k: base["by_key"][k]["rate"] for k in keys}, "turn_p50_ms": base["timing"]["turn_ms_p50"],
                             "turn_p95_ms": base["timing"]["turn_ms_p95"]},
            }
    print_table(table_rows(results))
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


def table_rows(results: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    rows: list[tuple[str, Any, Any]] = [("index build (s)", results["index_build"]["seconds"], None)]
    for action, figures in (results.get("engine") or {}).items():
        rows.append((f"engine {action} median (µs/check)", figures["median_us"], None))
    if results.get("retrieval"):
        r = results["retrieval"]
        rows += [("retrieval p50 (ms)", r["ours"]["p50_ms"], r["baseline"]["p50_ms"]),
                 ("retrieval p95 (ms)", r["ours"]["p95_ms"], r["baseline"]["p95_ms"])]
    if results.get("ask"):
        a = results["ask"]
        rows += [("ask end-to-end p50 (ms)", a["ours"]["all"]["p50_ms"], a["baseline"]["p50_ms"]),
                 ("ask end-to-end p95 (ms)", a["ours"]["all"]["p95_ms"], a["baseline"]["p95_ms"])]
    if results.get("cli_cold_start"):
        rows.append(("CLI cold start, ask (s)", results["cli_cold_start"]["median_s"], None))
    if results.get("api"):
        rows.append(("API /api/chat throughput (answers/s)", results["api"].get("answers_per_s"), None))
        rows.append(("API /api/chat p95 (ms)", results["api"].get("p95_ms"), None))
    if results.get("suite"):
        s = results["suite"]
        rows.append((f"public suite pass rate ({s['cases']} cases)", s["ours"]["pass_rate"], s["baseline"]["pass_rate"]))
        rows.append(("  … ignoring the intent key", s["ours"]["pass_rate"], s["baseline"]["pass_rate_without_intent"]))
        for key in ("reason_codes", "next_steps", "cite_sections", "must_mention", "refused", "handoff"):
            if key in s["ours"]:
                rows.append((f"  {key} pass rate", s["ours"][key], s["baseline"][key]))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
