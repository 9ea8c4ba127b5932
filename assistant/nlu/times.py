"""The time a message asks about ("明天上午10点", "下周一", "in 2 hours", "tomorrow 10am").

Everything is read relative to `now` in Asia/Shanghai; the words are in data/times.yaml.
Only future times count: a time in the past is something the user reports, not asks about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATA_FILE = Path(__file__).parent / "data" / "times.yaml"
# A part of the day whose usual hour is this late reads "12点" as midnight ("晚上12点").
LATE_EVENING_HOUR = 20

_CN_DIGITS = "零〇一二两三四五六七八九十"
_HOUR = rf"(?P<hour>\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
# One numeral after 点 is a minute only with 分 ("12点一过" is just after 12, "3点一刻" a quarter).
_ZH_CLOCK = re.compile(
    _HOUR
    + rf"\s*(?:点|时|:|：)\s*(?:(?P<half>半)|(?P<quarter>一刻)|(?P<minute>\d{{1,2}}|[{_CN_DIGITS}]{{2,3}}|[{_CN_DIGITS}](?=分))分?)?"
)
_EN_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)"
    r"|\b(?:at|by|around)\s+(?P<hour2>\d{1,2})(?::(?P<minute2>\d{2}))?\b"
    r"|\b(?P<hour3>\d{1,2}):(?P<minute3>\d{2})\b",
    re.IGNORECASE,
)
_ZH_WEEKDAY = re.compile(r"(?P<next>下个?|这个?|本)?(?:周|星期|礼拜)(?P<day>[一二三四五六日天])")
_EN_WEEKDAY = re.compile(
    r"\b(?P<next>next|this|on)?\s*(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|mon|tue|wed|thu|fri|sat|sun)\b",
    re.IGNORECASE,
)
_ZH_DATE = re.compile(r"(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*(?:日|号)")
# "月底", "end of the month": the month's last day
_MONTH_END = re.compile(r"月底|月末|end of (the |this )?month", re.IGNORECASE)
_LAST_WEEK = re.compile(r"(上个?|上一个?|last)\s*$")
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")


@dataclass(frozen=True)
class _Words:
    default_hour: int
    relative_days: dict[str, int]
    parts_of_day: dict[str, tuple[int, bool]]
    weekdays: dict[str, int]
    past_markers: tuple[str, ...]
    past_aspect: tuple[str, ...]
    past_days: dict[str, int]
    salutations: tuple[str, ...]
    duration_numbers: dict[str, int]
    month_of: dict[str, int]  # a month's name or abbreviation → its number
    in_duration: re.Pattern[str]  # "in 2 hours", "两天后"
    en_date: re.Pattern[str]  # "on the 27th", "Nov 18", "December 10th", "18 Nov"


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    duration_numbers = {str(k): int(v) for k, v in raw["duration_numbers"].items()}
    month_of = {str(name): int(number) for number, names in raw["months"].items() for name in names}
    # A month's whole name or abbreviation: "declined 5 times" is not 5 December.
    month = rf"(?:{'|'.join(sorted(month_of, key=len, reverse=True))})\b\.?"
    return _Words(
        default_hour=int(raw["default_hour"]),
        relative_days={str(k): int(v) for k, v in raw["relative_days"].items()},
        parts_of_day={
            str(k): (int(v["hour"]), bool(v["pm"])) for k, v in raw["parts_of_day"].items()
        },
        weekdays={str(k): int(v) for k, v in raw["weekdays"].items()},
        past_markers=tuple(raw["past_markers"]),
        past_aspect=tuple(raw.get("past_aspect", ())),
        past_days={str(k): int(v) for k, v in raw.get("past_days", {}).items()},
        salutations=tuple(str(s) for s in raw.get("salutations", ())),
        duration_numbers=duration_numbers,
        month_of=month_of,
        in_duration=re.compile(
            rf"(?:\bin\s+(?P<en_n>\d+(?:\.\d+)?|an?|half an?|{'|'.join(duration_numbers)})\s*"
            rf"(?P<en_unit>hours?|hrs?|minutes?|mins?|days?)\b)"
            rf"|(?:(?P<zh_n>\d+(?:\.\d+)?|[{_CN_DIGITS}半]+)\s*个?\s*(?P<zh_unit>小时|钟头|分钟|天)\s*(?:后|以后|之后))",
            re.IGNORECASE,
        ),
        en_date=re.compile(
            rf"\b(?:(?P<month>{month})\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
            rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{month})"
            r"|the\s+(?P<day3>\d{1,2})(?:st|nd|rd|th)\b)",
            re.IGNORECASE,
        ),
    )


def reports_past_event(text: str) -> bool:
    """The message reports something already done ("昨天还了", "周四用银行转账还了4500")."""
    lowered = f" {text.lower()} "
    words = _words()
    return any(marker in lowered for marker in words.past_markers + words.past_aspect)


def names_a_past_date(text: str, now: datetime, asked: datetime | None) -> bool:
    """A month and day already past this year, and no nearer time asked about ("I was paying on
    18 November", not "身份证是11月15号过期的，我明天去更新"): the message speaks of something done,
    whatever its verbs say. `asked`: what find_time reads in the same text."""
    named = _day_of_month(text.lower())
    if named is None or named[0] is None:
        return False
    today = now.astimezone(SHANGHAI).date()
    found = _safe_date(today.year, named[0], named[1])
    next_year = _safe_date(today.year + 1, named[0], named[1])
    return found is not None and found < today and (asked is None or asked.date() == next_year)


def find_past_day(text: str, now: datetime) -> date | None:
    """The day a reported event happened ("昨天", "周四晚上", "11月19号", "on Thursday"), or None.

    The mirror of find_time: a weekday is the latest one not after today, a day of the month
    the latest not after today.
    """
    words = _words()
    lowered = text.lower()
    today = now.astimezone(SHANGHAI).date()
    for word in sorted(words.past_days, key=len, reverse=True):
        if word in lowered:
            return today - timedelta(days=words.past_days[word])
    iso = _ISO_DATE.search(lowered)
    if iso:
        found = _safe_date(int(iso["year"]), int(iso["month"]), int(iso["day"]))
        return found if found is not None and found <= today else None
    weekday = _ZH_WEEKDAY.search(lowered) or _EN_WEEKDAY.search(lowered)
    if weekday:
        target = words.weekdays[weekday["day"].lower()]
        if _LAST_WEEK.search(lowered[max(0, weekday.start() - 6):weekday.start()]):
            return today - timedelta(days=today.weekday() + 7 - target)
        return today - timedelta(days=(today.weekday() - target) % 7)
    named = _day_of_month(lowered)
    if named:
        named_month, day = named
        month = named_month or today.month
        found = _safe_date(today.year, month, day)
        if found is not None and found > today:
            found = _safe_date(today.year - 1, month, found.day) if named_month else _previous_month(today, found.day)
        return found
    return None


def find_time(text: str, now: datetime) -> datetime | None:
    """The future time `text` asks about, in Asia/Shanghai, or None."""
    words = _words()
    local_now = now.astimezone(SHANGHAI)
    lowered = text.lower()
    for salutation in words.salutations:
        lowered = lowered.replace(salutation, " ")
    duration = words.in_duration.search(lowered)
    if duration:
        return local_now + _duration(duration)
    day = _find_day(lowered, local_now.date(), words)
    part = _find_part_of_day(lowered, words)
    clock = _find_clock(lowered)
    if day is None and part is None and clock is None:
        return None
    if any(marker in lowered for marker in words.past_markers):
        return None
    return _combine(day, part, clock, local_now, words)


def _combine(
    day: date | None,
    part: tuple[int, bool] | None,
    clock: tuple[int, int] | None,
    now: datetime,
    words: _Words,
) -> datetime | None:
    if clock is not None:
        hour, minute = clock
        if part is not None and part[1] and hour < 12:
            hour += 12
        elif part is not None and part[1] and hour == 12 and part[0] >= LATE_EVENING_HOUR:
            hour = 24  # "晚上12点", "夜里12点": midnight, not noon
    elif part is not None:
        hour, minute = part[0], 0
    else:
        hour, minute = words.default_hour, 0
    if hour == 24:
        hour, day = 0, (day or now.date()) + timedelta(days=1)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if day is None:
        candidate = datetime.combine(now.date(), time(hour, minute), SHANGHAI)
        if candidate <= now and clock is not None and part is None and hour < 12:
            candidate += timedelta(hours=12)  # "8点" said at 15:00 means 20:00
        if candidate <= now:
            candidate += timedelta(days=1)
        return candidate
    if day == now.date() and clock is None and part is None:
        return None  # "今天能借吗" is now: no other time to simulate
    candidate = datetime.combine(day, time(hour, minute), SHANGHAI)
    return candidate if candidate > now else None


def _find_day(text: str, today: date, words: _Words) -> date | None:
    for word in sorted(words.relative_days, key=len, reverse=True):
        if word in text:
            return today + timedelta(days=words.relative_days[word])
    iso = _ISO_DATE.search(text)
    if iso:
        return _safe_date(int(iso["year"]), int(iso["month"]), int(iso["day"]))
    weekday = _ZH_WEEKDAY.search(text) or _EN_WEEKDAY.search(text)
    if weekday:
        target = words.weekdays[weekday["day"].lower()]
        is_next = (weekday["next"] or "").startswith(("下", "next"))
        return _weekday_date(today, target, is_next)
    named = _day_of_month(text)
    if named:
        named_month, day = named
        month = named_month or today.month
        found = _safe_date(today.year, month, day)
        if found is not None and found < today:
            # A date already past this year/month means the next one ("3号" said on the 20th).
            if named_month:
                return _safe_date(today.year + 1, month, found.day)
            return _next_month(today, found.day)
        return found
    if _MONTH_END.search(text):
        first_of_next = _next_month(today, 1)
        return first_of_next - timedelta(days=1) if first_of_next else None
    return None


def _day_of_month(text: str) -> tuple[int | None, int] | None:
    """The month (None if unsaid) and day a message names: "11月18号", "the 27th", "Nov 18"."""
    zh_date = _ZH_DATE.search(text)
    if zh_date:
        return (int(zh_date["month"]) if zh_date["month"] else None), int(zh_date["day"])
    en_date = _words().en_date.search(text)
    if en_date:
        month = en_date["month"] or en_date["month2"]
        day = en_date["day"] or en_date["day2"] or en_date["day3"]
        return (_words().month_of[month.lower().rstrip(".")] if month else None), int(day)
    return None


def _weekday_date(today: date, target: int, is_next_week: bool) -> date:
    if is_next_week:
        monday_next_week = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday_next_week + timedelta(days=target)
    ahead = (target - today.weekday()) % 7
    return today + timedelta(days=ahead)


def _next_month(today: date, day: int) -> date | None:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _safe_date(year, month, day)


def _previous_month(today: date, day: int) -> date | None:
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return _safe_date(year, month, day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_part_of_day(text: str, words: _Words) -> tuple[int, bool] | None:
    for word in sorted(words.parts_of_day, key=len, reverse=True):
        if word in text:
            return words.parts_of_day[word]
    return None


def _find_clock(text: str) -> tuple[int, int] | None:
    zh = _ZH_CLOCK.search(text)
    if zh and not _is_count(text, zh):
        hour = _number(zh["hour"])
        minute = 30 if zh["half"] else 15 if zh["quarter"] else _number(zh["minute"] or "0")
        if hour is not None and minute is not None:
            return hour, minute
    en = _EN_CLOCK.search(text)
    if en:
        hour = int(en["hour"] or en["hour2"] or en["hour3"])
        minute = int(en["minute"] or en["minute2"] or en["minute3"] or 0)
        ampm = (en["ampm"] or "").replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        return hour, minute
    return None


def _is_count(text: str, match: re.Match[str]) -> bool:
    # "一点" in "借一点" / "快一点" is "a little", not one o'clock.
    return (
        match["hour"] in {"一", "两"}
        and not match["minute"]
        and not match["half"]
        and (
            text[match.start() - 1 : match.start()]
            in {"借", "快", "多", "少", "早", "慢", "高", "低", "有"}
        )
    )


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    import cn2an  # lazy: importing it compiles its patterns (~0.3 s of every CLI start)

    try:
        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _duration(match: re.Match[str]) -> timedelta:
    n_text = (match["en_n"] or match["zh_n"] or "1").lower()
    unit = (match["en_unit"] or match["zh_unit"]).lower()
    if n_text in {"a", "an"}:
        n = 1.0
    elif n_text.startswith("half") or n_text == "半":
        n = 0.5
    elif n_text in _words().duration_numbers:
        n = float(_words().duration_numbers[n_text])
    else:
        n = float(n_text) if n_text.replace(".", "").isdigit() else float(_number(n_text) or 1)
    if unit.startswith(("hour", "hr", "小时", "钟头")):
        return timedelta(hours=n)
    if unit.startswith(("min", "分钟")):
        return timedelta(minutes=n)
    return timedelta(days=n)
