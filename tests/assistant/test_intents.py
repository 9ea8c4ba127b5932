"""Each intent of CONTRACT.md §4 in both languages: the right intent, the right check, and an
answer that fits it (greeting, out_of_scope and policy questions run no check)."""

from __future__ import annotations

import pytest

from tests.helpers.assistant import plain

SITUATION = [
    # (intent, account, zh, en, reason codes)
    ("cannot_borrow", "demo-overdue", "有额度为什么借不出来", "Why can't I borrow even though I have credit?",
     ["OVERDUE_UNPAID"]),
    ("how_much_can_i_borrow", "demo-healthy", "我现在最多能借多少", "How much can I borrow right now?", []),
    ("limit_not_restored", "demo-pending-transfer", "还款了额度怎么没恢复", "I repaid but my limit hasn't come back",
     ["REPAYMENT_NOT_POSTED"]),
    ("limit_reduced_or_closed", "demo-reduced", "额度怎么被降了", "Why was my limit lowered?", ["LIMIT_REDUCED"]),
    ("limit_reduced_or_closed", "demo-closed", "借呗被关闭了", "Why was my credit line closed?",
     ["ACCOUNT_CLOSED", "LIMIT_REDUCED"]),
    ("limit_increase", "demo-increase-cooldown", "为什么提额失败", "Why did my limit increase fail?",
     ["INCREASE_COOLDOWN"]),
    ("appeal_or_human", "demo-reduced", "我要申诉", "I want to appeal", ["LIMIT_REDUCED"]),
    ("appeal_or_human", "demo-risk-hold", "转人工", "Let me talk to a human agent", ["RISK_REVIEW_HOLD"]),
]


def _situation_params() -> list:
    return [pytest.param(intent, account, q, codes, id=f"{intent}-{account}-{lang}")
            for intent, account, zh, en, codes in SITUATION for lang, q in (("zh", zh), ("en", en))]


@pytest.mark.parametrize(("intent", "account", "question", "codes"), _situation_params())
def test_situation_intents_run_their_check(ask, intent, account, question, codes):
    result = ask(account, question).result
    assert result.intent == intent
    assert result.reason_codes == codes
    assert result.refused is False
    assert result.handoff is (intent == "appeal_or_human")


NO_CHECK = [
    ("greeting", "你好", "zh"), ("greeting", "Hello", "en"), ("greeting", "在吗", "zh"), ("greeting", "Hi there", "en"),
    ("out_of_scope", "花呗怎么还款", "zh"), ("out_of_scope", "How do I repay Huabei?", "en"),
    ("out_of_scope", "借呗利息怎么算", "zh"), ("out_of_scope", "How much interest will I pay?", "en"),
    ("out_of_scope", "验证码收不到怎么办", "zh"), ("out_of_scope", "I didn't get the SMS code", "en"),
    ("out_of_scope", "今天天气怎么样", "zh"), ("out_of_scope", "What's the weather like today?", "en"),
    ("out_of_scope", "信用卡怎么申请", "zh"), ("out_of_scope", "Where can I download my monthly bill?", "en"),
]


@pytest.mark.parametrize(("intent", "question", "lang"), NO_CHECK, ids=[f"{i}-{q}" for i, q, _ in NO_CHECK])
def test_greeting_and_out_of_scope_run_no_check(ask, intent, question, lang):
    # demo-overdue: had a check run, its overdue reason would show; none must.
    result = ask("demo-overdue", question).result
    assert result.intent == intent
    assert result.reason_codes == [] and result.next_steps == [] and result.citations == []
    assert result.refused is False and result.handoff is False
    assert "1,200" not in result.answer


@pytest.mark.parametrize(("question", "lang"), [("花呗怎么还款", "zh"), ("How much interest will I pay?", "en")])
def test_out_of_scope_says_what_is_covered_and_how_to_reach_support(ask, question, lang):
    answer = ask("demo-healthy", question).result.answer
    if lang == "zh":
        assert "借呗" in answer and "额度" in answer and "人工客服" in answer
    else:
        assert "credit line" in answer and "limit" in answer and "support" in answer


