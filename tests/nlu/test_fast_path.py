"""The intent model's fast path: a message its chars-only head is sure of is read without the
sentence vector (16-30 ms a message on one core); any other message still gets the vector."""

from collections.abc import Callable

import numpy as np
import pytest

from assistant.nlu import intent_model
from assistant.nlu.encoder import encode
from assistant.nlu.intent_model import IntentScores, default_model
from assistant.nlu.normalize import normalize
from tests.helpers.nlu import NOW

# The chars-only head reads each above 0.99; the full model agrees.
SURE = ["还款了额度怎么没恢复", "why was my credit line closed"]
# The full model reads it close (how_much_can_i_borrow 0.43, policy_question 0.38): the dialogue
# offers a clarifying choice, so the answer must not come from the n-grams alone.
UNSURE = "问下额度"


class RecordingVector:
    """The message's real vector, counting how often it is asked for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def __call__(self) -> np.ndarray:
        self.calls += 1
        return encode([self.text])[0]


def full_reading(text: str, monkeypatch: pytest.MonkeyPatch) -> IntentScores:
    """The joint model's reading, with the fast path switched off."""
    with monkeypatch.context() as patched:
        patched.setattr(intent_model, "FAST_PATH_CONFIDENCE", 2.0)
        return default_model().scores(text, lambda: encode([text])[0])


@pytest.mark.parametrize("text", SURE)
def test_a_sure_message_is_read_without_its_vector(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    normalized = normalize(text)
    vector = RecordingVector(normalized)
    fast = default_model().scores(normalized, vector)
    assert vector.calls == 0
    assert fast.best[1] >= intent_model.FAST_PATH_CONFIDENCE
    assert fast.best[0] == full_reading(normalized, monkeypatch).best[0]


def test_a_close_message_still_gets_its_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    normalized = normalize(UNSURE)
    vector = RecordingVector(normalized)
    reading = default_model().scores(normalized, vector)
    assert vector.calls == 1
    full = full_reading(normalized, monkeypatch)
    assert reading == full
    assert reading.best[1] < 0.6 and reading.best[1] - reading.runner_up[1] < 0.35


def test_without_a_vector_source_the_model_reads_the_ngrams_of_the_joint_model() -> None:
    """`None` keeps its old meaning (no vector at all), not the chars-only head."""
    model = default_model()
    normalized = normalize(SURE[0])
    logits = model.char_logits(normalized)
    probabilities = np.exp(logits - logits.max())
    probabilities /= probabilities.sum()
    assert model.scores(normalized, None).best[1] == pytest.approx(float(probabilities.max()))


def _understand_recording(monkeypatch: pytest.MonkeyPatch) -> tuple[Callable[[str], object], list[str]]:
    import importlib

    understanding = importlib.import_module("assistant.nlu.understand")
    asked: list[str] = []

    def recording_encode(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return encode(texts)

    monkeypatch.setattr(understanding, "encode", recording_encode)
    return (lambda text: understanding.understand(text, now=NOW)), asked


def test_understand_skips_the_intent_models_vector_for_a_sure_message(monkeypatch: pytest.MonkeyPatch) -> None:
    understand, asked = _understand_recording(monkeypatch)
    reading = understand(SURE[0])
    assert asked == []
    assert reading.intent == "limit_not_restored"  # type: ignore[attr-defined]


def test_understand_computes_the_vector_for_a_close_message(monkeypatch: pytest.MonkeyPatch) -> None:
    understand, asked = _understand_recording(monkeypatch)
    understand(UNSURE)
    assert asked == [normalize(UNSURE)]
