"""Learning the normaliser's lexicon from training texts (used by assistant.safety.train only).

Words: jieba's segmentation of the training messages, 2–4 characters, seen at least
MIN_WORD_COUNT times, and character strings seen at least MIN_NGRAM_WORD_COUNT times; for each sound (toneless pinyin) the most frequent word wins. Syllables:
every toneless syllable pypinyin knows (single consonants such as "m", "n", "ng" left out: they
would let any English word read as pinyin). Known 3-grams: those seen at least twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from assistant.safety.features import model_text
from assistant.safety.normalize import Lexicon

MIN_WORD_COUNT = 2
# Character strings frequent enough to count as words even where jieba splits them (借呗, 提示词).
MIN_NGRAM_WORD_COUNT = 5
# Same-sounding characters are only read as words that attacks use (jieba's words, not strings).
MIN_HOMOPHONE_COUNT = 3
MIN_GRAM_COUNT = 2
_NOT_SYLLABLES = {"m", "n", "ng", "hm", "hng", "r"}


def _toneless(pinyin: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", pinyin) if not unicodedata.combining(c))
    return plain.replace("ü", "v")


def _all_cjk(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in word)


def pinyin_syllables() -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    found = {_toneless(p) for value in pinyin_dict.values() for p in value.split(",")}
    found |= {s.replace("v", "u") for s in found if "v" in s}
    return frozenset(s for s in found if s.isascii() and s.isalpha() and s not in _NOT_SYLLABLES)


def build_lexicon(base_texts: list[str], attack_texts: Iterable[str], english_texts: Iterable[str]) -> Lexicon:
    """The lexicon of `texts` (deterministic: ties go to the lexicographically smaller word).

    `base_texts`: the training messages after `base_text`. `attack_texts` (base texts of the
    attacks among them) name the homophone targets: words attacks use MIN_HOMOPHONE_COUNT times.
    `english_texts`: messages in English, whose words are never read as pinyin.
    """
    import jieba
    from pypinyin import lazy_pinyin

    jieba.setLogLevel(60)
    words: Counter[str] = Counter()
    grams: Counter[str] = Counter()
    strings: Counter[str] = Counter()
    for text in base_texts:
        words.update(w for w in jieba.lcut(text) if 2 <= len(w) <= 4 and _all_cjk(w))
        strings.update({text[i:i + n] for n in (2, 3, 4) for i in range(len(text) - n + 1)
                        if _all_cjk(text[i:i + n])})
        compact = " ".join(model_text(text).split())
        grams.update(compact[i:i + 3] for i in range(len(compact) - 2))
    for string, count in strings.items():
        if count >= MIN_NGRAM_WORD_COUNT:
            words[string] = max(words[string], count)
    by_sound: dict[str, tuple[int, str]] = {}
    for word, count in words.items():
        if count < MIN_WORD_COUNT:
            continue
        sound = "".join(lazy_pinyin(word))
        best = by_sound.get(sound)
        if best is None or (-count, word) < (-best[0], best[1]):
            by_sound[sound] = (count, word)
    by_sound_words = {word for _, word in by_sound.values()}
    english: Counter[str] = Counter(w for text in english_texts for w in re.findall(r"[a-z]+", text.lower()))
    segmented: Counter[str] = Counter()
    for text in attack_texts:
        segmented.update(w for w in jieba.lcut(text) if w in by_sound_words)
    return Lexicon(
        words_by_pinyin={sound: word for sound, (_, word) in sorted(by_sound.items())},
        syllables=pinyin_syllables(),
        known_grams=frozenset(g for g, c in grams.items() if c >= MIN_GRAM_COUNT),
        words=frozenset(w for w, c in words.items() if c >= MIN_WORD_COUNT),
        homophone_words=frozenset(w for w, c in segmented.items() if c >= MIN_HOMOPHONE_COUNT),
        english_words=frozenset(w for w, c in english.items() if c >= MIN_WORD_COUNT),
    )
