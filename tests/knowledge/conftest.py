"""Knowledge fixtures: the tiny corpus of tests/helpers/knowledge.py and settings that point
every path at tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from knowledge.embedders import HashingEmbedder, register_embedder
from tests.helpers.knowledge import DOCS, write_doc


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    for (doc, lang), (title, sections) in DOCS.items():
        write_doc(corpus, doc, lang, title, sections)
    return corpus


@pytest.fixture
def hashing() -> HashingEmbedder:
    """A fresh fake embedder, the one `get_embedder("hashing")` returns for this test."""
    embedder = HashingEmbedder()
    register_embedder(embedder)
    return embedder


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path, hashing: HashingEmbedder, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LIMIT_ASSISTANT_CHROMA_URL", raising=False)
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus_dir, embedder="hashing")
