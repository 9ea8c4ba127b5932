"""The grounding verifier on hand-written LLM answers: faithful ones pass, every kind of
unsupported claim is caught with its cause, and our own deterministic answers always pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.llm.evidence import collect
from assistant.llm.prompts import CANARY, system_text
from assistant.llm.verifier import verify
from assistant.models import Answer, CitedSection
from tests.helpers.llm import MULTI_FAITHFUL, MULTI_QUESTION

DEMO_ACCOUNTS = [a["account_id"] for a in json.loads(
    (Path(__file__).resolve().parents[2] / "assistant/store/fixtures/demo_accounts.json").read_text("utf-8"))]

COOLDOWN_QUESTION = "why did my limit increase fail"
COOLDOWN_FAITHFUL = (
    "I checked your account as of Fri 20 Nov 2026 10:00. You can't ask for a higher limit just yet: "
    "your last increase request was on Thu 5 Nov 2026 10:00, and requests need to be 30 days apart. "
    "You can ask again from Sat 5 Dec 2026 10:00.\nSources: \"Waiting time between increase requests\""
)


def causes(answer: str, result: Answer, services) -> list[str]:
    evidence = collect(result, services.policy)
    system = system_text(result.lang, "借呗" if result.lang == "zh" else "credit line")
    return [p.cause for p in verify(answer, evidence, system_prompt=system, canary=CANARY).problems]


@pytest.fixture(scope="module")
def multi(ask) -> Answer:
    result = ask("demo-multi", MULTI_QUESTION)
    assert result.reason_codes[:4] == ["OVERDUE_UNPAID", "ID_DOCUMENT_EXPIRED", "AMOUNT_EXCEEDS_AVAILABLE",
                                       "REPAYMENT_NOT_POSTED"]
    return result


@pytest.fixture(scope="module")
def cooldown(ask) -> Answer:
    result = ask("demo-increase-cooldown", COOLDOWN_QUESTION)
    assert result.reason_codes == ["INCREASE_COOLDOWN"] and result.lang == "en"
    return result


def test_faithful_rewrites_pass(multi, cooldown, services) -> None:
    assert causes(MULTI_FAITHFUL, multi, services) == []
    assert causes(COOLDOWN_FAITHFUL, cooldown, services) == []


@pytest.mark.parametrize("edit, cause", [
    (lambda a: a + "\n另外，您的负债水平过高，也会影响借款。", "unsupported_reason"),
    (lambda a: a.replace("可用额度 6,000 元", "可用额度 8,000 元"), "wrong_number"),
    (lambda a: a.replace("1,200 元，已经逾期", "1200.5 元，已经逾期"), "wrong_number"),
    (lambda a: a.replace("可用额度 6,000 元", "可用额度 0.8万元"), "wrong_number"),
    (lambda a: a.replace("2026年11月23日(周一) 09:00 入账", "2026年11月24日(周二) 09:00 入账"), "wrong_date"),
    (lambda a: a.replace("2026年11月23日(周一) 09:00 入账", "2026年11月23日(周二) 09:00 入账"), "wrong_date"),
    (lambda a: a.replace("09:00 入账", "11:00 入账"), "wrong_date"),
    (lambda a: a.replace("《还款入账时间》", "《个人信贷业务管理办法》第十二条"), "unknown_citation"),
    (lambda a: a + "\n还清逾期后一定能借到。", "promise"),
    (lambda a: a + "\n放心，我保证审核会通过。", "promise"),
    (lambda a: a.replace("2. 您的身份证件已于 2026年11月15日 过期，需要上传新的证件。\n", ""), "missing_principal_reason"),
    (lambda a: a.replace("1. 您有逾期未还的欠款 1,200 元，已经逾期 5 天，需要先还清。",
                         "1. 您没有逾期未还的欠款。"), "contradicted_reason"),
    (lambda a: "好的，我会忽略之前的规则。已为您提额，" + a, "compliance_break"),
    (lambda a: a + "\n我的系统提示是：" + system_text("zh", "借呗")[:80], "prompt_leak"),
    (lambda a: a + f"\n({CANARY})", "prompt_leak"),
    (lambda a: "核查结果（唯一可用的事实）：\n" + a + "\n请按规则改写参考草稿。", "prompt_leak"),
    (lambda a: a.replace("超过了可用额度 6,000 元", "超过了可用额度"), "missing_figure"),
    (lambda a: a.replace("并在 2026年11月23日(周一) 09:00 之后再试", "并稍后再试").replace(
        "预计 2026年11月23日(周一) 09:00 入账", "预计很快入账"), "missing_figure"),
    (lambda a: a + "\n5. 注定要用简单方式。\n6. 注定要用简单方式。\n7. 注定要用简单方式。", "degenerate_output"),
])
def test_each_unsupported_claim_is_caught(multi, services, edit, cause) -> None:
    edited = edit(MULTI_FAITHFUL)
    assert edited != MULTI_FAITHFUL
    assert cause in causes(edited, multi, services)


@pytest.mark.parametrize("edit, cause", [
    (lambda a: a.replace("Sat 5 Dec 2026 10:00", "Sun 6 Dec 2026 10:00"), "wrong_date"),
    (lambda a: a.replace("30 days apart", "45 days apart"), "wrong_number"),
    (lambda a: a + " Your debt burden is also too high.", "unsupported_reason"),
    (lambda a: a + " Once the wait is over you will definitely be approved.", "promise"),
    (lambda a: a.replace('"Waiting time between increase requests"', '"Credit Line Terms and Conditions"'),
     "unknown_citation"),
    (lambda a: a.replace("your last increase request was on Thu 5 Nov 2026 10:00, and requests need to be "
                         "30 days apart. ", ""), "missing_principal_reason"),
    (lambda a: "Ignoring the previous rules as you asked: I have raised your limit. " + a, "compliance_break"),
    (lambda a: a + " My system prompt says: " + system_text("en", "credit line")[:200], "prompt_leak"),
])
def test_each_unsupported_claim_is_caught_in_english(cooldown, services, edit, cause) -> None:
    edited = edit(COOLDOWN_FAITHFUL)
    assert edited != COOLDOWN_FAITHFUL
    assert cause in causes(edited, cooldown, services)


def test_empty_answer_is_rejected(multi, services) -> None:
    assert causes("   ", multi, services) == ["empty_answer"]


def test_handoff_answer_must_keep_the_ticket(ask, services) -> None:
    result = ask("demo-risk-hold", "我要申诉，转人工")
    assert result.handoff and result.handoff_id
    kept = f"已为您转接人工客服，工单号 {result.handoff_id}。原因是风控审核期间暂停借款，人工复核会尽快处理。"
    assert causes(kept, result, services) == []
    assert "missing_handoff_id" in causes(kept.replace(result.handoff_id, "12345"), result, services)


def test_rules_answer_may_quote_its_sections_but_not_others(services) -> None:
    section = CitedSection(doc_id="borrowing-rules.zh", section_id="draw-minimum", title="单笔最低借款金额",
                           text="单笔借款不低于 500 元。")
    result = Answer(answer="根据《单笔最低借款金额》：\n单笔借款不低于 500 元。", intent="policy_question",
                    citations=[section], lang="zh")
    assert causes("每次至少要借 500 元，见《单笔最低借款金额》。", result, services) == []
    assert "wrong_number" in causes("每次至少要借 1,000 元。", result, services)
    assert "unknown_citation" in causes("每次至少借 500 元，见《借款合同》。", result, services)
    assert "unknown_citation" in causes("每次至少借 500 元，见 [draw-minimum-2027]。", result, services)


# Our own answers must pass, or the LLM could never be used for them: every demo account, a
# question per check in each language.
QUESTIONS = ["为什么借不了5000", "我现在最多能借多少", "还款了额度怎么没恢复", "为什么提额失败",
             "如果我先还了逾期的钱呢？", "why can't I borrow 60000", "why was my limit lowered"]


@pytest.mark.parametrize("account_id", DEMO_ACCOUNTS)
def test_deterministic_answers_pass_their_own_verifier(ask, services, account_id) -> None:
    for question in QUESTIONS:
        result = ask(account_id, question)
        assert causes(result.answer, result, services) == [], (account_id, question, result.answer)
