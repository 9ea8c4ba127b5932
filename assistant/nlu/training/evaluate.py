"""Figures of an intent model on a split: accuracy overall and on in-scope questions, per language,
and paraphrase consistency on AFQMC label-1 pairs outside the training data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.nlu.intent_model import IntentModel, VectorSource
from assistant.nlu.training.data import TrainingItem, _normalized, paraphrase_pairs
from assistant.nlu.training.vectors import vectors_for

IN_SCOPE = frozenset({"cannot_borrow", "how_much_can_i_borrow", "limit_not_restored", "limit_reduced_or_closed",
                      "limit_increase", "policy_question", "appeal_or_human"})


@dataclass
class Figures:
    n: int
    accuracy: float
    in_scope_n: int
    in_scope_accuracy: float
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"n": self.n, "accuracy": round(self.accuracy, 4), "in_scope_n": self.in_scope_n,
                "in_scope_accuracy": round(self.in_scope_accuracy, 4)}


def predict(model: IntentModel, texts: Sequence[str]) -> list[str]:
    if not model.reads_vectors:
        return [model.scores(t, None).best[0] for t in texts]
    vectors = vectors_for(list(texts))
    # As the assistant reads a message: the vector only where the chars-only head is unsure.
    return [model.scores(t, _given(v)).best[0] for t, v in zip(texts, vectors)]


def _given(vector: np.ndarray) -> VectorSource:
    return lambda: vector


def figures(items: Sequence[TrainingItem], predicted: Sequence[str]) -> Figures:
    right = [p == i.intent for i, p in zip(items, predicted)]
    scoped = [r for i, r in zip(items, right) if i.intent in IN_SCOPE]
    confusions = Counter((i.intent, p) for i, p in zip(items, predicted) if p != i.intent)
    return Figures(len(items), float(np.mean(right)) if right else 0.0, len(scoped),
                   float(np.mean(scoped)) if scoped else 0.0,
                   [(a, b, n) for (a, b), n in confusions.most_common(12)])


def by_language(items: Sequence[TrainingItem], predicted: Sequence[str]) -> dict[str, Figures]:
    out = {"all": figures(items, predicted)}
    for lang in ("zh", "en"):
        chosen = [(i, p) for i, p in zip(items, predicted) if i.lang == lang]
        out[lang] = figures([i for i, _ in chosen], [p for _, p in chosen])
    return out


def paraphrase_consistency(model: IntentModel, exclude: set[str]) -> dict[str, float]:
    """Share of label-1 pairs, both sides predicted in scope and neither side trained on, that
    get the same intent."""
    pairs = [(a, b) for a, b in paraphrase_pairs() if a not in exclude and b not in exclude]
    if not pairs:  # the AFQMC file is not beside the repository (../shared/datasets/afqmc)
        return {"pairs": 0, "consistency": 0.0}
    texts = sorted({_normalized(t) for pair in pairs for t in pair})
    predicted = dict(zip(texts, predict(model, texts)))
    judged = [(predicted[_normalized(a)], predicted[_normalized(b)]) for a, b in pairs]
    judged = [(x, y) for x, y in judged if x in IN_SCOPE and y in IN_SCOPE]
    same = sum(x == y for x, y in judged)
    return {"pairs": len(judged), "consistency": round(same / len(judged), 4) if judged else 0.0}
