"""The texts the safety model reads: one message → its views (the max over views is scored).

An attack hidden by spelling is still the same request, so before anything reads a message it is
unwrapped into views:

- `base`: the understanding layer's normalisation (`assistant.nlu.normalize`: traditional →
  simplified, full-width → ASCII, domain typos). The same string the intent model embeds, so the
  sentence vector is computed once per turn and shared (the encoder's cache).
- `clean`: zero-width and bidi characters removed, letters spaced or punctuated apart joined
  again ("S h o w  m e", "借.呗.套.现", "【套】【现】"), leetspeak read as letters ("byp4ss").
- `pinyin`: pinyin and same-sounding characters written back as the corpus's words
  ("tao xian" / "淘现" → 套现); the lexicon is learned from the training data.
- `decoded`: base64 and hex payloads decoded in place (UTF-8 text only).
- `reversed`: text written backwards, when it reads better reversed (known character n-grams).
- `rot13`: latin words written in ROT13 read back, word by word, when the rotated word is a known
  English word and the written one is not.

Only views that differ from `base` are returned, so an ordinary message costs one view.
Nothing here decides anything: it is deterministic text processing; the model scores.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.nlu.normalize import normalize as nlu_normalize

# Zero-width, joiners, soft hyphen, word joiner, BOM, bidi embeddings/overrides/isolates, and
# the variation selectors emoji use.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
# What may stand between the letters of a word spelled apart: spaces, punctuation, symbols,
# emoji and brackets (a letter, digit or CJK character never).
_SEPARATOR = r"[^\w\u3400-\u9fff]"
_TOKENS = re.compile(rf"({_SEPARATOR}+)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9@$]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{12,}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){6,}(?![0-9A-Fa-f])")
_LATIN_RUN = re.compile(r"[a-z]+")
# A run of at least this many single characters spelled apart is joined back into words (latin
# needs one more: "I'm a" is three single letters).
MIN_SPACED_RUN = 3
MIN_SPACED_LATIN_RUN = 4
# ROT13 is read back when at least this many words become known English words.
MIN_ROT13_WORDS = 2
# A decoded payload must be mostly readable text to count as one.
MIN_PRINTABLE_SHARE = 0.9


@dataclass(frozen=True)
class View:
    """One reading of the message: `name` says which unwrapping produced `text`."""

    name: str
    text: str


@dataclass(frozen=True)
class Lexicon:
    """Learned from the training data (shipped in the model artefact).

    `words_by_pinyin`: toneless pinyin of a word, syllables joined ("taoxian") → the corpus's
    most frequent word with that sound. `syllables`: every pinyin syllable. `words`: every word
    seen; `homophone_words`: the words attacks use, the only targets for same-sounding
    characters (a wrong character elsewhere is a typo, not a disguise); `english_words`: words
    of the English messages, never read as pinyin ("name" is not 那么). `known_grams`:
    character 3-grams of the training texts, to tell forwards from backwards.
    """

    words_by_pinyin: dict[str, str] = field(default_factory=dict)
    syllables: frozenset[str] = frozenset()
    known_grams: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    homophone_words: frozenset[str] = frozenset()
    english_words: frozenset[str] = frozenset()
    max_word_syllables: int = 4


EMPTY_LEXICON = Lexicon()


@lru_cache(maxsize=4096)
def base_text(text: str) -> str:
    """The understanding layer's normalised text (cached: the NLU computes the same string)."""
    return nlu_normalize(text)


