"""Parsing policy documents: placeholders rendered, every mistake named with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CorpusError
from knowledge.corpus import load_corpus, parse_document
from tests.helpers.knowledge import write_doc
from tools.policy import load_policy

POLICY = load_policy()


def test_sections_are_parsed_and_placeholders_rendered(corpus_dir: Path) -> None:
    docs = load_corpus(corpus_dir, POLICY)
    assert {d.doc_id for d in docs} == {
        "borrowing-rules.zh", "borrowing-rules.en", "repayment-and-limit.zh", "repayment-and-limit.en"
    }
    zh = next(d for d in docs if d.doc_id == "borrowing-rules.zh")
    assert [s.section_id for s in zh.sections] == ["draw-minimum", "maintenance-window"]
    assert "500" in zh.sections[0].text and "{{" not in zh.sections[0].text
    assert "23:50" in zh.sections[1].text and "00:10" in zh.sections[1].text
    assert zh.sections[0].title_path == "借款规则 > 单笔最低借款金额"
    assert zh.sections[1].line == 13


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "zh" / "doc.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_front_matter_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "---\ndoc_id: doc.zh\ntitle: T\nlang: zh\n---\n## A {#a}\ntext\n")
    with pytest.raises(CorpusError, match=r"doc\.md:1: front matter lacks policy_version, updated"):
        parse_document(path, POLICY)


def test_no_front_matter_at_all(tmp_path: Path) -> None:
    path = _write(tmp_path, "# Title\n## A {#a}\ntext\n")
    with pytest.raises(CorpusError, match=r"doc\.md:1: missing front matter"):
        parse_document(path, POLICY)


HEADER = '---\ndoc_id: doc.zh\ntitle: T\nlang: zh\npolicy_version: "2026.11"\nupdated: 2026-11-01\n---\n'


def test_duplicate_section_id_names_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "## A {#a}\none\n\n## B {#a}\ntwo\n")
    with pytest.raises(CorpusError, match=r"doc\.md:11: duplicate section id 'a' \(first at line 8\)"):
        parse_document(path, POLICY)


def test_heading_without_id_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "## A {#a}\none\n## Forgot the id\ntwo\n")
    with pytest.raises(CorpusError, match=r"doc\.md:10: level-2 heading without a section id"):
        parse_document(path, POLICY)


def test_unknown_placeholder_names_the_section_line(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "## A {#a}\nat least {{draw.minimum_amount}} yuan\n")
    with pytest.raises(CorpusError, match=r"doc\.md:8: unknown policy placeholder \{\{draw\.minimum_amount\}\}"):
        parse_document(path, POLICY)


def test_empty_section_and_wrong_language_suffix(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "## A {#a}\n\n## B {#b}\ntext\n")
    with pytest.raises(CorpusError, match=r"doc\.md:8: section 'a' has no text"):
        parse_document(path, POLICY)
    path = _write(tmp_path, HEADER.replace("doc_id: doc.zh", "doc_id: doc.en") + "## A {#a}\nx\n")
    with pytest.raises(CorpusError, match=r"doc_id 'doc.en' must end with '.zh'"):
        parse_document(path, POLICY)


def test_section_id_used_in_two_documents_of_one_language(corpus_dir: Path) -> None:
    write_doc(corpus_dir, "extra", "zh", "额外", [("draw-minimum", "重复", "重复的内容")])
    with pytest.raises(CorpusError, match=r"extra\.md:\d+: section id 'draw-minimum' is also used in .*borrowing-rules\.md"):
        load_corpus(corpus_dir, POLICY)


def test_missing_corpus_directory(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere", POLICY)
