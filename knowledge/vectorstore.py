"""Chroma as the dense vector store: embedded `PersistentClient` in the data dir by default, a
Chroma server when `settings.chroma_url` is set.

Our embedder is registered with Chroma as an `EmbeddingFunction` and passed to every collection
we open, so Chroma's own default embedding function (which would download a model) never runs.
Telemetry is off. chromadb is imported only when a store is opened: it is slow to import.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from knowledge.chunking import Chunk
from knowledge.embedders import Embedder, get_embedder
from knowledge.errors import ConfigError, ServiceUnavailable

if TYPE_CHECKING:
    from knowledge.settings import KnowledgeSettings

log = logging.getLogger(__name__)

EF_NAME = "limit_assistant"
BATCH = 64


@functools.cache
def embedding_function_class() -> type:
    """Our Chroma `EmbeddingFunction`, defined and registered on first use (lazy chromadb)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    class LimitAssistantEmbeddingFunction(EmbeddingFunction[Documents]):
        """Adapts an `Embedder`: passages on add/upsert, queries on query."""

        def __init__(self, embedder: Embedder) -> None:
            self.embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.embedder.embed_passages(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return list(self.embedder.embed_queries(list(input)))

        @staticmethod
        def name() -> str:
            return EF_NAME

        def default_space(self) -> Any:
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": self.embedder.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> LimitAssistantEmbeddingFunction:
            return LimitAssistantEmbeddingFunction(get_embedder(config["embedder"]))

    register_embedding_function(LimitAssistantEmbeddingFunction)
    return LimitAssistantEmbeddingFunction


def collection_name(embedder: Embedder) -> str:
    """One collection per embedder: vectors of two models never mix."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", embedder.name).strip("-").lower()[:40]
    return f"kb-{slug}-{embedder.dim}"


def target_label(settings: KnowledgeSettings) -> str:
    """Where the index lives, for messages and the manifest."""
    return settings.chroma_url or str(settings.chroma_dir)


def open_client(settings: KnowledgeSettings) -> Any:
    """A Chroma client for the settings; an unreachable server is `ServiceUnavailable`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if not settings.chroma_url:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    url = urlparse(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(f"LIMIT_ASSISTANT_CHROMA_URL must be http(s)://host:port, not {settings.chroma_url!r}")
    try:
        client = chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001 — connection refused, DNS, TLS: all mean "not reachable now"
        raise ServiceUnavailable(f"Chroma server {settings.chroma_url} is not reachable ({exc})") from None
    return client


class VectorStore:
    """One Chroma collection of chunks embedded by one embedder."""

    def __init__(self, client: Any, embedder: Embedder) -> None:
        self.client = client
        self.embedder = embedder
        self.name = collection_name(embedder)
        self._function = embedding_function_class()(embedder)
        self._collection = self._open()

    def _open(self) -> Any:
        return self.client.get_or_create_collection(
            name=self.name,
            embedding_function=self._function,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder.name, "dim": self.embedder.dim},
        )

    def count(self) -> int:
        return int(self._collection.count())

    def hashes(self) -> dict[str, str]:
        """chunk id → content hash of everything stored."""
        stored = self._collection.get(include=["metadatas"])
        return {
            chunk_id: str((meta or {}).get("content_hash", ""))
            for chunk_id, meta in zip(stored["ids"], stored["metadatas"] or [])
        }

    def upsert(self, chunks: Sequence[Chunk]) -> None:
        """Embed through our embedding function and store `chunks`: text chunks as passages,
        title entries as queries (symmetric title-to-question match)."""
        passages = [c for c in chunks if c.kind == "chunk"]
        titles = [c for c in chunks if c.kind == "title"]
        if passages:
            self._collection.upsert(
                ids=[c.chunk_id for c in passages],
                documents=[c.passage for c in passages],
                metadatas=[c.metadata() for c in passages],
            )
        if titles:
            self._collection.upsert(
                ids=[c.chunk_id for c in titles],
                documents=[c.passage for c in titles],
                embeddings=self._function.embed_query([c.passage for c in titles]),
                metadatas=[c.metadata() for c in titles],
            )

    def delete(self, chunk_ids: Iterable[str]) -> None:
        ids = list(chunk_ids)
        for start in range(0, len(ids), BATCH):
            self._collection.delete(ids=ids[start : start + BATCH])

    def reset(self) -> None:
        """Drop and recreate the collection (a rebuild)."""
        try:
            self.client.delete_collection(self.name)
        except Exception:  # noqa: BLE001 — not there: nothing to drop
            log.debug("collection %s did not exist", self.name)
        self._collection = self._open()

    def embed_query(self, text: str) -> list[float]:
        """The query vector, through the same embedding function Chroma uses."""
        return [float(x) for x in self._function.embed_query([text])[0]]

    def query(
        self, vector: Sequence[float], n_results: int, lang: str | None = None, kind: str = "chunk"
    ) -> list[tuple[str, float]]:
        """Nearest entries of `kind` to a query vector as (chunk id, cosine similarity), best
        first. The caller embeds once (`embed_query`) and queries chunks and titles with it."""
        total = self.count()
        if total == 0 or n_results <= 0:
            return []
        where: dict[str, Any] = {"kind": kind}
        if lang:
            where = {"$and": [{"kind": kind}, {"lang": lang}]}
        result = self._collection.query(
            query_embeddings=[list(vector)],
            n_results=min(n_results, total),
            where=where,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances)]
