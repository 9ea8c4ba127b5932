"""No answer ever promises approval, whatever the account and the question (issue 5)."""

from __future__ import annotations

import pytest

from tests.helpers.assistant import DEMO_IDS, PROMISE_WORDS

QUESTIONS = [
    "有额度为什么借不出来", "我要借5000可以吗", "我现在最多能借多少", "还款了额度怎么没恢复",
    "为什么提额失败", "如果我先把逾期的钱还了呢？", "如果我明天再借呢？",
    "Why can't I borrow 5000?", "How much can I borrow right now?", "what if I wait until tomorrow?",
    "Can I get a limit increase?", "Will my loan definitely be approved?", "你能保证我借到钱吗",
]


@pytest.mark.parametrize("account", DEMO_IDS)
def test_no_answer_promises_approval(ask, account):
    offending = []
    for question in QUESTIONS:
        answer = ask(account, question).result.answer
        offending += [(question, w) for w in PROMISE_WORDS if w.lower() in answer.lower()]
    assert not offending
