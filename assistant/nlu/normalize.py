"""Normalise a message: traditional→simplified, full-width→half-width, domain typos fixed.

The lexicon (targets, protected words, explicit variants) lives in data/lexicon.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

DATA_DIR = Path(__file__).parent / "data"
_ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A pinyin message may keep a stray letter or two the table has no word for ("怎么没le", "提e").
PINYIN_LEFTOVER_LETTERS = 2


def _pinyin(text: str) -> str:
    # pypinyin loads its phrase dictionary on import (~0.25 s): only when first needed.
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


@dataclass(frozen=True)
class Lexicon:
    """Domain words and their known misspellings."""

    targets: tuple[str, ...]
    target_pinyin: tuple[str, ...]
    min_similarity: float
    protected: tuple[str, ...]
    variants: tuple[tuple[re.Pattern[str], str], ...]
    english_words: tuple[str, ...]
    english_protected: frozenset[str]


@lru_cache(maxsize=1)
def load_lexicon(path: Path = DATA_DIR / "lexicon.yaml") -> Lexicon:
    """Read the normalisation lexicon (cached: it is read once per process)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    targets = tuple(raw["homophone_targets"])
    return Lexicon(
        targets=targets,
        target_pinyin=tuple(_pinyin(t) for t in targets),
        min_similarity=float(raw.get("pinyin_min_similarity", 100)),
        protected=tuple(raw.get("protected", [])),
        variants=tuple(
            (re.compile(v["pattern"], re.IGNORECASE), v["replace"]) for v in raw["variants"]
        ),
        english_words=tuple(raw["english_words"]),
        english_protected=frozenset(raw.get("english_protected", [])),
    )


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    # Two packages provide `opencc` with the same class: the C++ binding (config "t2s") and
    # opencc-python-reimplemented (also accepts "t2s").
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters → simplified (借唄額度 → 借呗额度)."""
    return str(_t2s().convert(text))


def to_half_width(text: str) -> str:
    """Full-width letters, digits and punctuation → ASCII (５０００ → 5000, ￥ → ¥)."""
    return unicodedata.normalize("NFKC", text)


def fix_homophones(text: str, lexicon: Lexicon) -> str:
    """Replace same-sounding misspellings of domain words (借贝 → 借呗, 额渡 → 额度)."""
    chars = list(text)
    for target, target_py in zip(lexicon.targets, lexicon.target_pinyin):
        n = len(target)
        i = 0
        while i + n <= len(chars):
            window = "".join(chars[i : i + n])
            if (
                window != target
                and set(window) & set(target)
                and _sounds_like(window, target_py, lexicon.min_similarity)
                and not _inside_protected(chars, i, n, lexicon.protected)
            ):
                chars[i : i + n] = list(target)
                i += n
                continue
            i += 1
    return "".join(chars)


def _sounds_like(window: str, target_pinyin: str, min_similarity: float) -> bool:
    if not all("\u4e00" <= c <= "\u9fff" for c in window):
        return False
    pinyin = _pinyin(window)
    if min_similarity >= 100:
        return pinyin == target_pinyin
    return fuzz.ratio(pinyin, target_pinyin) >= min_similarity


def _inside_protected(chars: list[str], i: int, n: int, protected: tuple[str, ...]) -> bool:
    context = "".join(chars[max(0, i - 3) : i + n + 3])
    return any(word in context for word in protected)


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    from assistant.safety.lexicon import pinyin_syllables

    return pinyin_syllables()


def fix_english_typos(text: str, lexicon: Lexicon) -> str:
    """One-letter typos of English domain words ("borow" → "borrow", "limt" → "limit")."""

    syllables = _pinyin_syllables()

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        # A pinyin syllable is not a misspelt English word: "huan le" is 还了, not "human".
        if lower in lexicon.english_words or lower in lexicon.english_protected or lower in syllables:
            return word
        best = process.extractOne(lower, lexicon.english_words, scorer=Levenshtein.distance)
        if best is not None and best[1] == 1:
            return str(best[0])
        return word

    return _ENGLISH_WORD.sub(repair, text)


def restore_pinyin_message(text: str) -> str:
    """A message typed in pinyin ("wo yao shensu", "jiebei bei guanbi le zenme ban") written back in
    the characters the corpus uses for those sounds — only when at most PINYIN_LEFTOVER_LETTERS
    latin letters stay unread: an English sentence keeps its words ("medicine" is not 么低cine;
    no message of the English training set changes). `text` is the message after the variants
    (jiebei → 借呗); `normalize` calls this only for a message written without any character."""
    if not _LATIN.search(text):
        return text
    # The sounds → words table learned from the corpus, shipped with the safety model (the guard
    # reads pinyin the same way: assistant/safety/normalize.py).
    from assistant.safety.model import pinyin_lexicon
    from assistant.safety.normalize import restore_pinyin

    restored = restore_pinyin(text, pinyin_lexicon())
    return restored if len(_LATIN.findall(restored)) <= PINYIN_LEFTOVER_LETTERS else text


def normalize(text: str) -> str:
    """The full normalisation pipeline; the result is what the classifier and slot parsers read."""
    lexicon = load_lexicon()
    out = to_half_width(to_simplified(text)).strip()
    # Typed without an IME: characters mixed with a latin syllable ("额度ma") are left as written.
    typed_in_pinyin = not _CJK.search(out)
    for pattern, replacement in lexicon.variants:
        out = pattern.sub(replacement, out)
    if typed_in_pinyin:
        out = restore_pinyin_message(out)
    out = fix_homophones(out, lexicon)
    return fix_english_typos(out, lexicon)
