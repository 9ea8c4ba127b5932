"""Floors on measured quality: held-out accuracy and AFQMC paraphrase consistency.

The floors sit a little under what bench/nlu.py measures, so a regression fails the build.
"""

from pathlib import Path

import pytest

from assistant.nlu.classifier import DATA_DIR, TRAIN_FILE, load_examples
from assistant.nlu.evaluation import evaluate_intents, load_afqmc_pairs, paraphrase_consistency
from assistant.nlu.model import INTENTS

# The shared datasets sit beside the repository (../shared), as on every machine and in CI.
AFQMC = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "afqmc" / "train.csv"
HELD_OUT_FLOOR = 0.90
PER_INTENT_F1_FLOOR = 0.75
AFQMC_CONSISTENCY_FLOOR = 0.70


def test_training_and_held_out_sets_are_large_disjoint_and_cover_every_intent() -> None:
    train = load_examples(TRAIN_FILE)
    held_out = load_examples(DATA_DIR / "intents_test.jsonl")
    assert len(train) >= 800 and len(held_out) >= 200
    assert not {e.text for e in train} & {e.text for e in held_out}
    for examples in (train, held_out):
        assert {e.intent for e in examples} == set(INTENTS)
        assert {e.lang for e in examples} == {"zh", "en"}


def test_held_out_accuracy_floor() -> None:
    report = evaluate_intents(load_examples(DATA_DIR / "intents_test.jsonl"))
    assert report.accuracy >= HELD_OUT_FLOOR, report.errors
    assert min(report.f1_by_intent.values()) >= PER_INTENT_F1_FLOOR, report.f1_by_intent


@pytest.mark.skipif(not AFQMC.exists(), reason="AFQMC train.csv not present on this machine")
def test_afqmc_paraphrase_consistency_floor() -> None:
    pairs = load_afqmc_pairs(AFQMC)
    assert len(pairs) > 1000
    assert paraphrase_consistency(pairs).share >= AFQMC_CONSISTENCY_FLOOR
