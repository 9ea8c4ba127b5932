"""Sections become chunks: one chunk per section, long ones split with overlap.

Every chunk keeps its section's id, so retrieval can always cite the section whatever piece of
it matched. The content hash covers everything that goes into an embedding, so the index can
re-embed exactly the chunks whose text changed.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.corpus import Section

# multilingual-e5-small reads 512 tokens; 700 characters stays well inside for zh and en.
MAX_CHARS = 700
OVERLAP_CHARS = 120

_SENTENCE_END = re.compile(r"(?<=[。！？；.!?;])\s*")


class Chunk(BaseModel):
    """A piece of a section, as stored in the vector index."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    section_id: str
    title: str
    title_path: str
    lang: str
    text: str
    part: int
    content_hash: str
    kind: Literal["chunk", "title"] = "chunk"

    @property
    def passage(self) -> str:
        """What the embedders read: the title path gives short pieces their context; a title
        entry is the bare title."""
        return self.text if self.kind == "title" else f"{self.title_path}\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store."""
        return {
            "doc_id": self.doc_id,
            "section_id": self.section_id,
            "title": self.title,
            "title_path": self.title_path,
            "lang": self.lang,
            "part": self.part,
            "kind": self.kind,
            "content_hash": self.content_hash,
        }


def content_hash(title_path: str, text: str) -> str:
    """Stable hash of what an embedding is computed from."""
    return hashlib.sha256(f"{title_path}\n{text}".encode()).hexdigest()[:32]


def _pieces(text: str) -> list[str]:
    """Paragraphs, and sentences of paragraphs that are too long on their own."""
    pieces: list[str] = []
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not paragraph:
            continue
        if len(paragraph) <= MAX_CHARS:
            pieces.append(paragraph)
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            while len(sentence) > MAX_CHARS:  # a run-on "sentence": cut it hard
                pieces.append(sentence[:MAX_CHARS])
                sentence = sentence[MAX_CHARS - OVERLAP_CHARS :]
            if sentence.strip():
                pieces.append(sentence.strip())
    return pieces


def split_text(text: str, max_chars: int = MAX_CHARS, overlap: int = OVERLAP_CHARS) -> list[str]:
    """Windows of whole paragraphs/sentences up to `max_chars`, each repeating the tail of the
    previous window (about `overlap` characters) so a rule cut in two is still found whole."""
    if len(text) <= max_chars:
        return [text]
    windows: list[str] = []
    current: list[str] = []
    for piece in _pieces(text):
        if current and len("\n".join(current + [piece])) > max_chars:
            windows.append("\n".join(current))
            tail: list[str] = []
            for previous in reversed(current):
                if len("\n".join([previous] + tail)) > overlap:
                    break
                tail.insert(0, previous)
            current = tail or [current[-1][-overlap:]]
        current.append(piece)
    if current:
        windows.append("\n".join(current))
    return windows


def chunk_section(section: Section) -> list[Chunk]:
    """One chunk for a short section, several overlapping ones for a long one."""
    chunks = []
    for part, text in enumerate(split_text(section.text)):
        chunks.append(
            Chunk(
                chunk_id=f"{section.doc_id}#{section.section_id}#{part}",
                doc_id=section.doc_id,
                section_id=section.section_id,
                title=section.title,
                title_path=section.title_path,
                lang=section.lang,
                text=text,
                part=part,
                content_hash=content_hash(section.title_path, text),
            )
        )
    return chunks


def title_entry(section: Section) -> Chunk:
    """The section title as its own index entry. Titles read like the questions users ask, so
    they are embedded as queries (a symmetric match); measured in bench/retrieval.py, this
    entry is what lifts short colloquial questions to the right section."""
    return Chunk(
        chunk_id=f"{section.doc_id}#{section.section_id}#title",
        doc_id=section.doc_id,
        section_id=section.section_id,
        title=section.title,
        title_path=section.title_path,
        lang=section.lang,
        text=section.title,
        part=-1,
        content_hash=content_hash("title", section.title),
        kind="title",
    )


def chunk_sections(sections: list[Section]) -> list[Chunk]:
    """Chunks of every section, then one title entry per section."""
    chunks = [chunk for section in sections for chunk in chunk_section(section)]
    return chunks + [title_entry(section) for section in sections]
