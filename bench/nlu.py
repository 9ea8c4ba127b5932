"""Benchmark of message understanding: prints figures, asserts nothing.

    python bench/nlu.py [--afqmc ../shared/datasets/afqmc/train.csv] [--errors]

Reports: accuracy, per-language accuracy and per-intent F1 on the held-out split
(assistant/nlu/data/intents_test.jsonl, never used for training); accuracy on hand-labelled real
AFQMC questions (test data only, if the file is present); the share of label-1 AFQMC pairs about
limits/borrowing that get the same intent; cold start (import + training) and p50/p95 latency of
`understand` after warm-up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_AFQMC = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "afqmc" / "train.csv"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--afqmc", type=Path, default=DEFAULT_AFQMC)
    parser.add_argument("--errors", action="store_true", help="print misclassified examples")
    args = parser.parse_args()

    started = time.perf_counter()
    from assistant.nlu import understand
    from assistant.nlu.classifier import DATA_DIR, default_classifier, load_examples
    from assistant.nlu.evaluation import (
        REFERENCE_NOW,
        evaluate_intents,
        load_afqmc_pairs,
        paraphrase_consistency,
    )

    imported = time.perf_counter()
    default_classifier()
    trained = time.perf_counter()
    figures: dict[str, object] = {
        "cold_start_s": {
            "import": round(imported - started, 3),
            "train": round(trained - imported, 3),
        }
    }

    held_out = evaluate_intents(load_examples(DATA_DIR / "intents_test.jsonl"))
    figures["held_out"] = held_out.model_dump(exclude={"errors"})
    labelled_real = DATA_DIR / "afqmc_labelled_test.jsonl"
    if labelled_real.exists():
        real = evaluate_intents(load_examples(labelled_real))
        figures["afqmc_labelled"] = real.model_dump(exclude={"errors", "accuracy_by_lang"})
    if args.afqmc.exists():
        figures["afqmc_paraphrase"] = paraphrase_consistency(
            load_afqmc_pairs(args.afqmc)
        ).model_dump()

    texts = [e.text for e in load_examples(DATA_DIR / "intents_test.jsonl")]
    timings = []
    for _ in range(3):
        for text in texts:
            t0 = time.perf_counter()
            understand(text, now=REFERENCE_NOW, previous_intent="cannot_borrow")
            timings.append((time.perf_counter() - t0) * 1000)
    figures["latency_ms"] = {
        "calls": len(timings),
        "p50": round(statistics.median(timings), 3),
        "p95": round(_percentile(timings, 0.95), 3),
        "max": round(max(timings), 3),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.errors:
        for text, expected, got in held_out.errors:
            print(f"{expected:24} → {got:24} {text}")


if __name__ == "__main__":
    main()
