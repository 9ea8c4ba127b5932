"""The recourse plan in words, in Chinese and English (CONTRACT.md section 9, issue 14)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assistant.answers.format import money, when
from assistant.answers.plan_text import plan_sentences
from tests.helpers.assistant import PROMISE_WORDS
from tests.helpers.engine import make_snapshot, sh
from tools.catalogue import catalogue
from tools.plan import plan
from tools.plan_model import Plan
from tools.snapshot import parse_platform, parse_snapshot

DEMO = json.loads((Path(__file__).resolve().parents[2] / "assistant/store/fixtures/demo_accounts.json")
                  .read_text(encoding="utf-8"))
PRODUCT = {"zh": "借呗", "en": "credit line"}
# A sentence that turns a review into a promise: "will be lifted", "会通过", …
REVIEW_PROMISES = ("will be lifted", "will be approved", "will pass", "会解除", "会通过", "将解除", "一定")


def _plan(changes: dict[str, Any], amount: Any = 5000, **top: Any) -> Plan:
    return plan(parse_snapshot(make_snapshot(changes, **top)), None, None,
                None if amount is None else Decimal(amount), None)


def _example() -> Plan:
    return _plan({
        "as_of": "2026-11-20T10:00:00+08:00", "customer.id_document_expiry": "2026-11-15",
        "limit": {"total": 20000, "used": 6200, "available": 13800},
        "overdue": {"amount": 1200, "days": 5, "count_12m": 1},
        "repayments": [{"id": "p1", "amount": 1200, "paid_at": "2026-11-20T08:30:00+08:00",
                        "channel": "bank_transfer", "status": "pending"}],
    })


def test_the_contract_example_in_chinese():
    assert plan_sentences(_example(), "zh", "借呗") == [
        ("最快 2026年11月23日(周一) 09:00 可以借 5,000 元：现在上传有效身份证件；"
         "您周五的 1,200 元转账入账后逾期即结清，无需再还。"),
        "届时最多可借 15,000 元。",
    ]


def test_the_contract_example_in_english():
    headline, at_goal = plan_sentences(_example(), "en", "credit line")
    assert headline == ("The earliest you can borrow CNY 5,000 is Mon 23 Nov 2026 09:00: upload a valid ID "
                        "document now; once your CNY 1,200 bank transfer from Friday posts, the overdue amount "
                        "is cleared, with no need to pay it again.")
    assert at_goal == "You can borrow up to CNY 15,000 from Mon 23 Nov 2026 09:00."


@pytest.mark.parametrize(("lang", "maybe", "review"), [
    ("zh", "可能可以借", "风控审核 2026年11月20日(周五) 10:00 届时重新评估"),
    ("en", "might borrow", "the risk review is re-evaluated at Fri 20 Nov 2026 10:00"),
])
def test_a_review_is_re_evaluated_never_promised(lang, maybe, review):
    result = _plan({"risk": {"hold": True, "review_until": "2026-11-20T10:00:00+08:00"},
                    "compliance": {"review_pending": True, "expected_by": "2026-11-21T18:00:00+08:00"}})
    assert [step.certain for step in result.steps] == [False, False]
    text = " ".join(plan_sentences(result, lang, PRODUCT[lang]))
    assert maybe in text and review in text
    assert "re-evaluated at that time" in text or "合规审核届时重新评估" in text
    assert not any(word in text for word in REVIEW_PROMISES + PROMISE_WORDS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_most_four_steps_are_stated(lang):
    result = _plan({"overdue": {"amount": 800, "days": 3}, "customer.id_document_expiry": "2026-01-01",
                    "customer.face_verification_required": True, "bank_card.status": "expired",
                    "limit": {"total": 100000, "used": 0, "available": 100000},
                    "credit.income_verified_at": "2024-01-01",
                    "risk": {"hold": True, "review_until": "2026-11-19T10:00:00+08:00"}}, amount=60000)
    assert len(result.steps) == 6
    headline = plan_sentences(result, lang, PRODUCT[lang])[0]
    body = headline.split("：" if lang == "zh" else ": ", 1)[1]
    assert len(body.split("；" if lang == "zh" else "; ")) == 4
    assert ("另有 3 步" if lang == "zh" else "3 more steps") in headline


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["还上在途还款未覆盖的逾期欠款 200 元", "入账后逾期即结清"]),
    ("en", ["CNY 200 of the overdue amount that your payment on its way does not cover", "posts"]),
])
def test_a_partly_covered_overdue_asks_only_for_the_rest(lang, words):
    result = _plan({"overdue": {"amount": 1200, "days": 3},
                    "repayments": [{"amount": 1000, "paid_at": "2026-11-18T09:45:00+08:00",
                                    "channel": "bank_transfer", "status": "pending"}]})
    text = " ".join(plan_sentences(result, lang, PRODUCT[lang]))
    assert all(word in text for word in words), text
    assert "无需再还" not in text and "no need to pay it again" not in text


@pytest.mark.parametrize(("lang", "word"), [("zh", "联系人工客服核查"), ("en", "contact support to trace")])
def test_a_late_repayment_is_traced_by_support(lang, word):
    result = _plan({"overdue": {"amount": 1200, "days": 3},
                    "repayments": [{"amount": 1200, "paid_at": "2026-11-18T07:00:00+08:00",
                                    "channel": "bank_card", "status": "pending"}]})
    assert word in " ".join(plan_sentences(result, lang, PRODUCT[lang]))


@pytest.mark.parametrize(("lang", "word"), [("zh", "现在就可以借"), ("en", "You can borrow CNY 5,000 now")])
def test_goal_met_now(lang, word):
    assert word in plan_sentences(_plan({}), lang, PRODUCT[lang])[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("amount", [None, 5000, 20000])
@pytest.mark.parametrize("entry", DEMO, ids=[e["account_id"] for e in DEMO])
def test_every_demo_plan_reads_well(entry, amount, lang):
    result = plan(parse_snapshot(entry["snapshot"]), parse_platform(entry.get("platform")), None,
                  None if amount is None else Decimal(amount), None)
    sentences = plan_sentences(result, lang, PRODUCT[lang])
    text = " ".join(sentences)
    assert 1 <= len(sentences) <= 3 and all(s.strip() for s in sentences)
    assert "{" not in text and "}" not in text and "None" not in text
    assert not any(word.lower() in text.lower() for word in PROMISE_WORDS)
    if not result.reachable:
        for code in result.blocked_by:
            assert getattr(catalogue().reason(code).title, lang) in text
        return
    assert money(result.amount_at_goal) in text
    if result.earliest_at != result.checked_at:
        assert when(result.earliest_at, lang) in text
    for step in result.steps:
        if step.amount is not None:
            assert money(step.amount) in text
        if not step.certain and step.kind == "wait":
            assert ("届时重新评估" if lang == "zh" else "re-evaluated at") in text


def test_wait_times_other_than_the_goal_are_stated():
    result = _plan({"activity": {"loans_today": 3}})
    assert result.earliest_at == sh(2026, 11, 19, 0, 10)
    zh, _ = plan_sentences(result, "zh", "借呗")
    assert "2026年11月19日(周四) 00:10" in zh and "2026年11月19日(周四) 00:00 每日借款次数重置" in zh
