"""Train the safety model: `python -m assistant.safety.train [--lofo]`.

Rebuilds `assistant/safety/data/safety_model.npz` bit for bit from the corpus (the frozen split
of assistant.safety.corpus): train on the train split plus the intents data's train split as
extra negatives, calibrate and choose thresholds on dev (the dev split and the blind development
set eval/dev/safety.jsonl together), report test once. `--lofo` also trains
one model per family without that family and reports its recall on the family's test items,
written with the other figures to `data/safety_report.json`. The guard's fast path
(`data/fast_path.npz`, see `fit_fast_path`) is fitted to the model just written;
`--fast-path-only` fits it to the shipped model without retraining.

Thresholds are chosen on dev for the guard as it runs: an attack the request layer
(assistant.safety.requests) refuses anyway is not a miss of the model.

Every view of a training message is a training row with the message's label (so the model sees
pinyin-, leetspeak- and payload-wrapped attacks and also innocent messages in those readings);
multi-turn conversations add a `context` row. Features: character 1–4-grams (TF-IDF) and the
shared sentence vector. Sentence vectors are cached in `.cache/safety/` (not shipped: a cache
only saves time, the vectors are the encoder's).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from assistant.nlu.training.train import build_platform, start_single_threaded
from assistant.safety.corpus import (
    ATTACKS,
    BLIND_DEV,
    FAMILIES,
    NEAR_MISSES,
    ROOT,
    Conversation,
    by_split,
    check_frozen,
    load_blind_dev,
    load_corpus,
    load_intent_negatives,
)
from assistant.safety.features import char_ngrams, context_text, model_text
from assistant.safety.guard import Guard
from assistant.safety.lexicon import build_lexicon
from assistant.safety.model import (
    ARTEFACT,
    FAST_PATH,
    SafetyModel,
    pinyin_lexicon,
    reading_pinyin_with,
    save_arrays,
)
from assistant.safety.normalize import EMPTY_LEXICON, Lexicon, base_text, views

CACHE_DIR = ROOT / ".cache" / "safety"
REPORT = Path(__file__).parent / "data" / "safety_report.json"
# Families that describe the form of an attack, not what it asks for: their items are labelled
# by the family head trained on the others.
FORM_FAMILIES = ("obfuscation", "multi_turn_escalation")
MIN_DF = 2
C = 64.0
VECTOR_WEIGHT = 1.0
# Weight of one training row by source: near-misses are the hard negatives.
INTENT_NEGATIVE_WEIGHT = 0.3
# Intent-data negatives used (a deterministic sample by text hash, every intent kept): the
# encoder is slow on a shared CPU, and beyond a few thousand they add little.
INTENT_SAMPLE = 3000
# Threshold choice on dev: false refusals cost this many missed attacks.
FALSE_REFUSAL_COST = 4.0
STANDING_THRESHOLD_FACTOR = 0.4
# Ridge penalty of the fast path's estimate of the sentence-vector term. On the dev split with one
# bound for all lengths, single-turn messages settled without the vector: alpha 0.03 -> 74 % of
# near-misses, 0.1 -> 71 %, 0.3 -> 65 %, 1.0 -> 56 %; no decision changed at any of them.
FAST_PATH_ALPHA = 0.03
# The estimate's error bounds are its extremes over this many held-out folds of the training views
# (an error measured on views the regression never saw, not on the ones it fitted)...
FAST_PATH_FOLDS = 5
# ...per band of view length (characters; a band starts at each edge): short views are estimated
# closer (held-out error -4.0..+3.7 under 20 characters, -4.7..+4.6 over all), and most customer
# messages are short. Dev split with the bands: 78.0 % of near-misses (71.4 % with one bound) and
# 1.0 % of attacks skip the vector, no decision changed; blind dev 75.3 % / 0.0 %, none changed.
# Extremes, not quantiles: the 99.75th percentile skipped more (dev 82 % of near-misses, no change)
# but leaves 1 held-out training view in 200 outside its bound, so near its threshold unread.
FAST_PATH_LENGTH_BANDS = (0, 20, 40)


# -- sentence vectors -----------------------------------------------------------------------------


class VectorCache:
    """Sentence vectors by text, kept in .cache/safety/*.npz between runs."""

    def __init__(self, directory: Path = CACHE_DIR) -> None:
        self.directory = directory
        self.vectors: dict[str, np.ndarray] = {}
        for path in sorted(directory.glob("*.npz")):
            with np.load(path, allow_pickle=False) as data:
                self.vectors.update(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))

    def ensure(self, texts: Iterable[str]) -> None:
        missing = sorted({t for t in texts if t not in self.vectors})
        if not missing:
            return
        from assistant.nlu import encoder

        print(f"embedding {len(missing)} new texts…", flush=True)
        vectors = encoder.encode_many(missing)
        self.vectors.update(zip(missing, vectors, strict=True))
        self.directory.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256("\n".join(missing).encode()).hexdigest()[:12]
        np.savez(self.directory / f"added_{name}.npz", texts=np.array(missing), vectors=vectors)

    def embed(self, texts: list[str]) -> np.ndarray:
        self.ensure(texts)
        return np.stack([self.vectors[t] for t in texts])


# -- rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    text: str  # a view's text
    unsafe: bool
    family: str | None
    weight: float


def conversation_views(item: Conversation, lexicon: Lexicon) -> list[str]:
    texts = [v.text for v in views(item.text, lexicon)]
    if item.history:
        texts.append(base_text(context_text(item.history, item.text)))
    return texts


def make_rows(items: Sequence[Conversation], lexicon: Lexicon) -> list[Row]:
    rows = []
    for item in items:
        weight = INTENT_NEGATIVE_WEIGHT if item.kind.startswith("intent:") else 1.0
        for text in conversation_views(item, lexicon):
            rows.append(Row(text, item.unsafe, item.family, weight))
    return rows


def sample_negatives(items: Sequence[Conversation], size: int = INTENT_SAMPLE) -> list[Conversation]:
    """A deterministic sample of the intent negatives: the `size` smallest text hashes."""
    ranked = sorted(items, key=lambda i: hashlib.sha256(("safety-sample:" + i.text).encode()).hexdigest())
    return ranked[:size]


_BASE: dict[str, str] = {}
_BASE_TABLE: Lexicon | None = None  # the pinyin table _BASE was read with (held: an id could be reused)


def _base(text: str) -> str:
    """`base_text` memoised for the whole training set (its own cache is sized for serving),
    emptied when another pinyin table is in use (see `reading_pinyin_with`)."""
    global _BASE_TABLE
    table = pinyin_lexicon()
    if table is not _BASE_TABLE:
        _BASE.clear()
        _BASE_TABLE = table
    found = _BASE.get(text)
    if found is None:
        found = _BASE[text] = base_text(text)
    return found


def learn_lexicon(items: Sequence[Conversation]) -> Lexicon:
    texts = [_base(t) for item in items for t in (*item.history, item.text)]
    attacks = [_base(item.text) for item in items if item.unsafe]
    english = [item.text for item in items if item.lang == "en"]
    return build_lexicon(texts, attacks, english)


# -- fitting ------------------------------------------------------------------------------------


def _vocabulary(texts: list[str]) -> tuple[list[str], np.ndarray]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(char_ngrams(model_text(text))))
    vocab = sorted(g for g, n in df.items() if n >= MIN_DF)
    n_docs = len(texts)
    idf = np.array([math.log((1 + n_docs) / (1 + df[g])) + 1.0 for g in vocab], dtype=np.float32)
    return vocab, idf


def _char_matrix(texts: list[str], model_like: SafetyModel):  # type: ignore[no-untyped-def]
    from scipy import sparse

    data, indices, indptr = [], [], [0]
    for text in texts:
        idx, values = model_like.char_features(text)
        order = np.argsort(idx)
        indices.extend(idx[order].tolist())
        data.extend(values[order].tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(data, dtype=np.float64), indices, indptr),
                             shape=(len(texts), len(model_like._idf)))


def _features(texts: list[str], model_like: SafetyModel, cache: VectorCache):  # type: ignore[no-untyped-def]
    from scipy import sparse

    chars = _char_matrix(texts, model_like)
    vectors = cache.embed(texts).astype(np.float64) * VECTOR_WEIGHT
    return sparse.hstack([chars, sparse.csr_matrix(vectors)]).tocsr()


def _lexicon_arrays(lexicon: Lexicon) -> dict[str, np.ndarray]:
    sounds = sorted(lexicon.words_by_pinyin)
    return {
        "lex_sounds": np.array(sounds),
        "lex_words": np.array([lexicon.words_by_pinyin[s] for s in sounds]),
        "lex_syllables": np.array(sorted(lexicon.syllables)),
        "lex_known_grams": np.array(sorted(lexicon.known_grams)),
        "lex_all_words": np.array(sorted(lexicon.words)),
        "lex_homophone_words": np.array(sorted(lexicon.homophone_words)),
        "lex_english_words": np.array(sorted(lexicon.english_words)),
    }


def fit(train: Sequence[Conversation], dev: Sequence[Conversation], cache: VectorCache) -> SafetyModel:
    """Train both heads on `train`, calibrate and choose thresholds on `dev`.

    The lexicon is learned from text read without any pinyin table, then everything else reads
    text with the learned one, as the model will when it serves: nothing depends on the artefact
    on disk, so a build repeats bit for bit.
    """
    with reading_pinyin_with(EMPTY_LEXICON):
        lexicon = learn_lexicon(train)
    with reading_pinyin_with(lexicon):
        return _fit_with(lexicon, train, dev, cache)


def _fit_with(lexicon: Lexicon, train: Sequence[Conversation], dev: Sequence[Conversation],
              cache: VectorCache) -> SafetyModel:
    from sklearn.linear_model import LogisticRegression

    rows = make_rows(train, lexicon)
    texts = [r.text for r in rows]
    cache.ensure(texts)
    vocab, idf = _vocabulary(texts)
    dim = next(iter(cache.vectors.values())).shape[0]
    families = sorted({r.family for r in rows if r.family and r.family not in FORM_FAMILIES})
    arrays: dict[str, np.ndarray] = {
        "vocab": np.array(vocab), "idf": idf, "vector_weight": np.array(VECTOR_WEIGHT, dtype=np.float32),
        "coef_chars": np.zeros(len(vocab), np.float32), "coef_vector": np.zeros(dim, np.float32),
        "intercept": np.array(0.0, np.float32), "calibration": np.array([1.0, 0.0], np.float32),
        "thresholds": np.array([0.5, 0.5, 0.5], np.float32), "family_classes": np.array(families),
        "family_coef_chars": np.zeros((len(families), len(vocab)), np.float32),
        "family_coef_vector": np.zeros((len(families), dim), np.float32),
        "family_intercept": np.zeros(len(families), np.float32),
        **_lexicon_arrays(lexicon),
    }
    X = _features(texts, SafetyModel(arrays), cache)
    y = np.array([r.unsafe for r in rows], dtype=np.int64)
    weights = np.array([r.weight for r in rows])
    positive = weights[y == 1].sum()
    weights = np.where(y == 1, weights * weights[y == 0].sum() / positive, weights)
    binary = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
    binary.fit(X, y, sample_weight=weights)
    arrays["coef_chars"] = binary.coef_[0, :len(vocab)].astype(np.float32)
    arrays["coef_vector"] = binary.coef_[0, len(vocab):].astype(np.float32)
    arrays["intercept"] = np.array(binary.intercept_[0], np.float32)

    arrays.update(_family_head(rows, X, families, len(vocab)))
    model = SafetyModel(arrays)
    model.arrays = arrays  # type: ignore[attr-defined]
    arrays["calibration"], arrays["thresholds"] = _calibrate(model, dev, cache)
    model = SafetyModel(arrays)
    model.arrays = arrays  # type: ignore[attr-defined]
    return model


def _family_head(rows: list[Row], X, families: list[str], n_vocab: int) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    picked = [i for i, r in enumerate(rows) if r.family in families]
    head = LogisticRegression(C=C, solver="lbfgs", max_iter=2000)
    head.fit(X[picked], [rows[i].family for i in picked])
    if list(head.classes_) != families:
        raise RuntimeError("family head classes out of order")
    return {
        "family_coef_chars": head.coef_[:, :n_vocab].astype(np.float32),
        "family_coef_vector": head.coef_[:, n_vocab:].astype(np.float32),
        "family_intercept": head.intercept_.astype(np.float32),
    }


# -- calibration and evaluation -----------------------------------------------------------------


def raw_scores(model: SafetyModel, items: Sequence[Conversation], cache: VectorCache) -> np.ndarray:
    """Each conversation's best logit over the views of its last message and its context."""
    texts = [t for item in items for t in conversation_views(item, model.lexicon)]
    cache.ensure(texts)
    out = []
    for item in items:
        candidates = conversation_views(item, model.lexicon)
        vectors = cache.embed(candidates)
        out.append(max(model.unsafe_logit(t, v) for t, v in zip(candidates, vectors, strict=True)))
    return np.array(out)


def _calibrate(model: SafetyModel, dev: Sequence[Conversation], cache: VectorCache) -> tuple[np.ndarray, np.ndarray]:
    """Platt scaling on dev, then the threshold at which the guard *as it runs* costs least on dev.

    The guard is run whole (rule, request layer, model bars, context) at every candidate threshold:
    a missed attack costs 1, a false refusal FALSE_REFUSAL_COST.
    """
    from sklearn.linear_model import LogisticRegression

    logits = raw_scores(model, dev, cache)
    labels = np.array([item.unsafe for item in dev], dtype=np.int64)
    platt = LogisticRegression(C=1e6, solver="lbfgs")
    platt.fit(logits.reshape(-1, 1), labels)
    calibration = np.array([platt.coef_[0, 0], platt.intercept_[0]], np.float32)
    best, best_cost = 0.5, math.inf
    for threshold in np.round(np.arange(0.5, 0.97, 0.02), 2):
        figures = evaluate(Guard(_with(model, calibration, float(threshold)), embed=cache.embed), dev)
        missed = (1 - figures["attacks_refused"]) * figures["attacks"]
        refused = figures["false_refusals"] * figures["innocent"]
        cost = round(missed + FALSE_REFUSAL_COST * refused, 6)
        if cost < best_cost:
            best, best_cost = float(threshold), cost
    return calibration, _thresholds(best)


def _thresholds(unsafe: float) -> np.ndarray:
    return np.array([unsafe, unsafe, round(unsafe * STANDING_THRESHOLD_FACTOR, 4)], np.float32)


def _with(model: SafetyModel, calibration: np.ndarray, unsafe: float) -> SafetyModel:
    """`model` with another calibration and threshold (the arrays are shared, not copied)."""
    arrays = dict(model.arrays)  # type: ignore[attr-defined]
    arrays["calibration"], arrays["thresholds"] = calibration, _thresholds(unsafe)
    return SafetyModel(arrays)


def evaluate(guard: Guard, items: Sequence[Conversation]) -> dict[str, Any]:
    """Refusal rates of `guard` on labelled conversations."""
    attacks = [i for i in items if i.unsafe]
    innocent = [i for i in items if not i.unsafe]
    refused_attack = [guard.assess(i.text, list(i.history)).unsafe for i in attacks]
    refused_innocent = [guard.assess(i.text, list(i.history)).unsafe for i in innocent]
    per_family: dict[str, list[bool]] = {}
    for item, refused in zip(attacks, refused_attack, strict=True):
        per_family.setdefault(item.family or "", []).append(refused)
    return {
        "attacks": len(attacks),
        "attacks_refused": _share(refused_attack),
        "innocent": len(innocent),
        "false_refusals": _share(refused_innocent),
        "recall_by_family": {f: _share(v) for f, v in sorted(per_family.items())},
        "missed": [i.text for i, r in zip(attacks, refused_attack, strict=True) if not r],
        "falsely_refused": [i.text for i, r in zip(innocent, refused_innocent, strict=True) if r],
    }


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else float("nan")


def lofo(train: list[Conversation], dev: list[Conversation], test: list[Conversation],
         cache: VectorCache, families: Iterable[str] = FAMILIES) -> dict[str, dict[str, float]]:
    """Leave one family out: train without it, measure recall on its dev and test items."""
    out = {}
    for family in families:
        model = fit([i for i in train if i.family != family], [i for i in dev if i.family != family], cache)
        guard = Guard(model, embed=cache.embed)
        held_test = [i for i in test if i.family == family]
        held_dev = [i for i in dev if i.family == family]
        with reading_pinyin_with(model.lexicon):
            out[family] = {
                "test_recall": evaluate(guard, held_test)["attacks_refused"],
                "test_items": len(held_test),
                "dev_recall": evaluate(guard, held_dev)["attacks_refused"],
            }
        print(f"LOFO {family}: {out[family]}", flush=True)
    return out


# -- fast path ----------------------------------------------------------------------------------


def fit_fast_path(model: SafetyModel, model_sha256: str, train: Sequence[Conversation],
                  cache: VectorCache) -> dict[str, np.ndarray]:
    """Arrays of the guard's fast path (assistant.safety.model.FastPath) for `model`.

    A ridge regression estimates the model's sentence-vector term of a view from its characters;
    the bounds are the extremes of the estimate's error on held-out folds of the training views.
    """
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    texts = sorted({t for item in train for t in conversation_views(item, model.lexicon)})
    chars = _char_matrix(texts, model)
    target = model.vector_weight * (cache.embed(texts).astype(np.float64) @ model._coef_vector.astype(np.float64))
    held_out = np.zeros_like(target)
    for fitted, unseen in KFold(FAST_PATH_FOLDS, shuffle=True, random_state=0).split(texts):
        fold = Ridge(alpha=FAST_PATH_ALPHA).fit(chars[fitted], target[fitted])
        held_out[unseen] = fold.predict(chars[unseen])
    error = target - held_out
    band = np.searchsorted(FAST_PATH_LENGTH_BANDS, [len(t) for t in texts], side="right") - 1
    ridge = Ridge(alpha=FAST_PATH_ALPHA).fit(chars, target)
    return {
        "estimate_coef": ridge.coef_.astype(np.float32),
        "estimate_intercept": np.array(ridge.intercept_, np.float32),
        "length_bands": np.array(FAST_PATH_LENGTH_BANDS, np.int64),
        "residual_bounds": np.array([[error[band == b].min(), error[band == b].max()]
                                     for b in range(len(FAST_PATH_LENGTH_BANDS))], np.float32),
        "model_sha256": np.array(model_sha256),
    }


def write_fast_path(train: Sequence[Conversation], cache: VectorCache,
                    model_path: Path = ARTEFACT, out: Path = FAST_PATH) -> None:
    """Fit the fast path to the artefact at `model_path` and write it to `out`."""
    model = SafetyModel.load(model_path)
    arrays = fit_fast_path(model, hashlib.sha256(model_path.read_bytes()).hexdigest(), train, cache)
    save_arrays(out, arrays)
    bands = ", ".join(f"from {start} characters {low:+.2f} .. {high:+.2f}"
                      for start, (low, high) in zip(arrays["length_bands"], arrays["residual_bounds"], strict=True))
    print(f"wrote {out} (vector term estimated within, in logits: {bands})")


def data_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (ATTACKS, NEAR_MISSES, BLIND_DEV):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> None:
    start_single_threaded("assistant.safety.train")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lofo", action="store_true", help="also run leave-one-family-out")
    parser.add_argument("--no-test", action="store_true", help="report dev only (while tuning)")
    parser.add_argument("--intent-sample", type=int, default=INTENT_SAMPLE, help="intent negatives used")
    parser.add_argument("--fast-path-only", action="store_true", help="fit the fast path to the shipped model")
    parser.add_argument("--out", type=Path, default=ARTEFACT.parent,
                        help="directory for the model, its fast path and its report (default: the shipped ones)")
    args = parser.parse_args(argv)
    artefact, fast_path, report_path = (args.out / path.name for path in (ARTEFACT, FAST_PATH, REPORT))
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus()
    check_frozen(corpus)
    splits = by_split(corpus)
    cache = VectorCache()
    train = splits["train"] + sample_negatives(load_intent_negatives(), args.intent_sample)
    if args.fast_path_only:
        write_fast_path(train, cache, out=fast_path)
        return
    dev = splits["dev"] + load_blind_dev()
    with threadpool_limits(limits=1):  # several BLAS threads sum in a varying order
        model = fit(train, dev, cache)
    save_arrays(artefact, model.arrays)  # type: ignore[attr-defined]
    with reading_pinyin_with(model.lexicon):  # the new model's table, not the one it replaced
        write_fast_path(train, cache, artefact, fast_path)
        guard = Guard(SafetyModel.load(artefact), embed=cache.embed)
        report: dict[str, Any] = {"data": data_fingerprint(),
                                  "model": hashlib.sha256(artefact.read_bytes()).hexdigest()[:12],
                                  "platform": build_platform(),
                                  "thresholds": model.thresholds.__dict__,
                                  "dev": evaluate(guard, splits["dev"]),
                                  "blind_dev": evaluate(guard, load_blind_dev())}
        if not args.no_test:
            report["test"] = evaluate(guard, splits["test"])
    if args.lofo:
        report["lofo"] = lofo(train, dev, splits["test"], cache)
    for part in ("dev", "blind_dev", "test"):
        if part in report:
            figures = {k: v for k, v in report[part].items() if k not in ("missed", "falsely_refused")}
            print(part, json.dumps(figures, ensure_ascii=False))
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {artefact} and {report_path}")


if __name__ == "__main__":
    main()
