"""Incremental indexing: only changed chunks are re-embedded; broken indexes are rebuilt."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from knowledge.embedders import HashingEmbedder
from knowledge.index import build_index, ensure_index, manifest_path, read_manifest
from tests.helpers.knowledge import write_doc

SECTIONS, ENTRIES = 8, 16  # 8 short sections: one chunk and one title entry each


def _embedded(embedder: HashingEmbedder) -> int:
    return sum(n for _, n in embedder.calls)


def test_first_build_then_nothing_to_do(settings: Settings, hashing: HashingEmbedder) -> None:
    [first] = build_index(settings)
    assert (first.added, first.updated, first.removed, first.unchanged) == (ENTRIES, 0, 0, 0)
    assert first.rebuilt and first.sections == SECTIONS and first.chunks == ENTRIES
    assert _embedded(hashing) == ENTRIES
    [second] = build_index(settings)
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, ENTRIES)
    assert not second.rebuilt
    assert _embedded(hashing) == ENTRIES  # nothing re-embedded


def test_edit_add_and_delete_touch_only_what_changed(settings: Settings, hashing: HashingEmbedder, corpus_dir: Path) -> None:
    build_index(settings)
    before = _embedded(hashing)
    write_doc(corpus_dir, "repayment-and-limit", "en", "Repayments and limit restoration", [
        ("repayment-posting", "When a repayment posts", "A bank card repayment posts within 2 hours. Edited."),
        ("repayment-failed", "Failed repayments", "A failed repayment means the money did not arrive, so the limit does not come back."),
        ("early-repayment-effect", "Early repayment", "Paying early does not hurt your record."),
    ])
    (corpus_dir / "zh" / "borrowing-rules.md").unlink()
    [summary] = build_index(settings)
    # edited: 1 chunk; added: 1 chunk + 1 title; removed: 2 chunks + 2 titles of the zh doc
    assert (summary.added, summary.updated, summary.removed) == (2, 1, 4)
    assert summary.unchanged == ENTRIES - 4 - 1
    assert _embedded(hashing) - before == 3


def test_corrupt_manifest_triggers_a_full_rebuild(settings: Settings, hashing: HashingEmbedder) -> None:
    build_index(settings)
    path = manifest_path(settings, hashing)
    path.write_text("{not json", encoding="utf-8")
    assert read_manifest(path) is None
    [summary] = build_index(settings)
    assert summary.rebuilt and summary.added == ENTRIES
    assert read_manifest(path).state == "complete"  # type: ignore[union-attr]


def test_interrupted_build_is_detected_and_rebuilt(settings: Settings, hashing: HashingEmbedder) -> None:
    build_index(settings)
    path = manifest_path(settings, hashing)
    manifest = read_manifest(path)
    assert manifest is not None
    path.write_text(manifest.model_copy(update={"state": "building"}).model_dump_json(), encoding="utf-8")
    result = ensure_index(settings)
    assert result.built and result.summaries[0].rebuilt


def test_ensure_index_builds_once_and_says_so(settings: Settings, hashing: HashingEmbedder) -> None:
    messages: list[str] = []
    first = ensure_index(settings, notify=messages.append)
    assert first.built and first.summaries[0].added == ENTRIES
    assert messages and "building the knowledge index" in messages[0]
    second = ensure_index(settings, notify=messages.append)
    assert not second.built and len(messages) == 1


def test_corpus_change_makes_ensure_index_refresh(settings: Settings, hashing: HashingEmbedder, corpus_dir: Path) -> None:
    ensure_index(settings)
    write_doc(corpus_dir, "extra", "en", "Extra", [("dynamic-limit", "Dynamic limits", "Limits move.")])
    result = ensure_index(settings)
    assert result.built and result.summaries[0].added == 2 and not result.summaries[0].rebuilt


def test_deleted_store_behind_a_complete_manifest_is_rebuilt_by_the_retriever(settings: Settings, hashing: HashingEmbedder) -> None:
    import shutil

    from chromadb.api.shared_system_client import SharedSystemClient

    from knowledge.retrieval import Retriever

    build_index(settings)
    SharedSystemClient.clear_system_cache()
    shutil.rmtree(settings.chroma_dir)
    retriever = Retriever(settings)
    assert retriever.ensure_result.built
    assert retriever.search("还款多久入账", k=1)[0].section_id == "repayment-posting"
