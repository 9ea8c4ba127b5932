"""Every demo account, asked in Chinese and in English the question that runs each of its
expected checks: the answer carries exactly the account's reason codes (ranked), the contract's
next steps for them, and citations of each stated reason's policy sections."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.helpers.assistant import DEMO_ACCOUNTS
from tests.helpers.contract import expected_next_steps
from tools.catalogue import catalogue

QUESTIONS = {
    ("borrow", "zh"): "我要借{amount}为什么借不了",
    ("borrow", "en"): "Why can't I borrow {amount}?",
    ("limit_status", "zh"): "额度怎么被降了",
    ("limit_status", "en"): "Why was my limit lowered?",
    ("limit_increase", "zh"): "为什么提额失败",
    ("limit_increase", "en"): "Why can't I get a limit increase?",
}
INTENT_OF = {"borrow": "cannot_borrow", "limit_status": "limit_reduced_or_closed",
             "limit_increase": "limit_increase"}


def _cases() -> list[Any]:
    cases = []
    for account in DEMO_ACCOUNTS:
        for expect in account["expect"]:
            for lang in ("zh", "en"):
                amount = expect.get("amount")
                label = f"{account['account_id']}-{expect['action']}{'-' + str(amount) if amount else ''}-{lang}"
                cases.append(pytest.param(account, expect, lang, id=label))
    return cases


@pytest.mark.parametrize(("account", "expect", "lang"), _cases())
def test_answer_carries_the_accounts_reasons_steps_and_citations(ask, account, expect, lang):
    question = QUESTIONS[(expect["action"], lang)].format(amount=expect.get("amount"))
    result = ask(account["account_id"], question).result

    assert result.intent == INTENT_OF[expect["action"]]
    assert result.reason_codes == expect["reason_codes"]
    amount = Decimal(str(expect["amount"])) if expect.get("amount") is not None else None
    assert result.next_steps == expected_next_steps(expect["reason_codes"], account, amount)
    cited = {c.section_id for c in result.citations}
    for code in expect["reason_codes"][:4]:
        assert set(catalogue().reason(code).policy_refs) <= cited, code
    assert result.refused is False and result.handoff is False
    assert result.lang == lang
