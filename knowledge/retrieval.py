"""Hybrid retrieval: dense (Chroma) + BM25, fused, one hit per section.

Rankers score *sections* (a section's best chunk stands for it): ``bm25`` over chunk texts,
``dense`` (chunks embedded as passages), ``title`` (section titles embedded as queries) and,
when switched on, ``use`` (a second dense model). Two fusions are implemented and measured by
`bench/retrieval.py`: reciprocal-rank fusion (sum of weight / (rrf_k + rank)) and z-score
fusion (sum of weight x standardised score). The default is the one that measured best on the
labelled set (see `RetrievalConfig`). A query's language is `knowledge.lang.detect_lang`'s unless
the caller names one, and only sections of that language are returned.
"""

from __future__ import annotations

import difflib
import logging
import re
import statistics
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from knowledge.bm25 import BM25Index
from knowledge.corpus import Section
from knowledge.embedders import USE_NAME, get_embedder
from knowledge.errors import UserInputError
from knowledge.index import Corpus, EnsureResult, ensure_index, load_indexable_corpus, open_store
from knowledge.lang import detect_lang
from knowledge.settings import DEFAULT_PRODUCT_NAME_ZH, KnowledgeSettings
from knowledge.vectorstore import VectorStore

log = logging.getLogger(__name__)

LANGS = ("zh", "en")
# Common misspellings of the product name; deployments with another name keep working because
# the replacement is the configured name.
_PRODUCT_MISSPELLINGS = re.compile(r"借唄|借贝|借吧|借被")

Scores = dict[str, float]  # section key ("lang:section_id") -> ranker score, best first


class SearchHit(BaseModel):
    """One retrieved section: the contract's `search` output (CONTRACT.md section 5)."""

    doc_id: str
    section_id: str
    title: str
    text: str
    score: float


def _default_weights() -> dict[str, dict[str, float]]:
    # Per query language. The phrase ranker (contiguous characters) helps Chinese, which has no
    # word boundaries for BM25 to respect; in English it only added noise (bench --tune).
    return {
        "zh": {"dense": 1.0, "title": 0.3, "bm25": 0.05, "phrase": 0.25, "use": 0.3},
        "en": {"dense": 1.0, "title": 0.3, "bm25": 0.1, "phrase": 0.0, "use": 0.3},
    }


@dataclass(frozen=True)
class RetrievalConfig:
    """Fusion knobs. Defaults measured best on eval/retrieval/queries.jsonl (bench/retrieval.py):
    z-score fusion beat RRF there on hit@3 in both languages; the USE ranker added latency
    without lifting quality, so it is off unless `settings.retrieval_use` turns it on."""

    fusion: Literal["zscore", "rrf"] = "zscore"
    rrf_k: int = 5
    weights: dict[str, dict[str, float]] = field(default_factory=_default_weights)
    use_second_ranker: bool = False
    candidates: int = 100

    @classmethod
    def from_settings(cls, settings: KnowledgeSettings) -> RetrievalConfig:
        return cls(use_second_ranker=settings.retrieval_use)

    def weights_for(self, lang: str) -> dict[str, float]:
        """Ranker weights for a query language (a missing ranker weighs 1)."""
        return self.weights.get(lang) or next(iter(self.weights.values()))


def normalise_query(text: str, product_name: str = DEFAULT_PRODUCT_NAME_ZH) -> str:
    """Full-width to half-width, collapsed spaces, product-name misspellings fixed."""
    text = unicodedata.normalize("NFKC", text)
    text = _PRODUCT_MISSPELLINGS.sub(product_name, text)
    return re.sub(r"\s+", " ", text).strip()


