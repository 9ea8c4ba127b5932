"""Floors on the intent model, measured on the frozen test split of labelled real questions.

The split was fixed (by a hash of the text) before any training; the floors sit a little under
what bench/nlu.py measures, so a regression fails the build. The labelled data and the
AFQMC pairs are data of this repository and of ../shared (present on every machine and in CI).
"""

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from assistant.nlu.intent_model import ARTEFACT, default_model
from assistant.nlu.normalize import normalize
from assistant.nlu.training.data import AFQMC, evaluation_texts, labelled_items, training_items
from assistant.nlu.training.evaluate import IN_SCOPE, by_language, paraphrase_consistency, predict
from assistant.nlu.training.splits import check_frozen, load_held_aside, load_labelled, split_of

# Measured on the frozen test split, 2026-12-07 (bench/nlu.py, joint chars + vector model, C 16,
# vector scale 3, trained with labelled batches 1-11 and the written chat messages 1-4, no turn of
# the evaluation suites, rebuilt on session 25's safety pinyin table): accuracy zh 0.886, en 0.892;
# in scope zh 0.849, en 0.926; paraphrase consistency 0.829 (385 pairs).
# Issue 12's targets (0.95 / 0.90 / 0.97) are not reached; the floors sit just under today's figures.
ACCURACY_FLOOR = {"zh": 0.875, "en": 0.86}
IN_SCOPE_FLOOR = {"zh": 0.838, "en": 0.895}
PARAPHRASE_FLOOR = 0.82
# The chat messages written after the freeze that hash to test (never trained or tuned on): the
# model reads 0.935, 0.939, 0.897 and 0.901 of files 1-4 (200, 197, 195, 202 messages) right.
HELD_ASIDE_CHAT_FLOOR = 0.89


def test_the_test_split_is_frozen_large_enough_and_disjoint_from_training() -> None:
    items = load_labelled()
    check_frozen(items)
    test = [i for i in items if split_of(i.text) == "test"]
    langs = Counter(i.lang for i in test)
    in_scope_zh = sum(i.lang == "zh" and i.intent in IN_SCOPE for i in test)
    assert langs["zh"] >= 1500 and in_scope_zh >= 500 and langs["en"] >= 400
    trained = {i.original for i in training_items("train")}
    assert not trained & {i.text for i in test}


def test_no_turn_of_the_evaluation_suites_is_trained_on() -> None:
    evaluation = evaluation_texts()
    assert len(evaluation) > 1500 and "我要申诉" in evaluation  # the public suite and eval/fresh, read
    assert not {i.original.strip() for i in training_items("train")} & evaluation


def test_messages_written_after_the_freeze_that_hash_to_test_are_in_no_split() -> None:
    held_aside = load_held_aside()
    held = {i.text for i in held_aside}
    assert {"written_chat", "written_en"} <= {i.kind for i in held_aside}
    assert all(split_of(text) == "test" for text in held)
    assert not held & {i.text for i in load_labelled()}
    assert not held & {i.original for split in ("train", "dev") for i in training_items(split)}


# Training propagates labels along AFQMC paraphrase pairs, so it needs ../shared beside the clone.
NEEDS_AFQMC = pytest.mark.skipif(not AFQMC.exists(), reason="../shared/datasets/afqmc is not beside this clone")


@pytest.mark.slow
@NEEDS_AFQMC
def test_the_training_script_rebuilds_the_shipped_artefact(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Byte for byte on the platform that built the shipped artefact; on a CPU that takes other
    SIMD kernels the last bits of the floats differ, so there the rebuilt model must have the
    same classes and vocabulary and decide (nearly) every frozen-test question the same way."""
    from assistant.nlu.intent_model import IntentModel
    from assistant.nlu.training.splits import ROOT
    from assistant.nlu.training.train import build_platform, provenance_path

    # In a fresh process, as the script runs (it starts with OMP_NUM_THREADS=1, which the encoder
    # also sets when it loads: in this process the fit's last bits depend on what ran before).
    rebuilt = tmp_path / "intent_model.npz"
    subprocess.run([sys.executable, "-m", "assistant.nlu.training.train", "--out", str(rebuilt)],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    shipped = json.loads(provenance_path(ARTEFACT).read_text(encoding="utf-8"))
    assert shipped["sha256"] == hashlib.sha256(ARTEFACT.read_bytes()).hexdigest(), "provenance is stale"
    digest = hashlib.sha256(rebuilt.read_bytes()).hexdigest()
    if build_platform() == shipped["platform"]:
        # Digests, not the bytes: pytest's diff of two 0.9 MB byte strings takes many minutes.
        assert digest == shipped["sha256"]
        return
    with np.load(rebuilt) as new, np.load(ARTEFACT) as old:
        assert list(new["classes"]) == list(old["classes"]) and list(new["vocab"]) == list(old["vocab"])
    texts = [i.text for i in labelled_items("test")]
    same = sum(a == b for a, b in zip(predict(IntentModel(rebuilt), texts), predict(default_model(), texts)))
    assert same / len(texts) >= 0.995, (same, len(texts), build_platform(), shipped["platform"])


@pytest.mark.slow
def test_accuracy_floors_on_the_frozen_test_split() -> None:
    items = labelled_items("test")
    figures = by_language(items, predict(default_model(), [i.text for i in items]))
    for lang in ("zh", "en"):
        assert figures[lang].accuracy >= ACCURACY_FLOOR[lang], (lang, figures[lang])
        assert figures[lang].in_scope_accuracy >= IN_SCOPE_FLOOR[lang], (lang, figures[lang])


@pytest.mark.slow
@NEEDS_AFQMC
def test_paraphrase_consistency_floor_outside_the_training_data() -> None:
    trained = {i.original for i in training_items("train")}
    result = paraphrase_consistency(default_model(), trained)
    assert result["pairs"] > 300
    assert result["consistency"] >= PARAPHRASE_FLOOR, result


@pytest.mark.slow
def test_accuracy_floor_on_the_chat_messages_held_aside() -> None:
    held_aside = [i for i in load_held_aside() if i.kind == "written_chat"]
    sources = sorted({i.source for i in held_aside})
    assert len(sources) >= 4, sources
    for source in sources:
        items = [i for i in held_aside if i.source == source]
        predicted = predict(default_model(), [normalize(i.text) for i in items])
        right = sum(p == i.intent for i, p in zip(items, predicted, strict=True))
        assert right / len(items) >= HELD_ASIDE_CHAT_FLOOR, (source, right, len(items))
