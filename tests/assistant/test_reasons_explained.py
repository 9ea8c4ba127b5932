"""Every reason code is explained in the customer's language with the customer's own figures
and dates, the contract's next steps, and a citation of the rule behind it (CONTRACT.md §3)."""

from __future__ import annotations

import re

import pytest

from tests.helpers.assistant import plain

# (reason code, account, zh question, en question, zh facts, en facts, next steps, cited sections)
# Facts are compared after removing thousands separators (CONTRACT.md §6 must_mention).
ROWS = [
    ("ACCOUNT_NOT_OPENED", "demo-not-opened", "为什么借不出来", "Why can't I borrow?",
     ["未开通"], ["not been opened"], ["OPEN_ACCOUNT"], ["account-not-opened"]),
    ("ACCOUNT_CLOSED", "demo-closed", "为什么借不出来", "Why can't I borrow?",
     ["关闭", "长期未使用", "10月30日"], ["closed", "inactivity", "30 Oct"],
     ["SUBMIT_APPEAL", "CONTACT_SUPPORT"], ["account-closed", "appeal-and-human-review"]),
    ("ACCOUNT_FROZEN", "demo-frozen", "为什么借不出来", "Why can't I borrow?",
     ["冻结", "风险控制", "11月12日"], ["frozen", "risk control", "12 Nov"],
     ["SUBMIT_APPEAL", "CONTACT_SUPPORT"], ["account-frozen", "appeal-and-human-review"]),
    ("ACCOUNT_FROZEN+OVERDUE_UNPAID", "demo-frozen-overdue", "为什么借不出来", "Why can't I borrow?",
     ["冻结", "逾期", "2350", "35 天", "11月15日"], ["frozen", "overdue", "2350", "35 days", "15 Nov"],
     ["REPAY_OVERDUE"], ["account-frozen", "overdue-blocks-borrowing"]),
    ("OVERDUE_UNPAID", "demo-overdue", "有额度为什么借不出来", "I have credit left, why can't I borrow?",
     ["1200", "5 天", "逾期"], ["1200", "5 days", "overdue"], ["REPAY_OVERDUE"], ["overdue-blocks-borrowing"]),
    ("RISK_REVIEW_HOLD", "demo-risk-hold", "为什么借不出来", "Why can't I borrow?",
     ["风控", "异常", "11月27日", "10:00"], ["risk-control", "unusual account activity", "27 Nov", "10:00"],
     ["WAIT_UNTIL", "SUBMIT_APPEAL"], ["risk-review-hold", "appeal-and-human-review"]),
    ("COMPLIANCE_REVIEW", "demo-compliance", "为什么借不出来", "Why can't I borrow?",
     ["合规审核", "11月24日", "18:00"], ["compliance review", "24 Nov", "18:00"],
     ["WAIT_UNTIL"], ["compliance-review"]),
    ("ID_DOCUMENT_EXPIRED", "demo-id-expired", "为什么借不出来", "Why can't I borrow?",
     ["身份证", "过期", "11月15日"], ["ID document", "expired", "15 Nov"],
     ["UPDATE_ID_DOCUMENT"], ["id-document-validity"]),
    ("ID_DOCUMENT_EXPIRING", "demo-id-expiring", "我要借5000为什么借不了", "Why can't I borrow 5000?",
     ["12月5日", "15 天"], ["5 Dec", "15 days"], ["UPDATE_ID_DOCUMENT"], ["id-document-validity"]),
    ("FACE_VERIFICATION_REQUIRED", "demo-face", "为什么借不出来", "Why can't I borrow?",
     ["人脸识别"], ["face verification"], ["COMPLETE_FACE_VERIFICATION"], ["face-verification"]),
    ("BANK_CARD_UNAVAILABLE", "demo-bank-card", "为什么借不出来", "Why can't I borrow?",
     ["银行卡", "4021", "过期"], ["bank card", "4021", "expired"], ["UPDATE_BANK_CARD"], ["bank-card-requirements"]),
    ("AGE_INELIGIBLE", "demo-age", "为什么借不出来", "Why can't I borrow?",
     ["61", "18", "60", "年龄"], ["61", "18", "60", "age"], ["CONTACT_SUPPORT"], ["eligible-age"]),
    ("HIGH_DEBT_BURDEN", "demo-high-debt", "为什么借不出来", "Why can't I borrow?",
     ["0.78", "0.70", "7 家"], ["0.78", "0.70", "7 other lenders"], ["REDUCE_DEBT"],
     ["debt-to-income", "external-lenders"]),
    ("TOO_MANY_APPLICATIONS", "demo-many-applications", "为什么借不出来", "Why can't I borrow?",
     ["6 次", "5 次", "11月21日", "09:40"], ["6 applications", "5", "21 Nov", "09:40"],
     ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"], ["application-frequency"]),
    ("DAILY_DRAW_LIMIT_REACHED", "demo-daily-limit", "为什么借不出来", "Why can't I borrow?",
     ["3 次", "11月21日", "00:00"], ["3 times", "21 Nov", "00:00"], ["WAIT_UNTIL"], ["daily-draw-count"]),
    ("SYSTEM_MAINTENANCE", "demo-maintenance", "为什么借不出来", "Why can't I borrow?",
     ["维护", "23:50", "00:10"], ["maintenance", "23:50", "00:10"], ["RETRY_LATER"], ["maintenance-window"]),
    ("FUNDING_QUOTA_EXHAUSTED.blocking", "demo-funding-quota", "我要借5000为什么借不了",
     "Why can't I borrow 5000?", ["放款资金", "200"], ["funding quota", "200"], ["RETRY_LATER"], ["funding-quota"]),
    ("FUNDING_QUOTA_EXHAUSTED.limiting", "demo-funding-quota-low", "我要借5000为什么借不了",
     "Why can't I borrow 5000?", ["3000", "5000"], ["3000", "5000"], ["RETRY_LATER", "REDUCE_AMOUNT"],
     ["funding-quota"]),
    ("NO_AVAILABLE_LIMIT", "demo-no-limit", "为什么借不出来", "Why can't I borrow?",
     ["200", "500"], ["200", "500"], ["REPAY_OUTSTANDING"], ["available-limit", "draw-minimum"]),
    ("AMOUNT_BELOW_MINIMUM", "demo-below-minimum", "我想借300为什么借不了", "Why can't I borrow 300?",
     ["300", "500"], ["300", "500"], ["RAISE_AMOUNT"], ["draw-minimum"]),
    ("AMOUNT_EXCEEDS_AVAILABLE", "demo-small-limit", "我要借5000为什么借不了", "Why can't I borrow 5000?",
     ["5000", "3000"], ["5000", "3000"], ["REDUCE_AMOUNT"], ["available-limit"]),
    ("AMOUNT_ABOVE_SINGLE_MAXIMUM", "demo-large-draw", "我想借12万为什么不行", "Why can't I borrow 120,000?",
     ["120000", "100000"], ["120000", "100000"], ["REDUCE_AMOUNT"], ["draw-maximum"]),
    ("INCOME_VERIFICATION_REQUIRED", "demo-income-unverified", "借6万为什么借不了", "Why can't I borrow 60000?",
     ["50000", "365", "2025年10月8日"], ["50000", "365", "8 Oct 2025"], ["VERIFY_INCOME", "REDUCE_AMOUNT"],
     ["income-verification"]),
    ("REPAYMENT_NOT_POSTED.transfer", "demo-pending-transfer", "还款了额度怎么没恢复",
     "I repaid but my limit hasn't come back", ["8000", "银行转账", "11月23日", "09:00"],
     ["8000", "bank transfer", "23 Nov", "09:00"], ["WAIT_UNTIL"], ["repayment-posting"]),
    ("REPAYMENT_NOT_POSTED.card", "demo-pending-card", "还款了额度怎么没恢复",
     "I repaid but my limit hasn't come back", ["3000", "银行卡", "11:30"], ["3000", "bank card", "11:30"],
     ["WAIT_UNTIL"], ["repayment-posting"]),
    ("REPAYMENT_NOT_POSTED.late", "demo-late-posting", "还款了额度怎么没恢复",
     "I repaid but my limit hasn't come back", ["2500", "11月19日", "17:00"], ["2500", "19 Nov", "17:00"],
     ["CONTACT_SUPPORT"], ["repayment-posting"]),
    ("REPAYMENT_FAILED", "demo-failed-repayment", "还款了额度怎么没恢复", "I repaid but my limit hasn't come back",
     ["1856.42", "11月18日", "没有成功"], ["1856.42", "18 Nov", "failed"], ["RETRY_REPAYMENT"], ["repayment-failed"]),
    ("LIMIT_REDUCED", "demo-reduced", "额度怎么被降了", "Why was my limit lowered?",
     ["30000", "15000", "10月8日"], ["30000", "15000", "8 Oct"], ["KEEP_GOOD_RECORD", "SUBMIT_APPEAL"],
     ["limit-reduction", "appeal-and-human-review"]),
    ("LIMIT_REDUCED.closed", "demo-closed", "借呗被关闭了", "Why was my credit line closed?",
     ["15000", "0 元", "10月30日"], ["15000", "CNY 0", "30 Oct"], ["SUBMIT_APPEAL", "CONTACT_SUPPORT", "KEEP_GOOD_RECORD"],
     ["account-closed", "limit-reduction"]),
    ("RECENT_OVERDUE_HISTORY", "demo-overdue-history", "额度怎么被降了", "Why was my limit lowered?",
     ["2 次", "12个月"], ["2 overdue", "12 months"], ["KEEP_GOOD_RECORD"], ["overdue-history"]),
    ("INCREASE_COOLDOWN", "demo-increase-cooldown", "为什么提额失败", "Why can't I get a limit increase?",
     ["11月5日", "30 天", "12月5日"], ["5 Nov", "30 days", "5 Dec"], ["WAIT_UNTIL"], ["increase-cooldown"]),
    ("INCREASE_NOT_ELIGIBLE.new", "demo-increase-new-account", "为什么提额失败", "Why can't I get a limit increase?",
     ["90 天", "9月15日", "66 天"], ["90 days", "15 Sep", "66 days"], ["KEEP_GOOD_RECORD"], ["increase-eligibility"]),
    ("INCREASE_NOT_ELIGIBLE.reduced", "demo-reduced", "为什么提额失败", "Why can't I get a limit increase?",
     ["10月8日", "90 天"], ["8 Oct", "90"], ["KEEP_GOOD_RECORD"], ["increase-eligibility"]),
    ("INCREASE_NOT_ELIGIBLE+RECENT_OVERDUE_HISTORY", "demo-overdue-history", "为什么提额失败",
     "Why can't I get a limit increase?", ["2 次"], ["2 overdue"], ["KEEP_GOOD_RECORD"],
     ["increase-eligibility", "overdue-history"]),
]

CJK = re.compile(r"[\u4e00-\u9fff]")


def _params() -> list:
    out = []
    for code, account, q_zh, q_en, f_zh, f_en, steps, sections in ROWS:
        out.append(pytest.param(account, q_zh, f_zh, steps, sections, "zh", id=f"{code}-zh"))
        out.append(pytest.param(account, q_en, f_en, steps, sections, "en", id=f"{code}-en"))
    return out


@pytest.mark.parametrize(("account", "question", "facts", "steps", "sections", "lang"), _params())
def test_reason_is_explained_with_the_customers_own_facts(ask, account, question, facts, steps, sections, lang):
    result = ask(account, question).result
    answer = plain(result.answer)
    missing = [f for f in facts if f not in answer]
    assert not missing, f"answer lacks {missing}:\n{result.answer}"
    assert result.next_steps == steps
    cited = [c.section_id for c in result.citations]
    assert set(sections) <= set(cited)
    # The answer is in the user's language, and every citation is of that language's corpus.
    assert bool(CJK.search(result.answer)) is (lang == "zh")
    assert all(c.doc_id.endswith(f".{lang}") for c in result.citations)
    assert all(c.title for c in result.citations)


@pytest.mark.parametrize("account", ["demo-closed", "demo-frozen", "demo-risk-hold", "demo-high-debt"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_automated_judgements_name_the_appeal_route(ask, account, lang):
    question = "为什么借不出来" if lang == "zh" else "Why can't I borrow?"
    answer = ask(account, question).result.answer
    assert ("申诉" in answer and "人工复核" in answer) if lang == "zh" else ("appeal" in answer and "review" in answer)


@pytest.mark.parametrize("account", ["demo-overdue", "demo-id-expired", "demo-face", "demo-maintenance"])
def test_rules_that_are_not_judgements_do_not_offer_an_appeal(ask, account):
    assert "申诉" not in ask(account, "为什么借不出来").result.answer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_most_four_reasons_are_stated_and_more_is_said_to_exist(ask, lang):
    question = "为什么借不出来" if lang == "zh" else "Why can't I borrow?"
    result = ask("demo-multi-risk", question).result
    assert len(result.reason_codes) == 5  # all of them, ranked
    numbered = re.findall(r"^\d+\. ", result.answer, flags=re.MULTILINE)
    assert len(numbered) == 4
    assert ("另有 1 项" in result.answer) if lang == "zh" else ("1 more" in result.answer)
    # The fifth (an info reason) is not stated as one of the principal reasons.
    assert "980" not in plain(result.answer)


def test_all_reasons_are_stated_when_there_are_four_or_fewer(ask):
    result = ask("demo-multi", "我要借5000为什么借不了").result
    assert result.reason_codes == ["OVERDUE_UNPAID", "ID_DOCUMENT_EXPIRED", "REPAYMENT_NOT_POSTED"]
    answer = plain(result.answer)
    assert all(f in answer for f in ("1200", "11月15日", "11月23日"))
    assert "另有" not in answer
    # Blocking reasons come first in the text, the info reason last.
    assert answer.index("逾期") < answer.index("身份证") < answer.index("尚未入账")


def test_an_account_with_nothing_in_the_way_says_so_without_inventing_reasons(ask):
    result = ask("demo-healthy", "我要借5000为什么借不了").result
    assert result.reason_codes == [] and result.next_steps == [] and result.citations == []
    assert "没有发现阻止" in result.answer and "5,000" in result.answer
