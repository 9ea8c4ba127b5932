"""The trained safety model: a calibrated linear model over character n-grams and sentence vectors.

`data/safety_model.npz` is written by `python -m assistant.safety.train` (bit for bit the same
from the same data). Loading needs numpy only, no scikit-learn: the CLI starts fast.

Two heads share the features: `unsafe_logit` (attack or not; calibrated on the dev split, so
`probability` reads as one) and `family` (which kind of attack, for the refusal's wording), plus
the normaliser's lexicon learned from the same training data.

`data/fast_path.npz` (`FastPath`, also written by the train script) estimates a view's logit from
its characters alone, with bounds on the error, so the guard can skip the sentence vector when
the estimate is far from every threshold that matters.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.safety.features import char_ngrams, model_text
from assistant.safety.normalize import Lexicon

ARTEFACT = Path(__file__).parent / "data" / "safety_model.npz"
FAST_PATH = Path(__file__).parent / "data" / "fast_path.npz"


@dataclass(frozen=True)
class Thresholds:
    """Decision points on the calibrated probability, chosen on the dev split."""

    unsafe: float  # a message alone
    context: float  # the last turns read together
    after_standing_instruction: float  # a message after an earlier injection or role set-up


def _strings(array: np.ndarray) -> list[str]:
    return [str(item) for item in array]


class SafetyModel:
    """Scores one view (normalised text and its sentence vector)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._vocab = {gram: i for i, gram in enumerate(_strings(arrays["vocab"]))}
        self._idf = arrays["idf"].astype(np.float32)
        self._coef_chars = arrays["coef_chars"].astype(np.float32)
        self._coef_vector = arrays["coef_vector"].astype(np.float32)
        self._intercept = float(np.asarray(arrays["intercept"]).reshape(-1)[0])
        self.vector_weight = float(np.asarray(arrays["vector_weight"]).reshape(-1)[0])
        self._calibration = (float(arrays["calibration"][0]), float(arrays["calibration"][1]))
        thresholds = arrays["thresholds"]
        self.thresholds = Thresholds(float(thresholds[0]), float(thresholds[1]), float(thresholds[2]))
        self.families: list[str] = _strings(arrays["family_classes"])
        self._family_chars = arrays["family_coef_chars"].astype(np.float32)
        self._family_vector = arrays["family_coef_vector"].astype(np.float32)
        self._family_intercept = arrays["family_intercept"].astype(np.float32)
        self.lexicon = Lexicon(
            words_by_pinyin=dict(zip(_strings(arrays["lex_sounds"]), _strings(arrays["lex_words"]), strict=True)),
            syllables=frozenset(_strings(arrays["lex_syllables"])),
            known_grams=frozenset(_strings(arrays["lex_known_grams"])),
            words=frozenset(_strings(arrays["lex_all_words"])),
            homophone_words=frozenset(_strings(arrays["lex_homophone_words"])),
            english_words=frozenset(_strings(arrays["lex_english_words"])),
        )

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> SafetyModel:
        with np.load(path, allow_pickle=False) as data:
            model = cls({key: data[key] for key in data.files})
        model.fingerprint = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return model

    fingerprint: str = "in-memory"

    def char_features(self, view_text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF (sublinear tf, L2-normalised) of the view's n-grams in the vocabulary."""
        counts: dict[int, int] = {}
        for gram in char_ngrams(model_text(view_text)):
            index = self._vocab.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(tf)) * self._idf[indices]
        return indices, values / np.linalg.norm(values)

    def unsafe_logit(self, view_text: str, vector: np.ndarray) -> float:
        """The uncalibrated score of one view (higher: more like an attack)."""
        indices, values = self.char_features(view_text)
        chars = float(self._coef_chars[indices] @ values) if len(indices) else 0.0
        return chars + self.vector_weight * float(self._coef_vector @ vector) + self._intercept

    def probability(self, logit: float) -> float:
        """The calibrated probability that a message with this logit is an attack."""
        a, b = self._calibration
        return float(1.0 / (1.0 + np.exp(-(a * logit + b))))

    def family(self, view_text: str, vector: np.ndarray) -> str:
        """The most likely attack family of a view (only meaningful for an unsafe one)."""
        indices, values = self.char_features(view_text)
        logits = self._family_chars[:, indices] @ values + self.vector_weight * (self._family_vector @ vector)
        return self.families[int(np.argmax(logits + self._family_intercept))]


