"""Benchmark of message understanding: prints figures, asserts nothing.

    python bench/nlu.py [--split test|dev] [--errors N] [--no-latency] [--json out.json]

Reports, for the shipped intent model (assistant/nlu/data/intent_model.npz):
- intent accuracy, overall and on in-scope questions, per language, on the frozen test split
  (datasets/intents; `--split dev` while tuning: report test once per model change);
- the same through the whole `understand()` (cues and greeting rules included);
- later checks: messages written after the freeze that hash to test (never trained or tuned on),
  per source file, through `understand()` (read with the test split, once per model change);
- paraphrase consistency: AFQMC label-1 pairs, neither side trained on, both sides read as in
  scope, that get the same intent;
- `understand()` latency per message on one core: p50/p95 with fresh messages (the sentence
  embedding computed) and repeated ones (embedding cached), beside a baseline: normalisation only;
- the intent model's own part for a fresh message: `scores()` with the vector computed on demand
  (only when its chars-only head is unsure), beside the same model made to embed every message.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def accuracy(split: str, errors: int) -> dict[str, Any]:
    from assistant.nlu import understand
    from assistant.nlu.intent_model import default_model
    from assistant.nlu.training.data import labelled_items
    from assistant.nlu.training.evaluate import by_language, predict
    from assistant.nlu.training.splits import check_frozen, load_labelled

    check_frozen(load_labelled())
    items = labelled_items(split)  # type: ignore[arg-type]
    model_only = by_language(items, predict(default_model(), [i.text for i in items]))
    now = datetime.fromisoformat("2026-11-20T10:00:00+08:00")
    whole = [understand(i.original, now=now).intent for i in items]
    through = by_language(items, whole)
    if errors:
        wrong = [(i.original, i.intent, p) for i, p in zip(items, whole) if p != i.intent]
        for text, gold, got in wrong[:errors]:
            print(f"  {gold:>24} → {got:<24} {text}")
    return {"model": {k: v.as_dict() for k, v in model_only.items()},
            "understand": {k: v.as_dict() for k, v in through.items()},
            "confusions": through["all"].confusions}


def held_aside() -> dict[str, Any]:
    from assistant.nlu import understand
    from assistant.nlu.normalize import normalize
    from assistant.nlu.training.data import TrainingItem
    from assistant.nlu.training.evaluate import figures
    from assistant.nlu.training.splits import load_held_aside

    now = datetime.fromisoformat("2026-11-20T10:00:00+08:00")
    held = load_held_aside()
    out: dict[str, Any] = {}
    for source in sorted({i.source for i in held}):
        chosen = [i for i in held if i.source == source]
        items = [TrainingItem(normalize(i.text), i.intent, i.lang, 1.0, i.text) for i in chosen]
        out[source] = figures(items, [understand(i.text, now=now).intent for i in chosen]).as_dict()
    return out


def paraphrases() -> dict[str, Any]:
    from assistant.nlu.intent_model import default_model
    from assistant.nlu.training.data import training_items
    from assistant.nlu.training.evaluate import paraphrase_consistency

    trained = {i.original for i in training_items("train")}
    return paraphrase_consistency(default_model(), trained)


def latency(measured: str) -> dict[str, Any]:
    from assistant.nlu import understand
    from assistant.nlu.normalize import normalize
    from assistant.nlu.training.data import labelled_items
    from assistant.nlu.training.splits import Split

    # Texts of a split the accuracy pass above did not read: it left its own split's embeddings in
    # the encoder's cache, and a "fresh" message must be embedded.
    measured_elsewhere: Split = "train" if measured == "dev" else "dev"
    texts = [i.original for i in labelled_items(measured_elsewhere)][:400]
    now = datetime.fromisoformat("2026-11-20T10:00:00+08:00")
    understand("warm up", now=now)
    figures: dict[str, Any] = {}
    for name, fn in (("baseline: normalise only", normalize),
                     ("understand, fresh message (embedding computed)", lambda t: understand(t, now=now)),
                     ("understand, repeated message (embedding cached)", lambda t: understand(t, now=now))):
        samples = []
        for text in texts:
            started = time.perf_counter()
            fn(text)
            samples.append((time.perf_counter() - started) * 1000)
        figures[name] = {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(_p(samples, 0.95), 2)}
    figures.update(intent_model_latency([i.text for i in labelled_items(measured_elsewhere)][400:800]))
    return figures


def intent_model_latency(normalized: list[str]) -> dict[str, Any]:
    """The intent model's part of a fresh message, the fast path on and off, on alternate texts
    (none embedded yet) so that both see the same load."""
    import numpy as np

    from assistant.nlu import intent_model
    from assistant.nlu.encoder import encode

    embedded: list[str] = []

    def vector_of(text: str) -> intent_model.VectorSource:
        def vector() -> np.ndarray:
            embedded.append(text)
            return encode([text])[0]
        return vector

    model = intent_model.default_model()
    runs: dict[str, list[float]] = {"intent model, fresh message (vector when unsure)": [],
                                    "intent model, fresh message (vector always)": []}
    skipped = 0
    for k, text in enumerate(normalized):
        always = k % 2 == 1
        threshold = intent_model.FAST_PATH_CONFIDENCE
        intent_model.FAST_PATH_CONFIDENCE = 2.0 if always else threshold
        asked = len(embedded)
        started = time.perf_counter()
        model.scores(text, vector_of(text))
        runs[list(runs)[always]].append((time.perf_counter() - started) * 1000)
        intent_model.FAST_PATH_CONFIDENCE = threshold
        skipped += not always and len(embedded) == asked
    return {**{name: {"p50_ms": round(statistics.median(s), 2), "p95_ms": round(_p(s, 0.95), 2)}
               for name, s in runs.items()},
            "intent model, share of fresh messages read without the vector":
                round(skipped / len(runs["intent model, fresh message (vector when unsure)"]), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--errors", type=int, default=0, help="print this many misread messages")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report: dict[str, Any] = {"split": args.split, "accuracy": accuracy(args.split, args.errors),
                              "paraphrase_consistency": paraphrases()}
    if args.split == "test":
        report["held_aside"] = held_aside()
    if not args.no_latency:
        report["latency"] = latency(args.split)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
