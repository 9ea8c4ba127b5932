"""What the safety model reads from one view: character n-grams and the shared sentence vector.

Shared by training (assistant.safety.train) and scoring (assistant.safety.model), so both compute
exactly the same features. Numpy only.
"""

from __future__ import annotations

import re

NGRAM_RANGE = (1, 4)
# Numbers read as one token: an amount is not what makes a message an attack.
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*|\*{3,}")
_SPACES = re.compile(r"\s+")
# Every spelling of the product reads the same (the deployment may rename it).
_PRODUCT = re.compile(r"蚂蚁借呗|借呗|借唄|jie ?bei|credit line", re.IGNORECASE)
# Turns of a conversation, joined for the context view.
TURN_JOINER = " ⏎ "
# How many earlier user turns the context view keeps.
CONTEXT_TURNS = 2


def model_text(view_text: str) -> str:
    """Lower case, one token for numbers and for the product name, single spaces."""
    text = _PRODUCT.sub("借呗", view_text.lower())
    return _SPACES.sub(" ", _DIGITS.sub("0", text)).strip()


def char_ngrams(text: str) -> list[str]:
    """Character 1–4-grams of the model text, a space marking the start and end."""
    padded = f" {text} "
    low, high = NGRAM_RANGE
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def context_text(history: list[str] | tuple[str, ...], text: str) -> str:
    """The last few user turns and the message, as one text (the `context` view)."""
    return TURN_JOINER.join([*history[-CONTEXT_TURNS:], text])
