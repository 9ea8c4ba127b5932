"""Which language a text is written in: the dominant script. The one detector of the project:
the NLU reads a message's language with it, retrieval a query's."""

from __future__ import annotations

import re
from typing import Literal

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
# A Chinese character carries about as much as three Latin letters ("额度" ≈ "limit"), so a
# Chinese sentence with "app" in it stays Chinese and "my 额度 is gone" is English.
LETTERS_PER_CJK_CHAR = 3


def detect_lang(text: str) -> tuple[Literal["zh", "en"], bool]:
    """Return (language, whether the text showed one).

    A text with no letters at all (digits, punctuation, emoji) gives ("zh", False): Chinese is the
    product's default, and the caller may prefer the thread's language instead.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return "zh", False
    return ("zh" if cjk * LETTERS_PER_CJK_CHAR >= latin else "en"), True
