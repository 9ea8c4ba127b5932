"""Sentence vectors for training texts, cached on disk (embedding 20k texts takes minutes).

The cache (`.cache/intent_vectors.npz`, not committed) only saves time: a vector is the same
whether it comes from the cache or from the encoder (assistant/nlu/encoder.py batches and
single calls agree exactly), so the artefact does not depend on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.nlu.encoder import encode_many
from assistant.nlu.training.splits import ROOT

CACHE = ROOT / ".cache" / "intent_vectors.npz"


def _load(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=True) as data:
        return dict(zip((str(t) for t in data["texts"]), data["vecs"]))


def vectors_for(texts: list[str], cache: Path = CACHE) -> np.ndarray:
    """One row per text, in order; missing texts are embedded and added to the cache."""
    known = _load(cache)
    missing = sorted({t for t in texts if t not in known})
    if missing:
        print(f"embedding {len(missing)} texts …", flush=True)
        for text, vector in zip(missing, encode_many(missing, progress=True)):
            known[text] = vector
        cache.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(known)
        np.savez(cache, texts=np.array(ordered, dtype=object), vecs=np.stack([known[t] for t in ordered]))
    return np.stack([known[t] for t in texts]).astype(np.float32)
