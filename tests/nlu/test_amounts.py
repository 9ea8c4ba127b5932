"""Amount slots: the draw asked for and the what-if repayment, in every common form."""

from decimal import Decimal

import pytest

from assistant.nlu import understand
from assistant.nlu.amounts import find_amounts
from tests.helpers.nlu import NOW


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("借5000", "5000"),
        ("能借5千吗", "5000"),
        ("我想借五千", "5000"),
        ("borrow 5k", "5000"),
        ("借1.5万可以吗", "15000"),
        ("借¥5,000", "5000"),
        ("can I borrow five thousand", "5000"),
        ("借5,000元", "5000"),
        ("借两万", "20000"),
        ("借一万五", "15000"),
        ("借3万5", "35000"),
        ("10万零1块呢", "100001"),
        ("我想借5万5，提示需要补充收入信息", "55000"),
        ("借1万零500", "10500"),
        ("借一千二", "1200"),
        ("I want to borrow 10 grand", "10000"),
        ("can I draw twenty five thousand", "25000"),
        ("borrow 2.5k", "2500"),
        ("借个5000块钱", "5000"),
        ("借５０００元", "5000"),
        ("借50", "50"),
        ("借100000", "100000"),
        ("那3000呢？", "3000"),
        ("what about 3000?", "3000"),
        ("我的额度还有一万多，为什么借5000借不出来", "5000"),
        ("明天上午10点能借3000吗", "3000"),
        ("I need 4000 tho", "4000"),  # "th" starts "tho", it is not an ordinal
        ("ok 1000 then", "1000"),
        ("借5000为什么只能借3000", "5000"),  # the cap the customer quotes back is not the draw
        ("借6万为啥只能借5万", "60000"),
        ("it only lets me take 3000 but I want 5000", "5000"),
    ],
)
def test_draw_amount_forms(text: str, amount: str) -> None:
    assert understand(text, now=NOW).amount == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        "为啥借不了",
        "逾期3天了还能借吗",
        "借款分12期",
        "我18岁能借吗",
        "我的手机号13812345678",
        "我的账户是u12345，为什么借不了",
        "明天10点能借吗",
        "11月23日能借吗",
        "2026-11-25能借吗",
        "等一下再借",
        "one more time please",
        "will it be lifted on the 27th?",
        "why can't I borrow? I have 15000 available",
    ],
)
def test_numbers_that_are_not_amounts(text: str) -> None:
    assert understand(text, now=NOW).amount is None


@pytest.mark.parametrize(
    ("text", "repay", "draw"),
    [
        ("如果我先还1200", "1200", None),
        ("如果我先还1200，能借5000吗", "1200", "5000"),
        ("what if I repay the 1,200 first", "1200", None),
        ("假如我还了一千二之后能借吗", "1200", None),
        ("要是先把800还了呢", "800", None),
        ("if I pay back 2k can I borrow 10k", "2000", "10000"),
    ],
)
def test_what_if_repayment_amount(text: str, repay: str, draw: str | None) -> None:
    u = understand(text, now=NOW)
    assert u.what_if
    assert u.repay_amount == Decimal(repay)
    assert u.amount == (Decimal(draw) if draw else None)


def test_a_past_repayment_is_not_a_what_if() -> None:
    u = understand("我还了1200额度怎么没恢复", now=NOW)
    assert not u.what_if
    assert u.repay_amount is None
    assert u.amount is None


@pytest.mark.parametrize(
    "text",
    [
        "先把逾期的还了",
        "如果我先把逾期的钱还上呢",
        "what if I pay off the overdue amount",
        "what if I repay it first?",
        "如果我把欠款还清了能借吗",
    ],
)
def test_repay_all_overdue(text: str) -> None:
    u = understand(text, now=NOW)
    assert u.what_if and u.repay_all_overdue


def test_a_statement_of_repaying_overdue_is_not_simulated() -> None:
    u = understand("我已经把逾期的还了，为什么还借不了", now=NOW)
    assert not u.repay_all_overdue and not u.what_if


def test_a_dash_after_an_amount_is_punctuation_unless_a_date_follows() -> None:
    assert [m.value for m in find_amounts("I tried to borrow 6,500 - declined again")] == [6500]
    assert [m.value for m in find_amounts("2026-11-20借5000")] == [5000]


@pytest.mark.parametrize("text", ["借5万以上都要收入认证吗", "借款5000元及以上要人脸吗", "do loans of 50000 or more need income proof"])
def test_an_amount_that_bounds_a_rule_is_not_a_draw(text: str) -> None:
    u = understand(text, now=NOW)
    assert (u.amount, u.asks_to_draw) == (None, False)


def test_the_available_amount_quoted_back_is_not_a_draw() -> None:
    u = understand("可用不是有4000吗", now=NOW)
    assert (u.amount, u.quotes_an_amount) == (None, True)


@pytest.mark.parametrize("text", ["尾号4021那张卡早就不用了", "my card ending in 4021 expired", "卡号：6222 不能用了"])
def test_a_card_tail_is_never_an_amount(text: str) -> None:
    assert understand(text, now=NOW).amount is None


