"""Hybrid retrieval on the fixture corpus with the fake embedder."""

from __future__ import annotations

import pytest

from assistant.errors import UserInputError
from assistant.settings import Settings
from knowledge.lang import detect_lang
from knowledge.retrieval import (
    RetrievalConfig,
    Retriever,
    SearchHit,
    fuse_rrf,
    fuse_zscore,
    normalise_query,
)


@pytest.fixture
def retriever(settings: Settings) -> Retriever:
    return Retriever(settings)


def test_search_returns_contract_hits_best_first(retriever: Retriever) -> None:
    hits = retriever.search("还款后额度多久恢复", k=3)
    assert all(isinstance(h, SearchHit) for h in hits)
    assert set(hits[0].model_dump()) == {"doc_id", "section_id", "title", "text", "score"}
    assert hits[0].section_id == "repayment-posting" and hits[0].doc_id == "repayment-and-limit.zh"
    assert "2 小时" in hits[0].text and hits[0].title == "还款入账时间"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_language_is_detected_and_filters(retriever: Retriever) -> None:
    assert {h.doc_id.rsplit(".", 1)[1] for h in retriever.search("minimum draw amount", k=4)} == {"en"}
    assert {h.doc_id.rsplit(".", 1)[1] for h in retriever.search("最低借多少", k=4)} == {"zh"}
    forced = retriever.search("最低借多少", k=4, lang="en")
    assert {h.doc_id for h in forced} <= {"borrowing-rules.en", "repayment-and-limit.en"}


def test_one_hit_per_section_even_when_a_section_has_many_chunks(settings: Settings, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.knowledge import write_doc

    long_text = "\n\n".join(f"Paragraph {i}: a failed repayment means the limit does not come back." * 4 for i in range(12))
    write_doc(corpus_dir, "repayment-and-limit", "en", "Repayments", [("repayment-failed", "Failed repayments", long_text)])
    hits = Retriever(settings).search("failed repayment limit", k=5, lang="en")
    ids = [h.section_id for h in hits]
    assert ids[0] == "repayment-failed" and len(ids) == len(set(ids))
    assert hits[0].text == long_text.strip()  # the whole section, not the matching piece


def test_get_section(retriever: Retriever) -> None:
    section = retriever.get_section("maintenance-window", "en")
    assert section is not None and "23:50" in section.text
    assert retriever.get_section("maintenance-window", "fr") is None
    assert retriever.get_section("nope", "zh") is None


def test_bad_input_is_a_user_error(retriever: Retriever) -> None:
    with pytest.raises(UserInputError):
        retriever.search("  ", k=3)
    with pytest.raises(UserInputError):
        retriever.search("x", k=0)
    with pytest.raises(UserInputError):
        retriever.search("x", lang="fr")


def test_query_language_and_normalisation() -> None:
    assert detect_lang("还款后额度多久恢复") == ("zh", True)
    assert detect_lang("why can't I borrow from 借呗") == ("en", True)
    assert detect_lang("借呗 limit 怎么没恢复") == ("zh", True)
    assert detect_lang("5000？") == ("zh", False)
    assert normalise_query("借唄　额度  ？") == "借呗 额度 ?"


def test_fusions() -> None:
    rankings = {"dense": {"a": 0.9, "b": 0.5, "c": 0.1}, "bm25": {"b": 5.0, "c": 4.0}}
    assert list(fuse_rrf(rankings, {"dense": 1, "bm25": 1}, rrf_k=5)) == ["b", "c", "a"]
    # z-score keeps magnitudes: a clear dense win survives a weak lexical vote
    assert next(iter(fuse_zscore(rankings, {"dense": 1.0, "bm25": 0.2}))) == "a"
    assert RetrievalConfig().fusion == "zscore"


def test_dense_failure_falls_back_to_bm25(retriever: Retriever, monkeypatch: pytest.MonkeyPatch) -> None:
    store = retriever._stores["dense"]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("hnsw segment unreadable")

    monkeypatch.setattr(store, "query", broken)
    assert retriever.search("failed repayment", k=1)[0].section_id == "repayment-failed"
