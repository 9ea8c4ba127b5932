"""Which reasons a text states, through the catalogue's titles and phrases (zh and en).

A phrase preceded by a negation ("没有逾期", "no overdue payment") is a denial, not a claim:
it is reported separately so that denying a reason the checks found is caught too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.llm.extract import normalise
from tools.catalogue import catalogue

RULES_FILE = Path(__file__).resolve().parent / "verifier_rules.yaml"


@lru_cache(maxsize=1)
def rules() -> dict:
    """The verifier's word lists (promises, compliance breaks, leaks, negations)."""
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Mention:
    code: str
    phrase: str
    start: int
    negated: bool


@lru_cache(maxsize=1)
def _phrase_table() -> list[tuple[str, str]]:
    """(phrase, code), longest phrase first so "逾期记录" wins over "有逾期" where both fit."""
    table: set[tuple[str, str]] = set()
    extra = rules().get("extra_phrases") or {}
    for code, spec in catalogue().reasons.items():
        more = extra.get(code, {})
        for phrase in (spec.title.zh, spec.title.en, *spec.phrases.zh, *spec.phrases.en,
                       *more.get("zh", []), *more.get("en", [])):
            if phrase.strip():
                table.add((normalise(phrase).casefold(), code))
    return sorted(table, key=lambda item: (-len(item[0]), item[0], item[1]))


def find_mentions(text: str) -> list[Mention]:
    """Every reason phrase in `text`, non-overlapping, longest first, with its negation."""
    folded = normalise(text).casefold()
    taken = [False] * len(folded)
    mentions: list[Mention] = []
    for phrase, code in _phrase_table():
        for match in re.finditer(re.escape(phrase), folded):
            start, end = match.span()
            if not _is_word(folded, start, end, phrase) or any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            mentions.append(Mention(code, phrase, start, _negated(folded, start)))
    return sorted(mentions, key=lambda m: m.start)


def phrases_in(text: str) -> set[str]:
    """The reason phrases a text uses (any sense): wording the answer may reuse."""
    return {m.phrase for m in find_mentions(text)}


def _is_word(text: str, start: int, end: int, phrase: str) -> bool:
    """Latin phrases match whole words only ("age" is not inside "page" or "usage")."""
    if not phrase[:1].isascii():
        return True
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _negated(text: str, start: int) -> bool:
    negation = rules()["negation"]
    window = text[max(0, start - 24):start]
    if re.search(negation["en_before"], window, re.IGNORECASE):
        return True
    return re.search(negation["zh_before"], text[max(0, start - 4):start]) is not None
