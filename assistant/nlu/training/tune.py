"""Tune the intent model's hyper-parameters on the dev split.

    python -m assistant.nlu.training.tune [--c 4 8 16] [--scale 1 2 3]

For each C and vector scale the joint model is fitted on train (as train.py does) and, for each
out_of_scope prior shift, scored on dev. Prints one JSON line per setting. The test split is
never read here.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

import numpy as np

from assistant.nlu.training.data import labelled_items, training_items
from assistant.nlu.training.evaluate import by_language
from assistant.nlu.training.train import Hyper, features, fit

BIASES = (0.0, -0.25, -0.5, -0.75, -1.0)


def main() -> None:
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[16.0])
    parser.add_argument("--scale", type=float, nargs="+", default=[3.0])
    args = parser.parse_args()
    train, dev = training_items("train"), labelled_items("dev")
    for c in args.c:
        for scale in args.scale:
            hyper = replace(Hyper(), c=c, vector_scale=scale)
            with threadpool_limits(limits=1):
                vectoriser, model = fit(train, hyper)
            logits = model.decision_function(features(vectoriser, [i.text for i in dev], hyper))
            classes = [str(k) for k in model.classes_]
            for bias in BIASES:
                shifted = logits.copy()
                shifted[:, classes.index("out_of_scope")] += bias
                predicted = [classes[k] for k in np.argmax(shifted, axis=1)]
                figures = by_language(dev, predicted)
                print(json.dumps({"C": c, "vector_scale": scale, "out_of_scope_bias": bias,
                                  **{k: v.as_dict() for k, v in figures.items()}}), flush=True)


if __name__ == "__main__":
    main()
