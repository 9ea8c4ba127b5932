"""Policy documents: Markdown with front matter and `## Title {#section-id}` sections.

A document is ``<corpus_dir>/<lang>/<doc>.md``. Numbers are written as ``{{policy.key}}``
placeholders and rendered from the policy file here, so documents and engine never disagree.
Every mistake in a document is one `CorpusError` (a configuration error: the operator fixes
the file) naming the file and the line.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from knowledge.errors import ConfigError, CorpusError
from tools.policy import Policy, render_placeholders
from tools.yamlfile import load_yaml

REQUIRED_FRONT_MATTER = ("doc_id", "title", "lang", "policy_version", "updated")
LANGS = ("zh", "en")

SECTION_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z0-9][a-z0-9-]*)\}\s*$")
# A level-2 heading without an id is almost always a forgotten `{#id}`: refuse it loudly.
BARE_H2 = re.compile(r"^##\s+\S")

log = logging.getLogger(__name__)


class Section(BaseModel):
    """One `## Title {#id}` section of a document, with its placeholders rendered."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    doc_title: str
    section_id: str
    title: str
    lang: str
    text: str
    source: str
    line: int

    @property
    def title_path(self) -> str:
        """``Document title > Section title``: the context a retriever sees with the text."""
        return f"{self.doc_title} > {self.title}"


class Document(BaseModel):
    """A parsed policy document."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    title: str
    lang: str
    policy_version: str
    updated: date
    source: str
    sections: tuple[Section, ...]


def _error(path: Path, line: int, message: str) -> CorpusError:
    return CorpusError(f"{path}:{line}: {message}")


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, object], list[str], int]:
    """Return (front matter, body lines, line number of the first body line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise _error(path, 1, "missing front matter (the file must start with a '---' line)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise _error(path, 1, "front matter is not closed by a '---' line") from None
    try:
        meta = load_yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise _error(path, 2, f"front matter is not valid YAML ({exc})") from None
    if not isinstance(meta, dict):
        raise _error(path, 2, "front matter must be a mapping of keys to values")
    return meta, lines[end + 1 :], end + 2


def _check_front_matter(path: Path, meta: dict[str, object], policy: Policy) -> None:
    missing = [key for key in REQUIRED_FRONT_MATTER if meta.get(key) in (None, "")]
    if missing:
        raise _error(path, 1, f"front matter lacks {', '.join(missing)}")
    lang = str(meta["lang"])
    if lang not in LANGS:
        raise _error(path, 1, f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    if not str(meta["doc_id"]).endswith(f".{lang}"):
        raise _error(path, 1, f"doc_id {meta['doc_id']!r} must end with '.{lang}'")
    if str(meta["policy_version"]) != policy.policy_version:
        # Numbers are rendered from the policy file, so the text stays right; the operator
        # should still review wording written for another version.
        log.warning("%s: written for policy %s, rendering with %s", path, meta["policy_version"],
                    policy.policy_version)
    if not isinstance(meta["updated"], date):
        raise _error(path, 1, f"updated must be a date (YYYY-MM-DD), not {meta['updated']!r}")


def _render(path: Path, line: int, text: str, policy: Policy) -> str:
    try:
        return render_placeholders(text, policy)
    except ConfigError as exc:  # an unknown {{placeholder}}
        raise _error(path, line, str(exc)) from None


def parse_document(path: Path, policy: Policy) -> Document:
    """Parse one Markdown policy document; the text before the first section is dropped."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read ({exc})") from None
    meta, body, first_line = _split_front_matter(path, raw)
    _check_front_matter(path, meta, policy)
    doc_id, doc_title, lang = str(meta["doc_id"]), str(meta["title"]), str(meta["lang"])

    sections: list[Section] = []
    current: tuple[str, str, int] | None = None
    buffer: list[str] = []

    def close() -> None:
        if current is None:
            return
        section_id, title, line = current
        text = _render(path, line, "\n".join(buffer).strip(), policy)
        if not text:
            raise _error(path, line, f"section {section_id!r} has no text")
        sections.append(
            Section(
                doc_id=doc_id,
                doc_title=doc_title,
                section_id=section_id,
                title=_render(path, line, title, policy),
                lang=lang,
                text=text,
                source=str(path),
                line=line,
            )
        )

    seen: dict[str, int] = {}
    for offset, line_text in enumerate(body):
        line_no = first_line + offset
        heading = SECTION_HEADING.match(line_text)
        if heading:
            close()
            section_id = heading["id"]
            if section_id in seen:
                raise _error(
                    path, line_no, f"duplicate section id {section_id!r} (first at line {seen[section_id]})"
                )
            seen[section_id] = line_no
            current, buffer = (section_id, heading["title"], line_no), []
        elif BARE_H2.match(line_text):
            raise _error(path, line_no, "level-2 heading without a section id: '## Title {#id}'")
        elif current is not None:
            buffer.append(line_text)
    close()
    if not sections:
        raise _error(path, first_line, "no '## Title {#id}' section found")
    return Document(
        doc_id=doc_id,
        title=doc_title,
        lang=lang,
        policy_version=str(meta["policy_version"]),
        updated=meta["updated"],  # type: ignore[arg-type]
        source=str(path),
        sections=tuple(sections),
    )


def load_corpus(corpus_dir: Path, policy: Policy) -> list[Document]:
    """Every ``<lang>/*.md`` document under `corpus_dir`, validated across files.

    Raises `CorpusError` for a missing directory, a duplicate doc id, or a section id used
    twice in one language.
    """
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus directory {corpus_dir} does not exist")
    documents: list[Document] = []
    doc_sources: dict[str, str] = {}
    section_sources: dict[tuple[str, str], str] = {}
    for path in sorted(corpus_dir.glob("*/*.md")):
        doc = parse_document(path, policy)
        if path.parent.name != doc.lang:
            raise _error(path, 1, f"lang {doc.lang!r} but the file is under {path.parent.name}/")
        if doc.doc_id in doc_sources:
            raise _error(path, 1, f"duplicate doc_id {doc.doc_id!r} (also in {doc_sources[doc.doc_id]})")
        doc_sources[doc.doc_id] = str(path)
        for section in doc.sections:
            key = (section.lang, section.section_id)
            if key in section_sources:
                raise _error(
                    path,
                    section.line,
                    f"section id {section.section_id!r} is also used in {section_sources[key]}",
                )
            section_sources[key] = f"{path}:{section.line}"
        documents.append(doc)
    return documents


def all_sections(documents: list[Document]) -> list[Section]:
    """Sections of every document, in file order."""
    return [section for doc in documents for section in doc.sections]
