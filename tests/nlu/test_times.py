"""Time slots, relative to a Friday 10:00 in Asia/Shanghai."""

from datetime import datetime

import pytest

from assistant.nlu import understand
from tests.helpers.nlu import NOW


def _at(text: str) -> str | None:
    at = understand(text, now=NOW).at
    return at.isoformat() if at else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明天能借吗", "2026-11-21T10:00:00+08:00"),  # a day alone means 10:00
        ("明天上午10点能借吗", "2026-11-21T10:00:00+08:00"),
        ("明天下午3点半呢", "2026-11-21T15:30:00+08:00"),
        ("后天可以借吗", "2026-11-22T10:00:00+08:00"),
        ("下周一能借吗", "2026-11-23T10:00:00+08:00"),
        ("周一呢", "2026-11-23T10:00:00+08:00"),
        ("今晚8点能借吗", "2026-11-20T20:00:00+08:00"),
        ("晚上十点再试可以吗", "2026-11-20T22:00:00+08:00"),
        ("明早能借吗", "2026-11-21T09:00:00+08:00"),
        ("2小时后能借吗", "2026-11-20T12:00:00+08:00"),
        ("半小时后呢", "2026-11-20T10:30:00+08:00"),
        ("11月23日能借吗", "2026-11-23T10:00:00+08:00"),
        ("3号能借吗", "2026-12-03T10:00:00+08:00"),  # the 3rd has passed: next month's
        ("8点能借吗", "2026-11-20T20:00:00+08:00"),  # 08:00 has passed: 20:00
        ("can I borrow tomorrow 10am", "2026-11-21T10:00:00+08:00"),
        ("what about in 2 hours?", "2026-11-20T12:00:00+08:00"),
        ("next Monday?", "2026-11-23T10:00:00+08:00"),
        ("and tomorrow?", "2026-11-21T10:00:00+08:00"),
        ("tonight at 9pm", "2026-11-20T21:00:00+08:00"),
        ("what if I wait until tomorrow?", "2026-11-21T10:00:00+08:00"),
        ("on friday at 11:30", "2026-11-20T11:30:00+08:00"),
        ("那我晚上12点一过就借", "2026-11-21T00:00:00+08:00"),  # midnight, not noon
        ("夜里12点能借吗", "2026-11-21T00:00:00+08:00"),
    ],
)
def test_times_asked_about(text: str, expected: str) -> None:
    assert _at(text) == expected


@pytest.mark.parametrize(
    "text",
    ["为什么借不了", "今天能借吗", "我昨天下午3点还的款", "借一点可以吗", "I paid 2 days ago",
     "Good morning! Quick question, if I repay early does it affect my limit?", "晚上好，额度怎么没恢复"],
)
def test_no_future_time(text: str) -> None:
    assert _at(text) is None


def test_naive_now_is_shanghai_time() -> None:
    u = understand("明天能借吗", now=datetime(2026, 11, 20, 10, 0))
    assert u.at is not None and u.at.isoformat() == "2026-11-21T10:00:00+08:00"


def test_now_in_another_zone_is_converted() -> None:
    utc_now = datetime.fromisoformat("2026-11-20T17:00:00+00:00")  # 01:00 Saturday in Shanghai
    u = understand("明天能借吗", now=utc_now)
    assert u.at is not None and u.at.isoformat() == "2026-11-22T10:00:00+08:00"


def test_days_back_in_other_words() -> None:
    from assistant.nlu.times import find_past_day

    assert str(find_past_day("paid 5,000 via bank transfer the day before yesterday", NOW)) == "2026-11-18"
    assert str(find_past_day("last thursday i made a repayment by transfer", NOW)) == "2026-11-12"
    assert understand("转账是周四晚上转的，什么时候到", now=NOW).at_is_past


@pytest.mark.parametrize(("text", "day"), [
    ("in two days I'll need to borrow 8k", "2026-11-22"), ("planning to take out 6 grand on the 27th", "2026-11-27"),
    ("I want to borrow 8000 on December 10th", "2026-12-10"), ("月底想借3万", "2026-11-30"),
    ("at the end of the month I want to borrow 20,000", "2026-11-30"),
])
def test_days_asked_about_in_other_words(text: str, day: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.at is not None and str(reading.at.date()) == day and not reading.at_is_past


def test_a_month_and_day_already_past_is_a_past_event_unless_a_nearer_time_is_asked() -> None:
    paid = understand("I was paying on 18 November but my limit is not coming back", now=NOW)
    assert paid.at_is_past and paid.at is None
    later = understand("身份证是11月15号过期的，我明天去更新，然后就可以了？", now=NOW)
    assert not later.at_is_past and later.at is not None and str(later.at.date()) == "2026-11-21"
    assert understand("Is there a cap on how many loans a customer can take in one day?", now=NOW).at is None


@pytest.mark.parametrize("text", ["tried to borrow 6,500, declined 3 times", "separate 2 loans please",
                                  "I may 5 more times try", "declined 5, why"])
def test_a_word_that_starts_like_a_month_is_not_a_date(text: str) -> None:
    from assistant.nlu.times import find_time

    assert find_time(text.lower(), NOW) is None


@pytest.mark.parametrize("text", ["kept trying all morning, same error", "been trying all afternoon",
                                  "试了一早上了还是不行", "早上一直试都失败"])
def test_trying_all_morning_is_what_happened_not_a_time_to_try(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.at is None and reading.at_is_past and not reading.what_if


@pytest.mark.parametrize("text", ["if I try tomorrow morning?", "那我下午再试试"])
def test_trying_at_a_later_part_of_the_day_is_still_asked_about(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.at is not None and not reading.at_is_past
