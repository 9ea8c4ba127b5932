"""Tune the sentence-vector half of the intent model on the dev split.

    python -m assistant.nlu.training.tune [--chars-model path/to/chars_only.npz]

The n-gram half (C fixed in train.py) is read from a chars-only artefact built with
`vector_weight=0`; for each vector-model C and each weight the combined logits are scored on
dev. Prints one JSON line per setting. The test split is never read here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from assistant.nlu.intent_model import ARTEFACT, IntentModel
from assistant.nlu.training.data import labelled_items, training_items
from assistant.nlu.training.evaluate import by_language
from assistant.nlu.training.train import MAX_ITER
from assistant.nlu.training.vectors import vectors_for


def char_logits(model: IntentModel, texts: list[str]) -> np.ndarray:
    return np.stack([model.char_logits(text) for text in texts])


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars-model", type=Path, default=ARTEFACT)
    args = parser.parse_args()
    chars = IntentModel(args.chars_model)
    assert not chars.reads_vectors, "give a chars-only artefact (built with vector_weight=0)"
    train, dev = training_items("train"), labelled_items("dev")
    dev_chars = char_logits(chars, [i.text for i in dev])
    dev_vectors = vectors_for([i.text for i in dev])
    train_vectors = vectors_for([i.text for i in train])
    for c in (1.0, 4.0, 16.0):
        model = LogisticRegression(C=c, max_iter=MAX_ITER)
        model.fit(train_vectors, [i.intent for i in train], sample_weight=[i.weight for i in train])
        assert list(model.classes_) == chars.classes
        vector_logits = dev_vectors @ model.coef_.T + model.intercept_
        for weight in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
            logits = dev_chars + weight * vector_logits
            predicted = [chars.classes[i] for i in logits.argmax(axis=1)]
            figures = by_language(dev, predicted)
            print(json.dumps({"vector_C": c, "vector_weight": weight,
                              **{k: v.as_dict() for k, v in figures.items()}}), flush=True)


if __name__ == "__main__":
    main()
