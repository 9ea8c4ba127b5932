"""Which language a message is written in: `knowledge.lang.detect_lang`, the project's one
detector (retrieval reads a query's language with it too)."""

from knowledge.lang import LETTERS_PER_CJK_CHAR, detect_lang

__all__ = ["LETTERS_PER_CJK_CHAR", "detect_lang"]
