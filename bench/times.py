"""Time expressions: our parser (assistant/nlu/times.py) beside `dateparser` and `jionlp`, in one run.

    python bench/times.py

Issue 12 asks to look at these libraries before extending the hand-written parser. Each reads
the same phrases relative to Friday 2026-11-20 10:00 Asia/Shanghai: times a customer asks about
(future, "明天下午3点半", "next Monday?") and days of events they report (past, "周四晚上还了",
"last friday"). A library that is not installed is reported as such; install them into a
scratch environment to compare (`pip install dateparser jionlp`), they are not dependencies.
Prints, per parser: phrases right (the day and, for asked times, the hour and minute) and
microseconds per phrase.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.nlu.times import SHANGHAI, find_past_day, find_time

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # a Friday
ASKED: list[tuple[str, str]] = [  # phrase → the local time it asks about
    ("明天能借吗", "2026-11-21 10:00"), ("明天上午10点能借吗", "2026-11-21 10:00"),
    ("明天下午3点半呢", "2026-11-21 15:30"), ("后天可以借吗", "2026-11-22 10:00"),
    ("下周一能借吗", "2026-11-23 10:00"), ("今晚8点能借吗", "2026-11-20 20:00"),
    ("晚上十点再试可以吗", "2026-11-20 22:00"), ("2小时后能借吗", "2026-11-20 12:00"),
    ("半小时后呢", "2026-11-20 10:30"), ("11月23日能借吗", "2026-11-23 10:00"),
    ("3号能借吗", "2026-12-03 10:00"), ("can I borrow tomorrow 10am", "2026-11-21 10:00"),
    ("what about in 2 hours?", "2026-11-20 12:00"), ("next Monday?", "2026-11-23 10:00"),
    ("tonight at 9pm", "2026-11-20 21:00"), ("on friday at 11:30", "2026-11-20 11:30"),
]
REPORTED: list[tuple[str, str]] = [  # phrase → the local day of the reported event
    ("昨天还了3000", "2026-11-19"), ("前天还的", "2026-11-18"), ("周四晚上用银行转账还了4500", "2026-11-19"),
    ("上周五还的", "2026-11-13"), ("11月19号还了", "2026-11-19"), ("25号还的", "2026-10-25"),
    ("I paid on Thursday", "2026-11-19"), ("last friday I paid", "2026-11-13"),
    ("I paid yesterday", "2026-11-19"),
]


def ours_asked(text: str) -> datetime | None:
    return find_time(text, NOW)


def ours_reported(text: str) -> date | None:
    return find_past_day(text, NOW)


def dateparser_reader(prefer: str) -> Callable[[str], datetime | None] | None:
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    settings = {"RELATIVE_BASE": NOW.replace(tzinfo=None), "PREFER_DATES_FROM": prefer,
                "TIMEZONE": "Asia/Shanghai", "RETURN_AS_TIMEZONE_AWARE": False}

    def read(text: str) -> datetime | None:
        found = search_dates(text, languages=["zh", "en"], settings=settings)  # type: ignore[arg-type]
        return found[0][1] if found else None

    return read


def jionlp_reader() -> Callable[[str], datetime | None] | None:
    try:
        import jionlp
    except ImportError:
        return None

    def read(text: str) -> datetime | None:
        try:
            found = jionlp.parse_time(text, time_base=NOW.timestamp())
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        start = found.get("time", [None])[0] if isinstance(found, dict) else None
        return datetime.strptime(start, "%Y-%m-%d %H:%M:%S") if start else None

    return read


def score(read: Callable[[str], object], cases: list[tuple[str, str]], *, day_only: bool) -> tuple[int, float]:
    right = 0
    started = time.perf_counter()
    for text, expected in cases:
        got = read(text)
        if got is None:
            continue
        shown = f"{got:%Y-%m-%d}" if day_only else f"{got:%Y-%m-%d %H:%M}"
        right += shown == expected
    return right, (time.perf_counter() - started) / len(cases) * 1e6


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    for name, asked, reported in [
        ("ours (assistant/nlu/times.py)", ours_asked, ours_reported),
        ("dateparser (future / past)", dateparser_reader("future"), dateparser_reader("past")),
        ("jionlp.parse_time", jionlp_reader(), jionlp_reader()),
    ]:
        if asked is None or reported is None:
            rows.append((name, "not installed", "not installed"))
            continue
        score(asked, ASKED[:2], day_only=False)  # warm-up: first calls load data
        a_right, a_us = score(asked, ASKED, day_only=False)
        r_right, r_us = score(reported, REPORTED, day_only=True)
        rows.append((name, f"{a_right}/{len(ASKED)} ({a_us:,.0f} µs)", f"{r_right}/{len(REPORTED)} ({r_us:,.0f} µs)"))
    width = max(len(r[0]) for r in rows)
    print(f"{'parser':<{width}}  {'asked times right':<24}  reported days right")
    for name, asked_text, reported_text in rows:
        print(f"{name:<{width}}  {asked_text:<24}  {reported_text}")


if __name__ == "__main__":
    main()
