"""Which amount of a message is the draw asked for: the words around each amount decide.

"我额度还有一万多，为什么借5000借不出来" → 5000, not 10000; "借5000为什么只能借3000" → 5000;
"逾期了1200，还能借吗" → none. The patterns are the `amount_roles` of data/numbers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from assistant.nlu.amounts import AmountMention, number_words

# A 13+ digit figure is a card or account number, never a draw (and must not be echoed).
CARD_NUMBER_FLOOR = Decimal(10) ** 12

Role = Literal["draw_verb", "draw_named_first", "limit_quoted", "quoted_not_asked", "other_figure"]


@dataclass(frozen=True)
class _Context:
    side: Literal["before", "after"]
    window: int
    pattern: re.Pattern[str]

    def search(self, text: str, mention: AmountMention) -> re.Match[str] | None:
        if self.side == "before":
            return self.pattern.search(text[max(0, mention.start - self.window):mention.start])
        return self.pattern.search(text[mention.end:mention.end + self.window])


@lru_cache(maxsize=1)
def _roles() -> dict[str, tuple[_Context, ...]]:
    raw = number_words()["amount_roles"]
    return {
        role: tuple(_Context(c["side"], int(c["window"]), re.compile(c["pattern"], re.IGNORECASE)) for c in contexts)
        for role, contexts in raw.items()
    }


def _says(role: Role, text: str, mention: AmountMention) -> re.Match[str] | None:
    """The first of the role's patterns found around the amount."""
    return next((m for c in _roles()[role] if (m := c.search(text, mention))), None)


def quotes_an_amount(text: str, mentions: list[AmountMention]) -> bool:
    """The customer quotes a cap, an expectation or their limit back ("只能借3000", "额度明明是两万")."""
    return any(_says("quoted_not_asked", text, m) or _says("limit_quoted", text, m) for m in mentions)


def asks_to_draw(text: str, mentions: list[AmountMention]) -> bool:
    """An amount right after a borrow verb, or named before one ("5000能借吗")."""
    for m in mentions:
        if m.is_repayment or _says("quoted_not_asked", text, m):
            continue
        verb = _says("draw_verb", text, m)
        if (verb and "了" not in verb.group(0)) or _says("draw_named_first", text, m):
            return True
    return False


def draw_amount(text: str, mentions: list[AmountMention]) -> Decimal | None:
    """The amount the customer wants to draw: the last one after a borrow verb, else the last one
    that is not their limit; never a repayment, a quoted cap or another figure."""
    draws = [m for m in mentions if not m.is_repayment and m.value < CARD_NUMBER_FLOOR
             and not _says("quoted_not_asked", text, m) and not _says("other_figure", text, m)]
    after_verb = [m for m in draws if _says("draw_verb", text, m)]
    if after_verb:
        return after_verb[-1].value
    not_limit = [m for m in draws if not _says("limit_quoted", text, m)]
    return not_limit[-1].value if not_limit else None