def fuse_rrf(rankings: Mapping[str, Scores], weights: Mapping[str, float], rrf_k: int) -> Scores:
    """Reciprocal-rank fusion: only the order of each ranker's list counts."""
    fused: Scores = {}
    for ranker, scores in rankings.items():
        weight = weights.get(ranker, 1.0)
        for rank, key in enumerate(scores, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (rrf_k + rank)
    return _sorted(fused)


def fuse_zscore(rankings: Mapping[str, Scores], weights: Mapping[str, float]) -> Scores:
    """Sum of weighted standardised scores; a section a ranker did not return gets that
    ranker's lowest standardised score. Keeps how *much* better a ranker found a section."""
    keys = {key for scores in rankings.values() for key in scores}
    fused: Scores = dict.fromkeys(keys, 0.0)
    for ranker, scores in rankings.items():
        if len(scores) < 2:
            continue
        mean = statistics.fmean(scores.values())
        spread = statistics.pstdev(scores.values()) or 1.0
        standard = {key: (value - mean) / spread for key, value in scores.items()}
        floor = min(standard.values())
        weight = weights.get(ranker, 1.0)
        for key in keys:
            fused[key] += weight * standard.get(key, floor)
    return _sorted(fused)


def fuse(rankings: Mapping[str, Scores], config: RetrievalConfig, lang: str) -> Scores:
    """Fuse per-ranker section scores as the config says for a query in `lang`; rankers with
    weight 0 are left out."""
    weights = config.weights_for(lang)
    used = {name: scores for name, scores in rankings.items() if weights.get(name, 1.0) > 0}
    if config.fusion == "rrf":
        return fuse_rrf(used, weights, config.rrf_k)
    return fuse_zscore(used, weights)


def _sorted(scores: Scores) -> Scores:
    """Best first; ties broken by key so the same query always gives the same order."""
    return dict(sorted(scores.items(), key=lambda item: (-item[1], item[0])))


def _phrase_units(text: str, lang: str) -> list[str]:
    """Characters (Chinese, punctuation dropped) or lowercased words (English)."""
    if lang == "zh":
        return [ch for ch in text.lower() if ch.isalnum()]
    return re.findall(r"[a-z0-9]+", text.lower())


def _best_per_section(pairs: list[tuple[str, float]]) -> Scores:
    best: Scores = {}
    for key, score in pairs:
        if key not in best or score > best[key]:
            best[key] = score
    return _sorted(best)


class Retriever:
    """Searches the knowledge index; builds it on first use (see `ensure_result`)."""

    def __init__(
        self,
        settings: KnowledgeSettings,
        *,
        config: RetrievalConfig | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.config = config or RetrievalConfig.from_settings(settings)
        extra = [USE_NAME] if self.config.use_second_ranker else []
        corpus = load_indexable_corpus(settings)
        self.ensure_result: EnsureResult = ensure_index(settings, extra_embedders=extra, corpus=corpus, notify=notify)
        self._reopen = lambda: self._open_stores(extra, corpus, notify)
        self._reopen_lock = threading.Lock()
        self._stores = self._reopen()
        self._load(corpus)

    def _connect(self, extra: list[str]) -> dict[str, VectorStore]:
        stores = {"dense": open_store(self.settings, get_embedder(self.settings.embedder))}
        if extra:
            stores["use"] = open_store(self.settings, get_embedder(USE_NAME))
        return stores

    def _open_stores(
        self, extra: list[str], corpus: Corpus, notify: Callable[[str], None] | None
    ) -> dict[str, VectorStore]:
        stores = self._connect(extra)
        if any(store.count() != len(corpus.chunks) for store in stores.values()):
            # The manifest says complete but Chroma disagrees (deleted or damaged store).
            log.warning("knowledge index does not match its manifest; rebuilding")
            from knowledge.index import build_index

            if notify:
                notify("the knowledge index was incomplete; rebuilding it")
            summaries = build_index(self.settings, extra_embedders=extra, rebuild=True)
            self.ensure_result = EnsureResult(built=True, summaries=summaries)
            stores = self._connect(extra)  # the rebuild recreated the collections: reconnect
        return stores

    def _local_files_gone(self) -> bool:
        return not self.settings.chroma_url and not (self.settings.chroma_dir / "chroma.sqlite3").is_file()

    def _rebuild_if_deleted(self) -> None:
        """A local index whose files were deleted while the process runs is rebuilt before the
        next dense search (one stat call per question).

        Left alone, Chroma answers some queries from handles it still holds and fails or sees an
        empty store on others, depending on which worker thread asks: answers would fall back to
        BM25 (other sections) at random instead of consistently."""
        if not self._local_files_gone():
            return
        with self._reopen_lock:
            if not self._local_files_gone():
                return  # another thread rebuilt it while this one waited
            log.warning("the local knowledge index at %s was deleted; rebuilding it", self.settings.chroma_dir)
            from knowledge.index import discard_local_store

            discard_local_store(self.settings)  # also forgets Chroma's client for the deleted files
            self._stores = self._reopen()

    def _load(self, corpus: Corpus) -> None:
        self._entry_keys = {c.chunk_id: f"{c.lang}:{c.section_id}" for c in corpus.chunks}
        texts = [c for c in corpus.chunks if c.kind == "chunk"]
        self._chunk_keys = [f"{c.lang}:{c.section_id}" for c in texts]
        self._bm25_positions = {lang: [i for i, c in enumerate(texts) if c.lang == lang] for lang in LANGS}
        self._sections = {f"{s.lang}:{s.section_id}": s for s in corpus.sections}
        self._phrase_corpus = {
            lang: [(key, _phrase_units(f"{s.title}\n{s.text}", lang)) for key, s in self._sections.items() if s.lang == lang]
            for lang in LANGS
        }
        # The title is indexed twice: it is the densest statement of what a section is about.
        self._bm25 = BM25Index([f"{c.title}\n{c.title}\n{c.text}" for c in texts], [c.lang for c in texts])

    # -- public API --------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, lang: str | None = None) -> list[SearchHit]:
        """The `k` best sections for `query`, best first, in `lang` (detected when None)."""
        if k < 1:
            raise UserInputError("k must be at least 1")
        if lang is not None and lang not in LANGS:
            raise UserInputError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
        text = normalise_query(query, self.settings.product_name_zh)
        if not text:
            raise UserInputError("the search query is empty")
        lang = lang or detect_lang(text)[0]
        fused = fuse(self.rankings(text, lang), self.config, lang)
        return [self._hit(key, score) for key, score in list(fused.items())[:k]]

    def get_section(self, section_id: str, lang: str) -> Section | None:
        """A section by id and language (for citing titles and texts), or None."""
        return self._sections.get(f"{lang}:{section_id}")

    def sections(self, lang: str | None = None) -> list[Section]:
        """Every indexed section, optionally of one language."""
        return [s for s in self._sections.values() if lang is None or s.lang == lang]

    def rankings(self, query: str, lang: str) -> dict[str, Scores]:
        """Per-ranker section scores (keys ``lang:section_id``), best first. The benchmark
        fuses these in every combination; `search` fuses them as configured."""
        self._rebuild_if_deleted()
        rankings = {"bm25": self._bm25_scores(query, lang)}
        if self.config.weights_for(lang).get("phrase", 1.0) > 0:
            rankings["phrase"] = self._phrase_scores(query, lang)
        for ranker, store in self._stores.items():
            rankings.update(self._dense_scores(ranker, store, query, lang))
        return {name: scores for name, scores in rankings.items() if scores}

    # -- internals ---------------------------------------------------------------------------

    def _bm25_scores(self, query: str, lang: str) -> Scores:
        scores = self._bm25.scores(query, lang)
        return _best_per_section(
            [(self._chunk_keys[i], float(scores[i])) for i in self._bm25_positions[lang]]
        )

    def _phrase_scores(self, query: str, lang: str) -> Scores:
        """Longest stretch of the query found verbatim in a section, as a share of the query
        (characters for Chinese, words for English): rewards a section that states the
        question's own words in order, which bag-of-words BM25 cannot see."""
        units = _phrase_units(query, lang)
        if len(units) < 3:
            return {}
        scores = []
        for key, section_units in self._phrase_corpus[lang]:
            matcher = difflib.SequenceMatcher(None, units, section_units, autojunk=False)
            match = matcher.find_longest_match(0, len(units), 0, len(section_units))
            scores.append((key, match.size / len(units) if match.size >= 3 else 0.0))
        return _sorted(dict(scores))

    def _dense_scores(self, ranker: str, store: VectorStore, query: str, lang: str) -> dict[str, Scores]:
        limit = self.config.candidates
        try:
            vector = store.embed_query(query)
            chunks = store.query(vector, limit, lang, kind="chunk")
            titles = store.query(vector, limit, lang, kind="title") if ranker == "dense" else []
        except Exception as exc:  # noqa: BLE001 — a damaged store must not break a question: BM25 still answers
            log.warning("dense search in %s failed (%s); using BM25 only", store.name, exc)
            return {}
        result = {ranker: self._to_sections(chunks)}
        if titles:
            result["title"] = self._to_sections(titles)
        return result

    def _to_sections(self, nearest: list[tuple[str, float]]) -> Scores:
        keys = self._entry_keys
        return _best_per_section([(keys[cid], score) for cid, score in nearest if cid in keys])

    def _hit(self, key: str, score: float) -> SearchHit:
        section = self._sections[key]
        return SearchHit(
            doc_id=section.doc_id,
            section_id=section.section_id,
            title=section.title,
            text=section.text,
            score=round(score, 6),
        )


_retrievers: dict[tuple[object, ...], Retriever] = {}
_retrievers_lock = threading.Lock()


def get_retriever(settings: KnowledgeSettings, notify: Callable[[str], None] | None = None) -> Retriever:
    """The process-wide retriever for these settings (built once: the assistant searches on
    every question)."""
    key = (
        settings.corpus_dir,
        settings.policy_file,
        settings.embedder,
        settings.chroma_url,
        settings.data_dir,
        RetrievalConfig.from_settings(settings).use_second_ranker,
    )
    with _retrievers_lock:
        if key not in _retrievers:
            _retrievers[key] = Retriever(settings, notify=notify)
        return _retrievers[key]