@pytest.mark.parametrize(("text", "amount"), [("那一万五能一次借出来不", "15000"), ("5000能借吗", "5000")])
def test_a_draw_named_before_its_verb(text: str, amount: str) -> None:
    u = understand(text, now=NOW)
    assert (u.amount, u.asks_to_draw) == (Decimal(amount), True)


@pytest.mark.parametrize("text", ["my available shows 70,000 though??", "why 最低要 500 啊 这个规定是怎么定的", "刚开通两个月 额度才8000 能提额吗",
                                  "为什么才3000，我可用额度有15000",
                                  # session 28: an expectation, a figure the assistant gave, the line's size
                                  "我还以为我能借3万呢", "你说我能借9000？？页面额度写的是12000", "even though my line is 80k?",
                                  "why only 20000 when 30000 is available"])
def test_a_limit_or_minimum_quoted_back_is_not_a_draw(text: str) -> None:
    u = understand(text, now=NOW)
    assert (u.amount, u.asks_to_draw, u.quotes_an_amount) == (None, False, True)


@pytest.mark.parametrize(("text", "draw"), [
    ("我想申请把额度提到十万，现在可以申请吗", None),
    ("借五千提示超出可借金额，页面上写最多可借3000，可我可用额度有一万五啊", "5000"),
    ("我的可用额度七万，但借款页面最多只能选五万，我现在到底最多能借多少？", None),
    ("Need just 300 bucks till payday. It says amount invalid?", "300"),
])
def test_targets_and_caps_quoted_from_the_page_are_not_the_draw(text: str, draw: str | None) -> None:
    assert understand(text, now=NOW).amount == (Decimal(draw) if draw else None)


def test_whether_an_action_would_be_enough_is_a_what_if_and_how_much_to_repay_is_the_plan() -> None:
    assert understand("那我把别的平台的贷款还掉几家，是不是就能借了", now=NOW).what_if
    assert understand("那我要是先还一部分，还多少我才能借出来？", now=NOW).asks_for_plan


@pytest.mark.parametrize("text", [
    "逾期了1200，还能借钱吗", "my overdue balance is 1200, can I still borrow?", "显示可借15000，但是点借款就失败",
    "I earn 12k a month, can I get a higher limit?", "我工资每月8000，能提额吗", "已经借了2万，剩下的额度还能借吗",
    "it says I can borrow up to 6000 but it keeps failing",
])
def test_a_figure_of_something_else_is_never_the_draw(text: str) -> None:
    assert understand(text, now=NOW).amount is None


@pytest.mark.parametrize(("text", "repaid", "channel"), [
    ("上周四 wire 了 5000，还没 post", "5000", "bank_transfer"),
    ("前天晚上银行卡还款2500，想借1万2", "2500", "bank_card"),
    ("I cleared my 800 overdue the day before yesterday. Can I borrow 1000?", "800", None),
    ("i repayed 1000 yestrday", "1000", None),
])
def test_a_reported_repayment_in_other_words_is_matched_not_drawn(text: str, repaid: str, channel: str | None) -> None:
    reading = understand(text, now=NOW)
    assert reading.reported_repayment is not None and reading.at_is_past
    assert reading.reported_repayment.amount == Decimal(repaid)
    assert reading.reported_repayment.channel == channel
    assert reading.amount != Decimal(repaid)


@pytest.mark.parametrize(("text", "repay"), [
    ("明天上午用卡还两千，借五千可以吗", "2000"), ("晚上八点还1500的话能借3000吗", "1500"),
    ("can I 借 2万 if 我 repay 5000 tomorrow", "5000"),
])
def test_a_repayment_at_a_later_time_is_supposed_not_reported(text: str, repay: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.what_if and reading.repay_amount == Decimal(repay) and reading.reported_repayment is None


def test_hundreds_written_with_a_unit_are_hundreds() -> None:
    assert understand("借8百块就行，交个房租", now=NOW).amount == Decimal(800)


@pytest.mark.parametrize(("text", "amount"), [
    ("能不能借个两三千", "3000"), ("can i borrow like 2-3k", "3000"), ("想借3000-5000之间", "5000"),
    ("借3000到5000元", "5000"), ("一两万能借吗", "20000"), ("申请借款伍仟元", "5000"), ("Is CNY800 possible to borrow", "800"),
])
def test_ranges_formal_numerals_and_glued_currency(text: str, amount: str) -> None:
    assert understand(text, now=NOW).amount == Decimal(amount)


@pytest.mark.parametrize("text", ["电话138-1234-5678", "2026-11-20那天", "9:30-10:00之间"])
def test_dates_times_and_phone_numbers_are_not_ranges(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize("text", ["is my limit still 20k? how much can I use", "is my limit still 20k though",
                                  "my limit is still 15000, right?"])
def test_a_limit_quoted_with_still_is_not_a_draw(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.quotes_an_amount and reading.amount is None


@pytest.mark.parametrize(("text", "amount"), [("lend me 250 till payday pls", "250"), ("算了 今天要用3500", "3500")])
def test_lend_me_or_needing_an_amount_is_a_draw(text: str, amount: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.asks_to_draw and reading.amount == Decimal(amount)


def test_a_lender_lending_is_not_the_writers_draw() -> None:
    assert not understand("do you lend 500 minimum?", now=NOW).asks_to_draw
