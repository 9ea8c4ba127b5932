"""Money amounts in a message: the draw asked for and a what-if repayment.

Reads 5000, 5千, 五千, 5k, 1.5万, 一万五, 3万5, ¥5,000, 5,000元, 两万, "five thousand", "10 grand".
The words and units are in data/numbers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "numbers.yaml"
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟"
# "两三千", "五六万": a rough range in two neighbouring digits; the draw is read as its upper end.
_CN_ROUGH_RANGE = re.compile(r"^[一两二三四五六七八]([两二三四五六七八九])(?=[十百千万])")


@dataclass(frozen=True)
class AmountMention:
    """One amount found in the text, with where it was and whether it is a repayment."""

    value: Decimal
    start: int
    end: int
    is_repayment: bool


@dataclass(frozen=True)
class _Vocab:
    units: dict[str, int]
    non_money: tuple[str, ...]
    card_tail_before: re.Pattern[str]
    max_bare_digits: int
    en_units: dict[str, int]
    en_scales: dict[str, int]
    repay_before: re.Pattern[str]
    repay_after: re.Pattern[str]
    small_amount_verb_before: re.Pattern[str]
    arabic: re.Pattern[str]
    arabic_range: re.Pattern[str]
    chinese: re.Pattern[str]
    english: re.Pattern[str]


@lru_cache(maxsize=1)
def number_words() -> dict[str, Any]:
    """data/numbers.yaml, parsed once per process (the amount parser and draws.py both read it)."""
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = number_words()
    units = {str(k).lower(): int(v) for k, v in raw["money_units"].items()}
    unit_alt = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    en_words = sorted({*raw["english_units"], *raw["english_scales"]}, key=len, reverse=True)
    en_alt = "|".join(en_words)
    return _Vocab(
        units=units,
        non_money=tuple(raw["non_money_suffixes"]),
        card_tail_before=re.compile(raw["card_tail_before"], re.IGNORECASE),
        max_bare_digits=int(raw["max_bare_digits"]),
        en_units={str(k): int(v) for k, v in raw["english_units"].items()},
        en_scales={str(k): int(v) for k, v in raw["english_scales"].items()},
        repay_before=re.compile(raw["repay_before"], re.IGNORECASE),
        repay_after=re.compile(raw["repay_after"], re.IGNORECASE),
        small_amount_verb_before=re.compile(raw["small_amount_verb_before"], re.IGNORECASE),
        # 1.5万, 5,000元, ¥5000, 5k, 3万5, 1万2千, 10万零1块
        arabic=re.compile(
            rf"(?:(?P<cur>[¥$]\s*|\b(?:cny|rmb)\s*)|(?<![A-Za-z0-9_.,/\-]))(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(?P<frac>\d+))?"
            rf"(?:\s*(?P<unit>{unit_alt})(?![a-z])(?:(?P<tail>\d(?!\d|[.,]\d))|零(?P<plus>\d{{1,4}})(?!\d|[.,]\d|\s*[万千百仟佰kKwW])(?:\s*(?:元|块钱?))?)?)?",
            re.IGNORECASE,
        ),
        # "3000-5000", "2-3k", "3000到5000元": a range, read as its upper end
        arabic_range=re.compile(
            rf"(?<![\d.,:/\-])(?P<low>\d[\d,]*)\s*(?:-|~|～|到|至)\s*(?P<high>\d[\d,]*)(?![\d.,:])"
            rf"(?:\s*(?P<unit>{unit_alt})(?![a-z]))?",
            re.IGNORECASE,
        ),
        chinese=re.compile(rf"[{_CN_NUMERAL}]+(?:点[{_CN_NUMERAL}]+万)?(?P<unit>块钱|块|元)?"),
        english=re.compile(
            rf"\b(?:(?:{en_alt}|and|\d+(?:\.\d+)?)[\s-]+)*(?:{en_alt})\b", re.IGNORECASE
        ),
    )


def find_amounts(text: str) -> list[AmountMention]:
    """Every money amount in `text`, in order of appearance (text already normalised)."""
    vocab = _vocab()
    found: list[tuple[int, int, Decimal]] = []
    for match in vocab.arabic_range.finditer(text):
        value = _range_value(match, text, vocab)
        if value is not None:
            found.append((match.start(), match.end(), value))
    for match in vocab.arabic.finditer(text):
        if _overlaps(found, match.start(), match.end()):
            continue
        value = _arabic_value(match, text, vocab)
        if value is not None:
            found.append((match.start(), match.end(), value))
    for match in vocab.chinese.finditer(text):
        value = _chinese_value(match, text, vocab)
        if value is not None and not _overlaps(found, match.start(), match.end()):
            found.append((match.start(), match.end(), value))
    for match in vocab.english.finditer(text):
        value = _english_value(match.group(0), vocab)
        if value is not None and not _overlaps(found, match.start(), match.end()):
            found.append((match.start(), match.end(), value))
    found.sort()
    return [
        AmountMention(_tidy(value), start, end, _is_repayment(text, start, end, vocab))
        for start, end, value in found
    ]


def _arabic_value(match: re.Match[str], text: str, vocab: _Vocab) -> Decimal | None:
    digits = match.group("num").replace(",", "")
    unit = (match.group("unit") or "").lower()
    has_money_marker = bool(unit or match.group("cur"))
    if not has_money_marker and _followed_by_non_money(text, match.end(), vocab):
        return None
    if not has_money_marker and len(digits) >= vocab.max_bare_digits:
        return None  # an id, a phone or a card number
    if not has_money_marker and vocab.card_tail_before.search(text[max(0, match.start() - 16):match.start()]):
        return None
    if not has_money_marker and text[max(0, match.start() - 1) : match.start()] in {":", "："}:
        return None
    try:
        value = Decimal(digits + ("." + match.group("frac") if match.group("frac") else ""))
    except InvalidOperation:
        return None
    if (
        not has_money_marker
        and value < 100
        and not vocab.small_amount_verb_before.search(text[max(0, match.start() - 8) : match.start()])
    ):
        return None  # "3" in "等3个工作日" or "第2次": small bare numbers need a verb to be money
    multiplier = vocab.units.get(unit, 1)
    value *= multiplier
    if match.group("tail") and multiplier >= 10:
        value += Decimal(match.group("tail")) * multiplier / 10  # 3万5 = 35000, 1千2 = 1200
    if match.group("plus") and multiplier >= 100:
        value += Decimal(match.group("plus"))  # 10万零1块 = 100001, 1万零500 = 10500
    return value if value > 0 else None


def _range_value(match: re.Match[str], text: str, vocab: _Vocab) -> Decimal | None:
    """The upper end of a range of money ("3000-5000", "2-3k"); dates, times and ids are not ranges."""
    if re.match(r"\s*-\d", text[match.end():]):
        return None  # "138-1234-5678", "2026-11-20"
    low, high = (Decimal(match.group(g).replace(",", "")) for g in ("low", "high"))
    unit = (match.group("unit") or "").lower()
    if not unit and (low < 100 or _followed_by_non_money(text, match.end(), vocab)):
        return None
    value = high * vocab.units.get(unit, 1)
    return value if low < high and value > 0 else None


def _chinese_value(match: re.Match[str], text: str, vocab: _Vocab) -> Decimal | None:
    span = match.group(0)
    numeral = span.removesuffix("块钱").removesuffix("块").removesuffix("元")
    # Bare small numerals (一下, 两次, 三天) are not money: ask for a magnitude or a money unit.
    if not (set(numeral) & set("百千万佰仟") or match.group("unit")):
        return None
    if not match.group("unit") and _followed_by_non_money(text, match.end(), vocab):
        return None
    import cn2an  # lazy: importing it compiles its patterns (~0.3 s of every CLI start)

    numeral = _CN_ROUGH_RANGE.sub(r"\1", numeral)
    try:
        value = Decimal(str(cn2an.cn2an(numeral, "smart")))
    except (ValueError, KeyError, IndexError):
        return None
    return value if value > 0 else None


def _english_value(phrase: str, vocab: _Vocab) -> Decimal | None:
    words = re.split(r"[\s-]+", phrase.lower())
    if not any(w in vocab.en_scales for w in words) and not any(
        w in vocab.en_units and w != "a" for w in words
    ):
        return None
    total, current = Decimal(0), Decimal(0)
    for word in words:
        if word in ("and",):
            continue
        if word in vocab.en_scales:
            scale = vocab.en_scales[word]
            current = (current or Decimal(1)) * scale
            if scale >= 1000:
                total, current = total + current, Decimal(0)
        elif word in vocab.en_units:
            current += vocab.en_units[word]
        else:
            current += Decimal(word)
    value = total + current
    # "one", "two" alone are counts ("one more time"), not money.
    return value if value >= 100 else None


def _tidy(value: Decimal) -> Decimal:
    """5E+3 → 5000, 15000.0 → 15000, 1234.50 → 1234.5: money reads as the user wrote it."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _followed_by_non_money(text: str, end: int, vocab: _Vocab) -> bool:
    # "2026-11-20" is a date, but in "borrow 6,500 - declined again" the dash is punctuation.
    if re.match(r"-\d", text[end:]):
        return True
    rest = text[end:].lstrip(" ").lower()
    # A suffix in letters is a whole word: "5th", "3 days" are not money, "4000 tho" and
    # "500 then" are.
    return any(rest.startswith(s) and not (s[-1].isalpha() and rest[len(s):len(s) + 1].isalpha())
               for s in vocab.non_money)


def _overlaps(found: list[tuple[int, int, Decimal]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in found)


def _is_repayment(text: str, start: int, end: int, vocab: _Vocab) -> bool:
    before = text[max(0, start - 12) : start]
    before = re.split(r"[，,。.!?！？；;]", before)[-1]
    return bool(vocab.repay_before.search(before) or vocab.repay_after.search(text[end:]))
