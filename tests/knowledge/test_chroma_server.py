"""The same index against a Chroma server (`chroma run`), when CI provides one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.errors import ServiceUnavailable
from assistant.settings import Settings
from knowledge.embedders import HashingEmbedder
from knowledge.index import build_index
from knowledge.retrieval import Retriever

URL = os.environ.get("LIMIT_ASSISTANT_TEST_CHROMA_URL")


@pytest.mark.chroma_server
@pytest.mark.skipif(not URL, reason="LIMIT_ASSISTANT_TEST_CHROMA_URL is not set")
def test_index_and_search_on_a_chroma_server(tmp_path: Path, corpus_dir: Path, hashing: HashingEmbedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus_dir, embedder="hashing", chroma_url=URL)
    [first] = build_index(settings, rebuild=True)
    assert first.added == 16 and first.target == URL
    [second] = build_index(settings)
    assert second.unchanged == 16 and second.added == 0
    hits = Retriever(settings).search("还款后额度多久恢复", k=2)
    assert hits[0].section_id == "repayment-posting"
    assert not (tmp_path / "data" / "chroma").exists()  # nothing stored locally


def test_unreachable_server_is_service_unavailable(tmp_path: Path, corpus_dir: Path, hashing: HashingEmbedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus_dir, embedder="hashing",
                        chroma_url="http://127.0.0.1:9")
    with pytest.raises(ServiceUnavailable, match="not reachable"):
        build_index(settings)
