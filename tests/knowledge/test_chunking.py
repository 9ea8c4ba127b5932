"""A section is a chunk; long sections split with overlap and keep their section id."""

from __future__ import annotations

import itertools

from knowledge.chunking import MAX_CHARS, chunk_section, chunk_sections, split_text
from knowledge.corpus import Section


def _section(text: str, section_id: str = "repayment-posting") -> Section:
    return Section(doc_id="repayment-and-limit.zh", doc_title="还款与额度恢复", section_id=section_id,
                   title="还款入账时间", lang="zh", text=text, source="x.md", line=9)


def test_short_section_is_one_chunk_with_metadata() -> None:
    [chunk] = chunk_section(_section("银行卡还款在 2 小时内入账。"))
    assert chunk.chunk_id == "repayment-and-limit.zh#repayment-posting#0"
    assert chunk.metadata() == {
        "doc_id": "repayment-and-limit.zh", "section_id": "repayment-posting", "title": "还款入账时间",
        "title_path": "还款与额度恢复 > 还款入账时间", "lang": "zh", "part": 0, "kind": "chunk",
        "content_hash": chunk.content_hash,
    }
    assert chunk.passage.startswith("还款与额度恢复 > 还款入账时间\n")


def test_long_section_splits_with_overlap_and_keeps_its_id() -> None:
    sentences = [f"第{i}条规则说明还款入账的一种情形，并给出具体的处理方式和时间。" for i in range(60)]
    chunks = chunk_section(_section("".join(sentences)))
    assert len(chunks) >= 3
    assert {c.section_id for c in chunks} == {"repayment-posting"}
    assert [c.part for c in chunks] == list(range(len(chunks)))
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    for previous, following in itertools.pairwise(chunks):
        # the overlap: the next window starts with sentences that ended the previous one
        assert following.text.split("\n")[0] in previous.text.split("\n")[1:]
    joined = "".join(c.text for c in chunks)
    assert all(s in joined for s in sentences)  # nothing lost


def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    text = "\n\n".join(["a" * 300, "b" * 300, "c" * 300])
    windows = split_text(text, max_chars=650, overlap=310)
    assert windows[0] == "a" * 300 + "\n" + "b" * 300
    assert windows[1].startswith("b" * 300)


def test_content_hash_follows_the_text() -> None:
    one = chunk_section(_section("甲"))[0]
    same = chunk_section(_section("甲"))[0]
    other = chunk_section(_section("乙"))[0]
    assert one.content_hash == same.content_hash != other.content_hash


def test_every_section_also_gets_a_title_entry() -> None:
    chunks = chunk_sections([_section("甲"), _section("乙", "repayment-failed")])
    titles = [c for c in chunks if c.kind == "title"]
    assert [t.chunk_id for t in titles] == [
        "repayment-and-limit.zh#repayment-posting#title", "repayment-and-limit.zh#repayment-failed#title"
    ]
    assert titles[0].passage == "还款入账时间"
