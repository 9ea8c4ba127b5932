"""A small intent classifier: character and word n-grams, a linear SVM.

Trained from data/intents_train.jsonl at first use (about 0.3 s, mostly normalisation) and kept
in memory; rules in cues.py handle what must be exact (unsafe requests, greetings, other
products). A linear SVM rather than logistic regression: same held-out accuracy, and it trains in
milliseconds where lbfgs took seconds under BLAS thread contention. Its confidence is a softmax
of the SVM margins: a ranking signal, not a calibrated probability.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel

from assistant.nlu.model import Intent

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

DATA_DIR = Path(__file__).parent / "data"
TRAIN_FILE = DATA_DIR / "intents_train.jsonl"
# Numbers, and the "***" that masks them in real transcripts, all read as one token.
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*|\*{3,}")
# Sharpens SVM margins (about -1…1) into a softmax that reads like a confidence.
MARGIN_TEMPERATURE = 0.25


class Example(BaseModel):
    """One labelled message."""

    text: str
    intent: Intent
    lang: str | None = None


def load_examples(path: Path) -> list[Example]:
    """Read a JSONL file of {"text", "intent", "lang"} lines (blank lines are skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Example.model_validate(json.loads(line)) for line in lines if line.strip()]


def features_text(normalized: str) -> str:
    """What the classifier reads: lower case, every number the same token, one product name."""
    text = normalized.lower().replace("蚂蚁借呗", "借呗")
    return _DIGITS.sub("0", text)


class IntentClassifier:
    """Predicts an intent and its probability from normalised text."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self._classes: list[str] = list(pipeline.classes_)

    @classmethod
    def train(cls, examples: Iterable[Example]) -> IntentClassifier:
        """Fit a new classifier (deterministic: fixed solver and random_state)."""
        # scikit-learn takes seconds to import: only pay for it when a model is trained.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC

        from assistant.nlu.normalize import normalize

        items = list(examples)
        texts = [features_text(normalize(e.text)) for e in items]
        pipeline = Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            (
                                "chars",
                                TfidfVectorizer(
                                    analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True
                                ),
                            ),
                            (
                                "words",
                                TfidfVectorizer(
                                    analyzer="word",
                                    token_pattern=r"[a-z']{2,}",
                                    ngram_range=(1, 2),
                                    sublinear_tf=True,
                                ),
                            ),
                        ]
                    ),
                ),
                ("model", LinearSVC(C=1.0, class_weight="balanced", random_state=0)),
            ]
        )
        pipeline.fit(texts, [e.intent for e in items])
        return cls(pipeline)

    def scores(self, normalized: str) -> dict[str, float]:
        """A confidence per intent (softmax of the margins; sums to 1)."""
        margins = self._pipeline.decision_function([features_text(normalized)])[0]
        exp = np.exp((margins - margins.max()) / MARGIN_TEMPERATURE)
        return dict(zip(self._classes, (exp / exp.sum()).tolist()))

    def predict(self, normalized: str) -> tuple[str, float]:
        """The most likely intent and its confidence."""
        scores = self.scores(normalized)
        best = max(scores, key=scores.__getitem__)
        return best, scores[best]

    def probability(self, normalized: str, intent: str) -> float:
        """The confidence of one given intent."""
        return self.scores(normalized).get(intent, 0.0)


@lru_cache(maxsize=1)
def default_classifier() -> IntentClassifier:
    """The classifier trained on the shipped examples, built once per process."""
    return IntentClassifier.train(load_examples(TRAIN_FILE))
