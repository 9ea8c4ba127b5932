"""Find the claims in an answer text: amounts and other numbers, dates, times, citations.

Used twice by the grounding verifier: on the evidence (the deterministic answer, the user's
message, the sections retrieved) to learn what may be said, and on the LLM's answer to learn
what it says. Extraction is plain pattern matching, so both sides are read the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAYS = {**{c: i for i, c in enumerate("一二三四五六日")}, "天": 6,
             **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}}

# Dates: 2026年11月23日, 11月23日, 2026-11-23, 2026/11/23, 23 Nov 2026, Nov 23, 2026.
# An optional weekday right after (zh: (周一)/星期一) or right before (en: Mon 23 Nov) is kept
# so that a correct date with the wrong weekday is caught too.
_DATE_PATTERNS = [
    re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
               r"(?:\s*[（(]?\s*(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])\s*[)）]?)?"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d:])"),
    re.compile(r"(?:(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+"
               + _MONTH_WORD.replace("(", "(?P<mon>", 1) + r"(?:,?\s+(?P<y>\d{4}))?", re.IGNORECASE),
    re.compile(r"(?:(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?" + _MONTH_WORD.replace("(", "(?P<mon>", 1)
               + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?", re.IGNORECASE),
]
# Times: 09:00, 9:00 pm, 上午9点, 晚上11点50分, 9点半.
_TIME_PATTERNS = [
    re.compile(r"(?P<ampm_zh>凌晨|早上|上午|中午|下午|傍晚|晚上)?\s*(?P<h>\d{1,2})[:：](?P<mi>\d{2})"
               r"(?:\s*(?P<ampm>[ap]\.?m\.?))?", re.IGNORECASE),
    re.compile(r"(?P<ampm_zh>凌晨|早上|上午|中午|下午|傍晚|晚上)?\s*(?P<h>\d{1,2})\s*点\s*(?:(?P<mi>\d{1,2})\s*分?|(?P<half>半))?"),
    re.compile(r"\b(?P<h>\d{1,2})\s*(?P<ampm>[ap]\.?m\.?)(?![a-z])", re.IGNORECASE),
]
_PM_ZH = {"下午", "傍晚", "晚上"}
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[(（]\d{1,2}[)）])\s*", re.MULTILINE)
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-+]?\d+(?:[,，]\d{3})*(?:\.\d+)?(?:\s*(?P<unit>万|k\b|%|％))?", re.IGNORECASE)
_CN_AMOUNT = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?=\s*(?:元|块))")
_ZH_CITATION = re.compile(r"《(?P<t>[^《》\n]{1,60})》")
_EN_QUOTED = re.compile(r"[\"“](?P<t>[^\"“”\n]{3,80})[\"”]")
_BRACKET_ID = re.compile(r"(?:\[|`|§\s*|\bsection\s+|章节\s*)(?P<id>[a-z][a-z0-9]*(?:-[a-z0-9]+)+)\]?`?", re.IGNORECASE)


@dataclass
class Claims:
    """What a text states, in comparable form."""

    numbers: list[Decimal] = field(default_factory=list)
    dates: list[tuple[int | None, int, int]] = field(default_factory=list)
    weekday_errors: list[str] = field(default_factory=list)
    times: list[tuple[int, int]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    section_ids: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), so ２０２６ reads as 2026."""
    return unicodedata.normalize("NFKC", text)


def extract(text: str) -> Claims:
    """Every number, date, time and citation in `text`."""
    text = normalise(text)
    claims = Claims()
    text = _take_dates(text, claims)
    text = _take_times(text, claims)
    claims.titles = [m.group("t").strip() for m in _ZH_CITATION.finditer(text)]
    claims.quoted = [m.group("t").strip() for m in _EN_QUOTED.finditer(text)]
    claims.section_ids = [m.group("id").lower() for m in _BRACKET_ID.finditer(text)]
    text = _LIST_MARKER.sub(" ", text)
    claims.numbers = _numbers(text)
    return claims


def _take_dates(text: str, claims: Claims) -> str:
    for pattern in _DATE_PATTERNS:
        def keep(match: re.Match[str]) -> str:
            parsed = _date(match)
            if parsed is None:
                return match.group(0)
            claims.dates.append(parsed)
            wrong = _weekday_error(match, parsed)
            if wrong:
                claims.weekday_errors.append(wrong)
            return " ⟨date⟩ "
        text = pattern.sub(keep, text)
    return text


def _date(match: re.Match[str]) -> tuple[int | None, int, int] | None:
    groups = match.groupdict()
    month = _MONTHS.get(groups["mon"][:3].lower()) if groups.get("mon") else int(groups["m"])
    day, year = int(groups["d"]), int(groups["y"]) if groups.get("y") else None
    if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return (year, month, day)


def _weekday_error(match: re.Match[str], parsed: tuple[int | None, int, int]) -> str | None:
    weekday = (match.groupdict().get("wd") or "").lower()[:3]
    year, month, day = parsed
    if not weekday or year is None or weekday not in _WEEKDAYS:
        return None
    try:
        actual = date(year, month, day).weekday()
    except ValueError:
        return match.group(0)
    return None if actual == _WEEKDAYS[weekday] else match.group(0)


def _take_times(text: str, claims: Claims) -> str:
    for pattern in _TIME_PATTERNS:
        def keep(match: re.Match[str]) -> str:
            groups = match.groupdict()
            hour = int(groups["h"])
            minute = 30 if groups.get("half") else int(groups.get("mi") or 0)
            ampm = (groups.get("ampm") or "").lower().replace(".", "")
            if (ampm == "pm" or groups.get("ampm_zh") in _PM_ZH) and hour < 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
            if hour > 24 or minute > 59:
                return match.group(0)
            claims.times.append((hour % 24, minute))
            return " ⟨time⟩ "
        text = pattern.sub(keep, text)
    return text


def _numbers(text: str) -> list[Decimal]:
    found: list[Decimal] = []
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        unit = (match.group("unit") or "").lower()
        digits = raw[: len(raw) - len(unit)].strip().replace(",", "").replace("，", "") if unit else raw
        digits = digits.replace(",", "").replace("，", "").strip()
        try:
            value = Decimal(digits)
        except InvalidOperation:
            continue
        if unit == "万":
            value *= 10000
        elif unit == "k":
            value *= 1000
        elif unit in ("%", "％"):
            value /= 100
        found.append(value)
    found.extend(_chinese_amounts(text))
    return found


def _chinese_amounts(text: str) -> list[Decimal]:
    """一千二百元 → 1200: an amount written in Chinese numerals is an amount too."""
    try:
        import cn2an
    except ImportError:  # pragma: no cover - cn2an is a project dependency
        return []
    values = []
    for match in _CN_AMOUNT.finditer(text):
        try:
            values.append(Decimal(str(cn2an.cn2an(match.group(0), "smart"))))
        except (ValueError, KeyError, InvalidOperation):
            continue
    return values