@dataclass(frozen=True)
class LogitBounds:
    """Where a view's logit lies without its sentence vector: `low` <= logit <= `high`."""

    low: float
    estimate: float
    high: float


class FastPath:
    """The model's logit of a view from its characters alone, with bounds, for one artefact.

    The sentence vector's term (`vector_weight * coef_vector @ vector`) is estimated by a ridge
    regression on the view's character features; the bounds are the extremes of that estimate's
    error on held-out folds of the training views, per band of view length (see
    assistant.safety.train).
    """

    def __init__(self, arrays: dict[str, np.ndarray], model: SafetyModel) -> None:
        self.model = model
        self._coef = arrays["estimate_coef"].astype(np.float32)
        self._intercept = float(np.asarray(arrays["estimate_intercept"]).reshape(-1)[0])
        self._length_bands = [int(x) for x in arrays["length_bands"]]
        self._residual_bounds = [(float(low), float(high)) for low, high in arrays["residual_bounds"]]
        self.model_sha256 = str(arrays["model_sha256"])

    @classmethod
    def load(cls, model: SafetyModel, path: Path = FAST_PATH, model_path: Path = ARTEFACT) -> FastPath | None:
        """The fast path fitted to the model at `model_path`; None if absent or fitted to another one.

        A fast path fitted to another artefact would bound the wrong logit: the guard then reads
        every message with its sentence vector, as before.
        """
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        if str(arrays["model_sha256"]) != hashlib.sha256(model_path.read_bytes()).hexdigest():
            return None
        return cls(arrays, model)

    def bounds(self, view_text: str) -> LogitBounds:
        """Bounds on `model.unsafe_logit(view_text, vector)` whatever the view's vector."""
        indices, values = self.model.char_features(view_text)
        chars = float(self.model._coef_chars[indices] @ values) if len(indices) else 0.0
        vector_term = float(self._coef[indices] @ values) if len(indices) else 0.0
        estimate = chars + vector_term + self._intercept + self.model._intercept
        low, high = self._residual_bounds[bisect_right(self._length_bands, len(view_text)) - 1]
        return LogitBounds(estimate + low, estimate, estimate + high)


@lru_cache(maxsize=1)
def default_model() -> SafetyModel:
    """The shipped model, loaded once per process."""
    return SafetyModel.load()


_training_lexicon: Lexicon | None = None


def pinyin_lexicon() -> Lexicon:
    """The sounds → words table every normaliser reads pinyin with (the NLU's `normalize` too):
    the shipped model's, or, while a model is trained, the table being trained."""
    return _training_lexicon if _training_lexicon is not None else default_model().lexicon


@contextmanager
def reading_pinyin_with(lexicon: Lexicon) -> Iterator[None]:
    """Normalise text with `lexicon` instead of the shipped one (training only).

    Training reads its messages through the same normalisers as serving; were they to read the
    shipped artefact's table, each build would depend on the artefact it replaces and no build
    could be repeated bit for bit. Cached normalisations are dropped on entry and on exit.
    """
    global _training_lexicon
    from assistant.safety.normalize import base_text

    previous, _training_lexicon = _training_lexicon, lexicon
    base_text.cache_clear()
    try:
        yield
    finally:
        _training_lexicon = previous
        base_text.cache_clear()


@lru_cache(maxsize=1)
def default_fast_path() -> FastPath | None:
    """The shipped fast path of the shipped model (None if it was fitted to another artefact)."""
    return FastPath.load(default_model())


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an .npz that is the same bytes for the same arrays (fixed names, order, timestamps)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            array = np.asarray(arrays[name])
            np.lib.format.write_array(member, array if array.flags.c_contiguous else array.copy(), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    path.write_bytes(buffer.getvalue())
