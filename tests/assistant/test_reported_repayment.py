"""A repayment the customer says they made is matched against the account's records (issue 12,
slots): the answer says which record it is and how it stands, or that there is none; a past
event is never simulated as a future what-if."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from assistant.nlu.model import ReportedRepayment
from assistant.nlu.times import SHANGHAI, find_past_day
from assistant.nlu.understand import understand
from assistant.reported_repayment import match_reported
from tests.helpers.assistant import DEMO_BY_ID
from tools.snapshot import Snapshot

FRIDAY = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("words", "day"), [
    ("昨天还了3000", date(2026, 11, 19)),
    ("前天", date(2026, 11, 18)),
    ("周四晚上用银行转账还了4500", date(2026, 11, 19)),
    ("周五还的", date(2026, 11, 20)),  # today is Friday: the same day, not a week ago
    ("上周五还的", date(2026, 11, 13)),
    ("last friday I paid", date(2026, 11, 13)),
    ("I paid on Thursday", date(2026, 11, 19)),
    ("11月19号还了", date(2026, 11, 19)),
    ("25号还的", date(2026, 10, 25)),  # a day of the month still ahead this month is last month's
    ("2026-11-02 paid", date(2026, 11, 2)),
    ("我还了", None),
])
def test_the_day_of_a_reported_event_is_the_latest_such_day(words, day):
    assert find_past_day(words, FRIDAY) == day


@pytest.mark.parametrize(("message", "amount", "channel", "day"), [
    ("周四晚上用银行转账还了4500，额度到现在还没回来", Decimal(4500), "bank_transfer", date(2026, 11, 19)),
    ("我昨天用银行卡还了2,500，怎么额度还没恢复", Decimal(2500), "bank_card", date(2026, 11, 19)),
    ("I paid 5,000 by bank transfer yesterday, why is my limit not back", Decimal(5000), "bank_transfer",
     date(2026, 11, 19)),
    ("用余额还了一千二，额度呢", Decimal(1200), "balance", None),
])
def test_a_reported_repayment_is_read_not_simulated(message, amount, channel, day):
    reading = understand(message, now=FRIDAY)
    assert reading.reported_repayment == ReportedRepayment(amount=amount, channel=channel, day=day)
    assert reading.at is None and not reading.what_if


def test_a_hypothetical_repayment_is_not_a_report():
    reading = understand("如果我明天还了1200，能借吗", now=FRIDAY)
    assert reading.reported_repayment is None and reading.what_if


def _snapshot(account_id: str) -> Snapshot:
    return Snapshot.model_validate(DEMO_BY_ID[account_id]["snapshot"])


def test_the_record_agreeing_on_every_stated_detail_is_an_exact_match():
    snapshot = _snapshot("demo-late-posting")
    record = snapshot.repayments[0]
    reported = ReportedRepayment(amount=record.amount, channel=record.channel, day=record.paid_at.date())
    found = match_reported(reported, snapshot)
    assert found.record == record and found.exact


def test_a_record_that_differs_in_amount_is_named_with_the_difference():
    snapshot = _snapshot("demo-pending-transfer")
    record = snapshot.repayments[0]
    found = match_reported(ReportedRepayment(amount=record.amount - 1, channel=record.channel), snapshot)
    assert found.record == record and found.amount_differs and not found.channel_differs and not found.exact


def test_no_record_or_none_agreeing_on_anything_is_no_match():
    assert match_reported(ReportedRepayment(amount=Decimal(3000)), _snapshot("demo-healthy")).record is None
    snapshot = _snapshot("demo-pending-transfer")
    record = snapshot.repayments[0]
    other = "balance" if record.channel != "balance" else "bank_card"
    reported = ReportedRepayment(amount=record.amount + 777, channel=other, day=date(2026, 10, 1))
    assert match_reported(reported, snapshot).record is None


def test_the_answer_confirms_the_record_before_the_reasons(ask):
    answer = ask("demo-late-posting", "昨天下午三点用银行卡还了2500，额度到现在还没回来").result
    lines = answer.answer.splitlines()
    # What the customer reported is answered first; the intro then runs straight into its list.
    assert lines[0].startswith("您说的这笔还款我们查到了") and "2,500" in lines[0]
    assert lines[1].startswith("我查看了您截至") and lines[2].startswith("1. ")
    assert answer.reason_codes == ["REPAYMENT_NOT_POSTED"]
    assert answer.slots["reported_repayment"]["exact"] is True


def test_a_repayment_we_cannot_see_is_said_plainly_with_what_to_check(ask):
    answer = ask("demo-healthy", "我昨天还了3000，额度怎么没回来").result
    assert "没有查到您说的这笔还款" in answer.answer and "3,000" in answer.answer and "转人工" in answer.answer
    assert answer.slots["reported_repayment"]["matched"] is None


def test_in_english_the_closest_record_is_named_when_the_amount_differs(ask):
    answer = ask("demo-pending-transfer", "I paid 5000 by bank transfer on Friday night, why is my limit not back").result
    assert "no repayment exactly as you describe" in answer.answer
    assert "CNY 5,000" in answer.answer and "CNY 8,000" in answer.answer
    assert answer.reason_codes == ["REPAYMENT_NOT_POSTED"] and answer.slots["reported_repayment"]["exact"] is False