@pytest.mark.parametrize(("question", "lang"), [("你好", "zh"), ("Hello", "en")])
def test_greeting_introduces_what_the_assistant_does(ask, question, lang):
    answer = ask("demo-healthy", question).result.answer
    assert ("借呗" in answer and "额度" in answer) if lang == "zh" else ("credit line" in answer and "limit" in answer)


@pytest.mark.parametrize("question", ["借贝为什么借不了", "为啥借不了", "额渡有 为什么借不出来 气死了",
                                      "why cant i borrow from my credit line???", "我额度还有一万多，为什么借5000借不出来？"])
def test_typos_short_and_angry_messages_still_find_the_reason(ask, question):
    result = ask("demo-overdue", question).result
    assert result.intent == "cannot_borrow"
    assert result.reason_codes == ["OVERDUE_UNPAID"]
    assert "1200" in plain(result.answer)


# -- a draw nothing blocks: the figures, what the rules cannot see, the way on ---------------


@pytest.mark.parametrize(("question", "nothing_blocks"), [
    ("我想借5000", "我能查看的规则都没有阻止借款"),
    ("我想借3万", "借 15,000 元以内，我能查看的规则都没有阻止借款"),
    ("I want to borrow 5000", "None of the rules I can see stops a draw"),
    ("I want to borrow 30000", "Up to CNY 15,000, none of the rules I can see stops a draw"),
])
def test_a_draw_nothing_blocks_says_so_only_up_to_the_amount_the_rules_allow(ask, question, nothing_blocks):
    answer = ask("demo-healthy", question).result.answer
    assert nothing_blocks in answer
    assert "15,000" in answer  # the available amount and max_amount_now
    assert ("实时风险评估" in answer) if question.startswith("我") else ("real-time risk assessment" in answer)


# -- how much can I borrow: max_amount_now and every cap behind it ---------------------------


@pytest.mark.parametrize(("account", "lang", "amount", "caps"), [
    ("demo-healthy", "zh", "15000", ["15000", "100000"]),
    ("demo-healthy", "en", "15000", ["15000", "100000"]),
    ("demo-income-unverified", "zh", "50000", ["70000", "100000", "50000", "收入"]),
    ("demo-income-unverified", "en", "50000", ["70000", "100000", "50000", "income"]),
    ("demo-funding-quota-low", "zh", "3000", ["15000", "3000", "放款资金"]),
    ("demo-large-draw", "en", "100000", ["150000", "100000"]),
])
def test_how_much_explains_max_amount_now_and_each_cap(ask, account, lang, amount, caps):
    question = "我现在最多能借多少" if lang == "zh" else "How much can I borrow right now?"
    result = ask(account, question).result
    answer = plain(result.answer)
    assert result.intent == "how_much_can_i_borrow"
    assert amount in answer
    assert all(c in answer for c in caps), result.answer
    assert "500" in answer  # the minimum per draw
    assert {"available-limit", "draw-maximum"} <= {c.section_id for c in result.citations}


@pytest.mark.parametrize(("account", "codes", "fact"), [
    ("demo-overdue", ["OVERDUE_UNPAID"], "1200"),
    ("demo-daily-limit", ["DAILY_DRAW_LIMIT_REACHED"], "11月21日"),
    ("demo-no-limit", ["NO_AVAILABLE_LIMIT"], "200"),
])
def test_how_much_is_zero_with_the_blocking_reason(ask, account, codes, fact):
    result = ask(account, "我现在最多能借多少").result
    assert result.reason_codes == codes
    answer = plain(result.answer)
    assert "0 元" in answer and fact in answer


def test_how_much_ignores_an_amount_rule(ask):
    # Without an amount the four amount rules are skipped: 150,000 available, capped at 100,000 per draw.
    result = ask("demo-large-draw", "我最多能借多少钱").result
    assert result.reason_codes == []
    assert "100000" in plain(result.answer)
