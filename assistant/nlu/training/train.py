"""Rebuild the intent model artefact from the labelled data: `python -m assistant.nlu.training.train`.

Deterministic: the same data on the same kind of CPU gives the same `intent_model.npz`, byte for
byte (sorted inputs, lbfgs, no randomness, one BLAS thread, fixed archive metadata). Another CPU
may take other SIMD kernels (OpenBLAS picks one per CPU, the encoder too), which round the last
bits differently; `intent_model.build.json` records the digest and the build platform, and the
floor test compares bytes on the same platform and the model's behaviour on any other. Trains on the train split only; `--report`
prints dev figures for tuning. The test split is read by bench/nlu.py alone.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.nlu.intent_model import ARTEFACT, char_ngrams, model_text
from assistant.nlu.training.data import TrainingItem, training_items
from assistant.nlu.training.vectors import vectors_for

# Tuned on the dev split (bench/nlu.py --dev): see docs/NLU.md for the runs.
C = 8.0
VECTOR_C = 16.0
VECTOR_WEIGHT = 0.5
MIN_DF = 2
MAX_ITER = 3000
VECTOR_DIM = 384  # multilingual-e5-small


@dataclass(frozen=True)
class Hyper:
    c: float = C
    vector_c: float = VECTOR_C
    vector_weight: float = VECTOR_WEIGHT
    min_df: int = MIN_DF


def analyzer(text: str) -> list[str]:
    return char_ngrams(model_text(text))


def fit(items: Sequence[TrainingItem], hyper: Hyper = Hyper()):  # type: ignore[no-untyped-def]
    """Two multinomial logistic regressions, one over character n-grams and one over sentence
    vectors, combined as a product of experts: logits = chars + vector_weight × vectors.

    Two small fits instead of one over the joined features: the vector model trains in seconds,
    so its weight can be tuned on dev without refitting the n-gram model.
    Returns (vectoriser, chars_model, vector_model or None).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [i.text for i in items]
    labels = [i.intent for i in items]
    weights = [i.weight for i in items]
    vectoriser = TfidfVectorizer(analyzer=analyzer, min_df=hyper.min_df, sublinear_tf=True, dtype=np.float32)
    chars_model = LogisticRegression(C=hyper.c, max_iter=MAX_ITER, solver="lbfgs")
    chars_model.fit(vectoriser.fit_transform(texts), labels, sample_weight=weights)
    if not hyper.vector_weight:
        return vectoriser, chars_model, None
    vector_model = LogisticRegression(C=hyper.vector_c, max_iter=MAX_ITER, solver="lbfgs")
    vector_model.fit(vectors_for(texts), labels, sample_weight=weights)
    return vectoriser, chars_model, vector_model


def artefact_bytes(vectoriser, chars_model, vector_model, hyper: Hyper) -> bytes:  # type: ignore[no-untyped-def]
    """The npz the assistant loads, written deterministically (fixed member order, no dates)."""
    vocab = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.__getitem__)
    classes = [str(c) for c in chars_model.classes_]
    coef_vector = np.zeros((len(classes), VECTOR_DIM), dtype=np.float32)
    intercept = chars_model.intercept_.astype(np.float32)
    if vector_model is not None:
        assert [str(c) for c in vector_model.classes_] == classes
        coef_vector = vector_model.coef_.astype(np.float32)
        intercept = intercept + np.float32(hyper.vector_weight) * vector_model.intercept_.astype(np.float32)
    arrays = {
        "classes": np.array(classes),
        "vocab": np.array(vocab),
        "idf": vectoriser.idf_.astype(np.float32),
        "coef_chars": chars_model.coef_.astype(np.float32),
        "coef_vector": coef_vector,
        "intercept": intercept,
        "vector_weight": np.array([hyper.vector_weight], dtype=np.float32),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def build_platform() -> str:
    """What decides the floating-point rounding of a build: the CPU architecture, the OpenBLAS
    kernels chosen for this CPU, and the CPU's vector extensions (the encoder dispatches on them)."""
    from threadpoolctl import threadpool_info

    kernels = sorted({str(i.get("architecture")) for i in threadpool_info() if i.get("internal_api") == "openblas"})
    flags: set[str] = set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    vector = sorted(f for f in flags if f in {"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni"})
    return " ".join([platform.machine(), "openblas=" + ",".join(kernels), "cpu=" + ",".join(vector)])


def provenance_path(artefact: Path) -> Path:
    return artefact.with_name(artefact.stem + ".build.json")


def build(out: Path = ARTEFACT, hyper: Hyper = Hyper()) -> Path:
    """Fit on the train split and write the artefact and its provenance. One BLAS thread:
    several threads sum floats in a varying order, and the artefact must come out the same on
    every run."""
    from threadpoolctl import threadpool_limits

    items = training_items("train")
    with threadpool_limits(limits=1):
        data = artefact_bytes(*fit(items, hyper), hyper)
    out.write_bytes(data)
    provenance = {"sha256": hashlib.sha256(data).hexdigest(), "platform": build_platform()}
    provenance_path(out).write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ARTEFACT)
    args = parser.parse_args(argv)
    path = build(args.out)
    print(json.dumps({"artefact": str(path), "bytes": path.stat().st_size}))


if __name__ == "__main__":
    main()
