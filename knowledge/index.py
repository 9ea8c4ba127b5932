"""Build or refresh the knowledge index, incrementally and safely.

Each chunk carries a content hash; a refresh re-embeds only chunks whose hash changed, adds new
ones and removes deleted ones. A manifest per collection records the state: it is written
atomically (temp file + rename) as "building" before Chroma is touched and "complete" after, so
an interrupted or corrupt index (manifest missing, unreadable, still "building", or a count that
disagrees with Chroma) is detected and rebuilt from scratch. A file lock keeps two processes
from writing the same index at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from knowledge.chunking import Chunk, chunk_sections
from knowledge.corpus import Section, all_sections, load_corpus
from knowledge.embedders import Embedder, get_embedder
from knowledge.errors import DISK_FULL_MESSAGE, ServiceUnavailable, is_disk_full
from knowledge.settings import KnowledgeSettings
from knowledge.vectorstore import VectorStore, collection_name, open_client, target_label
from tools.policy import load_policy

log = logging.getLogger(__name__)

EMBED_BATCH = 32
MANIFEST_VERSION = 1


class Manifest(BaseModel):
    """What the last build of one collection left behind."""

    version: int = MANIFEST_VERSION
    state: Literal["building", "complete"]
    collection: str
    embedder: str
    target: str
    fingerprint: str
    chunks: int
    built_at: str


class IndexSummary(BaseModel):
    """What a build did, for the CLI and the logs."""

    collection: str
    embedder: str
    target: str
    rebuilt: bool
    added: int
    updated: int
    removed: int
    unchanged: int
    chunks: int
    sections: int
    seconds: float


class Corpus(BaseModel):
    """The corpus as the index sees it: sections and their chunks."""

    sections: list[Section]
    chunks: list[Chunk]

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for chunk in sorted(self.chunks, key=lambda c: c.chunk_id):
            digest.update(f"{chunk.chunk_id}\0{chunk.content_hash}\n".encode())
        return digest.hexdigest()[:32]


def load_indexable_corpus(settings: KnowledgeSettings) -> Corpus:
    """Parse the corpus with the policy rendered in, and chunk it."""
    sections = all_sections(load_corpus(settings.corpus_dir, load_policy(settings.policy_file)))
    return Corpus(sections=sections, chunks=chunk_sections(sections))


# -- manifest and lock ----------------------------------------------------------------------


def index_dir(settings: KnowledgeSettings) -> Path:
    return settings.data_dir / "index"


def manifest_path(settings: KnowledgeSettings, embedder: Embedder) -> Path:
    target = hashlib.sha256(target_label(settings).encode()).hexdigest()[:12]
    return index_dir(settings) / f"{collection_name(embedder)}.{target}.json"


def read_manifest(path: Path) -> Manifest | None:
    """The manifest, or None when it is missing or unreadable (both mean: rebuild)."""
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ValidationError):
        log.warning("index manifest %s is corrupt; the index will be rebuilt", path)
        return None


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write atomically: readers see the old manifest or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    os.replace(tmp, path)


@contextlib.contextmanager
def index_lock(settings: KnowledgeSettings) -> Iterator[None]:
    """An exclusive, blocking lock across processes for writing the index."""
    path = index_dir(settings) / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# -- opening the store, recovering from a corrupt local one ---------------------------------


def open_store(settings: KnowledgeSettings, embedder: Embedder) -> VectorStore:
    """The collection for `embedder`; a local Chroma directory that cannot be opened is
    moved out of the way and recreated (it only holds derived data)."""
    try:
        return VectorStore(open_client(settings), embedder)
    except ServiceUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001
        if is_disk_full(exc):  # not corruption: the index is intact, keep it
            raise ServiceUnavailable(DISK_FULL_MESSAGE) from None
        if settings.chroma_url:
            raise ServiceUnavailable(f"Chroma server {settings.chroma_url}: {exc}") from None
        log.warning("local Chroma index at %s is unreadable (%s); recreating it", settings.chroma_dir, exc)
        discard_local_store(settings)
        return VectorStore(open_client(settings), embedder)


def discard_local_store(settings: KnowledgeSettings) -> None:
    """Forget the embedded Chroma directory and every manifest pointing at it."""
    with contextlib.suppress(Exception):
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    shutil.rmtree(settings.chroma_dir, ignore_errors=True)
    for manifest in index_dir(settings).glob("*.json"):
        manifest.unlink(missing_ok=True)


# -- building -------------------------------------------------------------------------------


def needs_rebuild(manifest: Manifest | None, store: VectorStore) -> bool:
    """True when the stored index cannot be trusted for an incremental refresh."""
    if manifest is None or manifest.state != "complete" or manifest.version != MANIFEST_VERSION:
        return True
    return manifest.collection != store.name or manifest.chunks != store.count()


def is_fresh(settings: KnowledgeSettings, embedder: Embedder, corpus: Corpus) -> bool:
    """The manifest says a complete index of exactly this corpus exists (no Chroma call)."""
    manifest = read_manifest(manifest_path(settings, embedder))
    return (
        manifest is not None
        and manifest.state == "complete"
        and manifest.version == MANIFEST_VERSION
        and manifest.fingerprint == corpus.fingerprint
    )


ProgressFn = Callable[[int, int], None]


def _new_manifest(store: VectorStore, settings: KnowledgeSettings, corpus: Corpus, state: Any) -> Manifest:
    return Manifest(
        state=state,
        collection=store.name,
        embedder=store.embedder.name,
        target=target_label(settings),
        fingerprint=corpus.fingerprint,
        chunks=len(corpus.chunks),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def refresh_collection(
    settings: KnowledgeSettings,
    embedder: Embedder,
    corpus: Corpus,
    *,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
) -> IndexSummary:
    """Bring one collection in line with `corpus`; the caller holds the index lock."""
    started = time.perf_counter()
    store = open_store(settings, embedder)
    path = manifest_path(settings, embedder)
    rebuild = rebuild or needs_rebuild(read_manifest(path), store)
    if rebuild:
        store.reset()
    stored = store.hashes()
    current = {chunk.chunk_id: chunk for chunk in corpus.chunks}
    changed = [c for cid, c in current.items() if stored.get(cid) != c.content_hash]
    removed = [cid for cid in stored if cid not in current]
    added = sum(1 for c in changed if c.chunk_id not in stored)

    write_manifest(path, _new_manifest(store, settings, corpus, "building"))
    store.delete(removed)
    _embed_in_batches(store, changed, progress)
    if store.count() != len(corpus.chunks):
        raise ServiceUnavailable(
            f"index {store.name} holds {store.count()} chunks after the build, expected "
            f"{len(corpus.chunks)}"
        )
    write_manifest(path, _new_manifest(store, settings, corpus, "complete"))
    return IndexSummary(
        collection=store.name,
        embedder=embedder.name,
        target=target_label(settings),
        rebuilt=rebuild,
        added=added,
        updated=len(changed) - added,
        removed=len(removed),
        unchanged=len(current) - len(changed),
        chunks=len(corpus.chunks),
        sections=len(corpus.sections),
        seconds=round(time.perf_counter() - started, 3),
    )


def _embed_in_batches(store: VectorStore, chunks: Sequence[Chunk], progress: ProgressFn | None) -> None:
    for start in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        store.upsert(batch)
        if progress:
            progress(start + len(batch), len(chunks))


def index_embedders(settings: KnowledgeSettings, extra: Sequence[str] = ()) -> list[Embedder]:
    """The configured embedder plus any extra dense rankers, without duplicates."""
    names = [settings.embedder, *extra]
    embedders: list[Embedder] = []
    for name in names:
        embedder = get_embedder(name)
        if all(e.name != embedder.name for e in embedders):
            embedders.append(embedder)
    return embedders


def build_index(
    settings: KnowledgeSettings,
    *,
    extra_embedders: Sequence[str] = (),
    rebuild: bool = False,
    progress: Callable[[str], ProgressFn] | None = None,
) -> list[IndexSummary]:
    """Build or refresh every collection the retriever uses; one summary per collection.

    `progress(collection_name)` may return a callback receiving (done, total) chunk counts.
    """
    corpus = load_indexable_corpus(settings)
    summaries = []
    with index_lock(settings):
        for embedder in index_embedders(settings, extra_embedders):
            callback = progress(collection_name(embedder)) if progress else None
            try:
                summaries.append(refresh_collection(settings, embedder, corpus, rebuild=rebuild, progress=callback))
            except Exception as exc:
                # The manifest still says "building": the next start rebuilds what this left.
                if is_disk_full(exc):
                    raise ServiceUnavailable(DISK_FULL_MESSAGE) from None
                raise
    return summaries


class EnsureResult(BaseModel):
    """What `ensure_index` found: `built` is True when it had to (re)build or refresh."""

    built: bool
    summaries: list[IndexSummary] = []


def ensure_index(
    settings: KnowledgeSettings,
    *,
    extra_embedders: Sequence[str] = (),
    corpus: Corpus | None = None,
    notify: Callable[[str], None] | None = None,
) -> EnsureResult:
    """Make sure a complete index of the current corpus exists; build or refresh it if not.

    Cheap when the index is fresh (reads the manifests only). `notify` is told, before the
    slow part starts, that a build is happening, so callers can say so.
    """
    corpus = corpus or load_indexable_corpus(settings)
    embedders = index_embedders(settings, extra_embedders)
    if all(is_fresh(settings, e, corpus) for e in embedders):
        return EnsureResult(built=False)
    with index_lock(settings):
        stale = [e for e in embedders if not is_fresh(settings, e, corpus)]  # another process may have built it
        if not stale:
            return EnsureResult(built=False)
        if notify:
            notify(f"building the knowledge index ({len(corpus.chunks)} chunks) at {target_label(settings)}")
        summaries = [refresh_collection(settings, e, corpus) for e in stale]
    return EnsureResult(built=True, summaries=summaries)
