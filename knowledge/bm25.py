"""Lexical ranking: bm25s over jieba search-mode tokens (Chinese) or plain words (English).

Chinese has no spaces; jieba's ``cut_for_search`` also emits the short words inside long ones
(额度恢复 → 额度, 恢复, 额度恢复), so a colloquial query still meets the document's wording.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence

import numpy as np

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_KEEP = re.compile(r"[\w\u3400-\u9fff]")

# Function words that only add noise to lexical matching; kept short on purpose.
ZH_STOPWORDS = frozenset(
    ["的", "了", "吗", "呢", "吧", "啊", "呀", "么", "嘛", "是", "我", "你", "他", "她", "它", "我们", "你们", "在", "和", "与", "及", "或", "就", "都", "也", "还是", "这", "那", "这个", "那个", "一个", "有", "没", "会", "能", "要", "把", "被", "让", "给", "为", "对", "从", "到", "请问", "一下", "怎么", "怎么办", "什么", "为什么", "如何", "多少", "几", "哪", "哪些", "可以", "吗？", "，"]
)
EN_STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "from", "by", "with", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "i", "me", "my", "we", "our", "you", "your", "it", "its", "this", "that", "these", "those", "there", "here", "what", "why", "how", "when", "which", "who", "whom", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "not", "no", "if", "then", "than", "so", "as", "about", "into", "over", "after", "before", "up", "down", "out", "just", "please"]
)


@functools.cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it prints "Building prefix dict…" on first use
    jieba.initialize()
    return jieba


def _stem(word: str) -> str:
    """A light English stemmer: enough to match repayment/repayments, draw/drawing/drawn."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


def tokenize_en(text: str) -> list[str]:
    """Lowercased, stemmed words without stop words."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in EN_STOPWORDS]


def tokenize_zh(text: str) -> list[str]:
    """jieba search-mode tokens without punctuation and function words; Latin words as in English."""
    tokens = []
    for token in _jieba().cut_for_search(text.lower()):
        token = token.strip()
        if not token or not _KEEP.search(token) or token in ZH_STOPWORDS:
            continue
        tokens.append(_stem(token) if token.isascii() else token)
    return tokens


def tokenize(text: str, lang: str) -> list[str]:
    """Tokens for the language of the text being indexed or searched."""
    return tokenize_zh(text) if lang == "zh" else tokenize_en(text)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


class BM25Index:
    """BM25 over a fixed list of texts, each tokenized in its own language."""

    def __init__(self, texts: Sequence[str], langs: Sequence[str]) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        self.langs = np.asarray(list(langs))
        corpus_tokens = [tokenize(text, lang) or [""] for text, lang in zip(texts, langs)]
        self._model = bm25s.BM25()
        self._model.index(corpus_tokens, show_progress=False)
        self.size = len(corpus_tokens)

    def scores(self, query: str, lang: str | None = None) -> np.ndarray:
        """A score per indexed text (0 for texts of another language than `lang`)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        tokens = tokenize(query, lang or ("zh" if has_cjk(query) else "en"))
        known = [t for t in tokens if t in self._model.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        scores = np.asarray(self._model.get_scores(known), dtype=np.float32)
        if lang:
            scores = np.where(self.langs == lang, scores, 0.0)
        return scores

    def rank(self, query: str, lang: str | None = None, limit: int = 50) -> list[tuple[int, float]]:
        """(position, score) of the best-matching texts, best first, positive scores only."""
        scores = self.scores(query, lang)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