def strip_invisible(text: str) -> str:
    """NFKC (full-width → ASCII, compatibility forms) without zero-width, bidi and emoji / symbols."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return "".join(ch for ch in text if unicodedata.category(ch) != "So")


def join_spaced(text: str) -> str:
    """Join runs of single characters spelled apart ("S h o w  m e" → "Show me", "套-现" → "套现").

    Inside a run the narrowest gap separates letters and wider gaps separate words; between CJK
    characters nothing is kept. Ordinary words (two characters or more per token) are untouched.
    """
    parts = _TOKENS.split(text)  # token, separator, token, separator, …
    tokens, seps = parts[0::2], parts[1::2]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and len(tokens[j]) == 1:
            j += 1
        latin = all(t.isascii() for t in tokens[i:j])
        if j - i >= (MIN_SPACED_LATIN_RUN if latin else MIN_SPACED_RUN):
            gaps = seps[i:j - 1]
            narrow = min(len(g) for g in gaps)
            word = tokens[i]
            for k in range(i + 1, j):
                gap = seps[k - 1]
                wide = len(gap) > narrow and not _CJK.match(tokens[k])
                word += (" " if wide else "") + tokens[k]
            out.append(word)
            if j - 1 < len(seps):
                out.append(seps[j - 1])
            i = j
            continue
        out.append(tokens[i])
        if i < len(seps):
            out.append(seps[i])
        i += 1
    return "".join(out)


def read_leetspeak(text: str) -> str:
    """Digits and symbols used as letters inside words ("byp4ss th3 r1sk" → "bypass the risk")."""

    def letters(match: re.Match[str]) -> str:
        word = match.group(0)
        has_letters = sum(c.isalpha() for c in word) >= 2  # not "5k" or "A1002"
        has_leet = any(c in "013457@$" for c in word)
        # base64, utf8, A1002; 3am, 5k, 2nd: a name or a quantity, not a disguise
        plain = bool(re.fullmatch(r"[A-Za-z]+\d{2,}|[A-Z]+\d+|\d+(am|pm|st|nd|rd|th|k|w|kb|mb|gb|yuan|rmb|cny)",
                                  word, re.IGNORECASE if word[:1].isdigit() else 0))
        if has_letters and has_leet and not plain:
            return word.translate(_LEET)
        return word

    return _LATIN_WORD.sub(letters, text)


def clean_text(text: str) -> str:
    """The `clean` view: invisible characters gone, spaced-out words joined, leetspeak read."""
    return read_leetspeak(join_spaced(strip_invisible(text)))


def _readable(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not decoded.strip():
        return None
    printable = sum(ch.isprintable() or ch.isspace() for ch in decoded)
    wordy = sum(ch.isalpha() for ch in decoded)
    if printable / len(decoded) < MIN_PRINTABLE_SHARE or wordy < 2:
        return None
    return decoded


def _decode_base64(token: str) -> str | None:
    if token.isdigit() or token.isalpha() and (token.islower() or token.isupper()):
        return None  # a number or a plain word, not a payload
    padded = token + "=" * (-len(token) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None
    return _readable(raw)


def decode_payloads(text: str) -> str | None:
    """The text with base64 / hex payloads replaced by what they decode to; None if there are none."""
    found = False

    def hex_payload(match: re.Match[str]) -> str:
        nonlocal found
        decoded = _readable(bytes.fromhex(match.group(0)))
        if decoded is None:
            return match.group(0)
        found = True
        return f" {decoded} "

    def b64_payload(match: re.Match[str]) -> str:
        nonlocal found
        decoded = _decode_base64(match.group(0))
        if decoded is None:
            return match.group(0)
        found = True
        return f" {decoded} "

    out = _HEX.sub(hex_payload, text)
    out = _BASE64.sub(b64_payload, out)
    return out.strip() if found else None


def _syllabify(run: str, syllables: frozenset[str]) -> list[str] | None:
    """Split a latin run into pinyin syllables (fewest syllables first), or None."""
    best: list[list[str] | None] = [None] * (len(run) + 1)
    best[0] = []
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 6), end):
            prefix = best[start]
            if prefix is not None and run[start:end] in syllables:
                candidate = [*prefix, run[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(run)]


@dataclass(frozen=True, slots=True)
class _Unit:
    surface: str
    sound: str | None  # toneless pinyin; None for what is not a syllable
    latin: bool
    run: int  # units of one latin word share a run number
    spaced: bool = False  # whitespace stood before it


def _units(text: str, lexicon: Lexicon) -> list[_Unit]:
    """One unit per CJK character or pinyin syllable; spaces between words are dropped."""
    from pypinyin import lazy_pinyin  # its dictionary loads on first use (~0.25 s)

    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    units: list[_Unit] = []
    spaced = False
    for run, piece in enumerate(re.split(r"(\s+|[\u3400-\u9fff]+|[A-Za-z]+)", plain)):
        if not piece:
            continue
        if piece.isspace():
            spaced = True
            continue
        if _CJK.match(piece):
            sounds = lazy_pinyin(piece)
            if len(sounds) != len(piece):  # a character without a reading: one at a time
                sounds = [lazy_pinyin(ch)[0] for ch in piece]
            units.extend(_Unit(ch, py, False, run, spaced and k == 0)
                         for k, (ch, py) in enumerate(zip(piece, sounds, strict=True)))
        elif piece.isascii() and piece.isalpha():
            is_english = piece.lower() in lexicon.english_words
            sylls = None if is_english else _syllabify(piece.lower(), lexicon.syllables)
            if sylls is None:
                units.append(_Unit(piece, None, True, run, spaced))
            else:
                start = 0
                for k, syllable in enumerate(sylls):
                    units.append(_Unit(piece[start:start + len(syllable)], syllable, True, run, spaced and k == 0))
                    start += len(syllable)
        else:
            units.append(_Unit(piece, None, False, run, spaced))
        spaced = False
    return units


def _crosses_a_word(units: list[_Unit], i: int, n: int, words: frozenset[str]) -> bool:
    """The window [i, i+n) is itself a word, or cuts a known word in two (是实 in 是实名认证)."""
    surfaces = [u.surface for u in units]
    if "".join(surfaces[i:i + n]) in words:
        return True
    for start in range(max(0, i - 3), i + n):
        for length in range(2, 5):
            end = start + length
            inside = i <= start and end <= i + n
            overlaps = start < i + n and end > i
            if overlaps and not inside and end <= len(surfaces) and "".join(surfaces[start:end]) in words:
                return True
    return False


def _replacement(units: list[_Unit], i: int, lexicon: Lexicon) -> tuple[str, int] | None:
    for n in range(min(lexicon.max_word_syllables, len(units) - i), 1, -1):
        window = units[i:i + n]
        if any(u.sound is None for u in window):
            continue
        word = lexicon.words_by_pinyin.get("".join(u.sound for u in window if u.sound))
        surface = "".join(u.surface for u in window)
        if word is None or word == surface:
            continue
        if any(u.latin for u in window):
            return word, n
        if (word in lexicon.homophone_words and set(surface) & set(word)
                and not _crosses_a_word(units, i, n, lexicon.words)):
            return word, n
    return None


def restore_pinyin(text: str, lexicon: Lexicon) -> str:
    """Pinyin and same-sounding characters written back as the lexicon's words.

    A window of 2–4 syllables is replaced by the lexicon word with its sound when it contains
    pinyin typed in latin letters ("tao xian", "zhi令"), or when it is made of characters, shares
    one with the word and neither is a word nor cuts one (淘现 → 套现, but not 是实名 → 实时名).
    """
    if not lexicon.words_by_pinyin:
        return text
    units = _units(text, lexicon)
    out: list[str] = []
    replaced_last = False
    i = 0
    while i < len(units):
        found = _replacement(units, i, lexicon)
        if found is not None:
            out.append(found[0])
            replaced_last = True
            i += found[1]
            continue
        unit = units[i]
        if unit.spaced and out and not replaced_last:
            out.append(" ")
        out.append(unit.surface)
        replaced_last = False
        i += 1
    restored = "".join(out)
    # Only a rewrite counts: the same text with other spacing is the same reading.
    return text if "".join(restored.split()) == "".join(text.split()) else restored


def _known_share(text: str, grams: frozenset[str]) -> float:
    compact = re.sub(r"\s+", " ", text.lower())
    total = max(1, len(compact) - 2)
    return sum(compact[i:i + 3] in grams for i in range(len(compact) - 2)) / total


def unreverse(text: str, lexicon: Lexicon, margin: float = 0.15) -> str | None:
    """The text with its backwards-written parts turned round, or None if nothing reads better.

    Each part between colons is judged alone, so "反着念：…" keeps its forward instruction.
    """
    if not lexicon.known_grams:
        return None
    parts = re.split(r"([:：]\s*)", text)
    changed = False
    for index in range(0, len(parts), 2):
        part = parts[index]
        if len(part.strip()) < 6:
            continue
        backwards = part[::-1]
        if _known_share(backwards, lexicon.known_grams) > _known_share(part, lexicon.known_grams) + margin:
            parts[index] = backwards
            changed = True
    return "".join(parts) if changed else None


def read_rot13(text: str, lexicon: Lexicon) -> str | None:
    """`text` with its ROT13-written words read back, if at least MIN_ROT13_WORDS of them were."""
    known = lexicon.english_words
    read = 0

    def word(match: re.Match[str]) -> str:
        nonlocal read
        written = match.group(0)
        rotated = codecs.encode(written, "rot13")
        if written.lower() not in known and rotated.lower() in known:
            read += 1
            return rotated
        return written

    result = re.sub(r"\b[A-Za-z]{3,}\b", word, text)
    return result if read >= MIN_ROT13_WORDS else None


def views(text: str, lexicon: Lexicon = EMPTY_LEXICON) -> list[View]:
    """Every distinct reading of `text`, `base` first."""
    base = base_text(text)
    visible = strip_invisible(text)
    readings = [View("clean", base_text(clean_text(visible)))]
    # Payloads and backwards text are found before leetspeak reading turns their digits to letters.
    unwrapped: list[tuple[str, Callable[[str], str | None]]] = [
        ("decoded", decode_payloads),
        ("reversed", lambda t: unreverse(t, lexicon)),
        ("rot13", lambda t: read_rot13(t, lexicon)),
    ]
    for name, step in unwrapped:
        result = step(visible)
        if result is not None:
            readings.append(View(name, base_text(clean_text(result))))
    for reading in list(readings):
        restored = restore_pinyin(reading.text, lexicon)
        if restored != reading.text:
            readings.append(View("pinyin" if reading.name == "clean" else f"{reading.name}+pinyin", restored))
    found = [View("base", base)]
    seen = {base}
    for reading in readings:
        if reading.text and reading.text not in seen:
            seen.add(reading.text)
            found.append(reading)
    return found
