"""Every reason code alone (zh and en), on inline snapshots."""
from gen_base import *

F = "reasons.jsonl"
ZH_WHY = ["有额度为什么借不出来", "为什么借不了钱", "我的借呗为啥用不了", "明明有额度，借款却失败了，怎么回事？"]
EN_WHY = ["Why can't I borrow?", "I have an available limit but the draw fails. Why?", "why is my credit line not letting me borrow"]
B = "cannot_borrow"

def borrow_pair(key, patch, codes, steps, cite=None, zh_mention=None, en_mention=None, amount=None, platform=None, at=None):
    for i, lang in enumerate(("zh", "en")):
        if amount is None:
            msg = ZH_WHY[len(key) % len(ZH_WHY)] if lang == "zh" else EN_WHY[len(key) % len(EN_WHY)]
        else:
            msg = f"我想借{amount}元，为什么借不了？" if lang == "zh" else f"Why can't I borrow {amount:,} yuan?"
        turn = {"user": msg}
        if at:
            turn["at"] = at
        mention = zh_mention if lang == "zh" else en_mention
        add(F, f"rc-{key}-{lang}", [turn], ex(B, codes, steps, cite, mention), account=snap(f"rc-{key}-{lang}", **patch),
            platform=platform, tags=["reason", lang] + list(codes))

borrow_pair("not-opened", {"status": "not_opened", "opened_at": None, "limit": {"total": 0, "used": 0, "available": 0}},
            ["ACCOUNT_NOT_OPENED"], ["OPEN_ACCOUNT"], ["account-not-opened"])
borrow_pair("closed", {"status": "closed", "status_reason": "inactivity", "status_changed_at": "2026-10-30T10:00:00+08:00",
                       "limit": {"total": 0, "used": 0, "available": 0}},
            ["ACCOUNT_CLOSED"], ["SUBMIT_APPEAL", "CONTACT_SUPPORT"], ["account-closed"])
borrow_pair("frozen-risk", {"status": "frozen", "status_reason": "risk_control", "status_changed_at": "2026-11-12T16:40:00+08:00"},
            ["ACCOUNT_FROZEN"], ["SUBMIT_APPEAL", "CONTACT_SUPPORT"], ["account-frozen"])
borrow_pair("frozen-court", {"status": "frozen", "status_reason": "court_order"},
            ["ACCOUNT_FROZEN"], ["SUBMIT_APPEAL", "CONTACT_SUPPORT"], ["account-frozen"])
borrow_pair("frozen-overdue-repaid", {"status": "frozen", "status_reason": "overdue", "overdue": {"count_12m": 1}},
            ["ACCOUNT_FROZEN"], ["REPAY_OVERDUE"], ["account-frozen"])
borrow_pair("overdue", {"overdue": {"amount": 1200, "days": 5, "count_12m": 1}},
            ["OVERDUE_UNPAID"], ["REPAY_OVERDUE"], ["overdue-blocks-borrowing"], ["1200"], ["1200"])
borrow_pair("overdue-cents", {"overdue": {"amount": 356.78, "days": 2, "count_12m": 1}},
            ["OVERDUE_UNPAID"], ["REPAY_OVERDUE"], None, ["356.78"], ["356.78"])
borrow_pair("risk-hold", {"risk": {"hold": True, "reason": "abnormal_activity", "review_until": "2026-11-27T10:00:00+08:00"}},
            ["RISK_REVIEW_HOLD"], ["WAIT_UNTIL", "SUBMIT_APPEAL"], ["risk-review-hold"], ["11月27日"], ["27 Nov"])
borrow_pair("risk-hold-model", {"risk": {"hold": True, "reason": "model_reassessment", "review_until": "2026-12-01T09:00:00+08:00"}},
            ["RISK_REVIEW_HOLD"], ["WAIT_UNTIL", "SUBMIT_APPEAL"], None, ["12月1日"], ["1 Dec"])
borrow_pair("compliance", {"compliance": {"review_pending": True, "expected_by": "2026-11-24T18:00:00+08:00"}},
            ["COMPLIANCE_REVIEW"], ["WAIT_UNTIL"], ["compliance-review"], ["11月24日"], ["24 Nov"])
borrow_pair("id-expired", {"customer": {"id_document_expiry": "2026-11-15"}},
            ["ID_DOCUMENT_EXPIRED"], ["UPDATE_ID_DOCUMENT"], ["id-document-validity"], ["11月15日"], ["15 Nov"])
borrow_pair("id-expiring", {"customer": {"id_document_expiry": "2026-12-05"}},
            ["ID_DOCUMENT_EXPIRING"], ["UPDATE_ID_DOCUMENT"], ["id-document-validity"], ["12月5日"], ["5 Dec"])
borrow_pair("face", {"customer": {"face_verification_required": True}},
            ["FACE_VERIFICATION_REQUIRED"], ["COMPLETE_FACE_VERIFICATION"], ["face-verification"])
for status in ("expired", "frozen", "name_mismatch", "missing"):
    card = {"status": status, "last4": "4021"} if status != "missing" else {"status": "missing", "last4": None}
    borrow_pair(f"card-{status}", {"bank_card": card}, ["BANK_CARD_UNAVAILABLE"], ["UPDATE_BANK_CARD"], ["bank-card-requirements"],
                ["4021"] if status == "expired" else None, ["4021"] if status == "expired" else None)
borrow_pair("age-61", {"customer": {"age": 61}}, ["AGE_INELIGIBLE"], ["CONTACT_SUPPORT"], ["eligible-age"])
borrow_pair("age-17", {"customer": {"age": 17}}, ["AGE_INELIGIBLE"], ["CONTACT_SUPPORT"], ["eligible-age"])
borrow_pair("dti", {"credit": {"debt_to_income": 0.78}}, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"], ["debt-to-income"])
borrow_pair("lenders", {"credit": {"external_lenders": 7}}, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"], ["external-lenders"])
borrow_pair("dti-and-lenders", {"credit": {"debt_to_income": 0.9, "external_lenders": 8}}, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"])
borrow_pair("applications", {"activity": {"applications_24h": 6, "last_application_at": "2026-11-20T09:40:00+08:00"}},
            ["TOO_MANY_APPLICATIONS"], ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"], ["application-frequency"], ["09:40"], ["09:40"])
borrow_pair("daily", {"limit": {"total": 20000, "used": 11000, "available": 9000},
                      "activity": {"loans_today": 3, "applications_24h": 3, "last_application_at": "2026-11-20T09:05:00+08:00"}},
            ["DAILY_DRAW_LIMIT_REACHED"], ["WAIT_UNTIL"], ["daily-draw-count"])
borrow_pair("maintenance", {"as_of": "2026-11-20T23:55:00+08:00"}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"], ["maintenance-window"],
            ["00:10"], ["00:10"])
borrow_pair("quota-blocking", {}, ["FUNDING_QUOTA_EXHAUSTED"], ["RETRY_LATER"], ["funding-quota"],
            platform={"maintenance": [], "funding_quota_remaining": 200})
borrow_pair("quota-limiting", {}, ["FUNDING_QUOTA_EXHAUSTED"], ["RETRY_LATER", "REDUCE_AMOUNT"], ["funding-quota"], ["3000"], ["3000"],
            amount=5000, platform={"maintenance": [], "funding_quota_remaining": 3000})
borrow_pair("no-limit", {"limit": {"total": 20000, "used": 19800, "available": 200}},
            ["NO_AVAILABLE_LIMIT"], ["REPAY_OUTSTANDING"], ["available-limit"], ["200"], ["200"])
borrow_pair("below-min", {"limit": {"total": 20000, "used": 0, "available": 20000}},
            ["AMOUNT_BELOW_MINIMUM"], ["RAISE_AMOUNT"], ["draw-minimum"], ["500"], ["500"], amount=300)
borrow_pair("exceeds", {"limit": {"total": 15000, "used": 12000, "available": 3000}},
            ["AMOUNT_EXCEEDS_AVAILABLE"], ["REDUCE_AMOUNT"], ["available-limit"], ["3000"], ["3000"], amount=5000)
borrow_pair("above-max", {"limit": {"total": 150000, "used": 0, "available": 150000}, "credit": {"income_verified_at": "2026-06-01"}},
            ["AMOUNT_ABOVE_SINGLE_MAXIMUM"], ["REDUCE_AMOUNT"], ["draw-maximum"], ["100000"], ["100000"], amount=120000)
borrow_pair("income", {"limit": {"total": 80000, "used": 10000, "available": 70000}, "credit": {"income_verified_at": "2025-10-08"}},
            ["INCOME_VERIFICATION_REQUIRED"], ["VERIFY_INCOME", "REDUCE_AMOUNT"], ["income-verification"], ["50000"], ["50000"], amount=60000)
borrow_pair("income-never", {"limit": {"total": 80000, "used": 10000, "available": 70000}, "credit": {"income_verified_at": None}},
            ["INCOME_VERIFICATION_REQUIRED"], ["VERIFY_INCOME", "REDUCE_AMOUNT"], ["income-verification"], ["50000"], ["50000"], amount=60000)
borrow_pair("pending-transfer", {"as_of": "2026-11-20T21:00:00+08:00", "limit": {"total": 20000, "used": 14000, "available": 6000},
                                 "repayments": [{"id": "rp-1", "amount": 8000, "paid_at": "2026-11-20T20:00:00+08:00", "channel": "bank_transfer", "status": "pending"}]},
            ["REPAYMENT_NOT_POSTED"], ["WAIT_UNTIL"], ["repayment-posting"], ["8000", "11月23日", "09:00"], ["8000", "23 Nov", "09:00"])
borrow_pair("pending-card", {"limit": {"total": 15000, "used": 9000, "available": 6000},
                             "repayments": [{"id": "rp-1", "amount": 3000, "paid_at": "2026-11-20T09:30:00+08:00", "channel": "bank_card", "status": "pending"}]},
            ["REPAYMENT_NOT_POSTED"], ["WAIT_UNTIL"], ["repayment-posting"], ["3000", "11:30"], ["3000", "11:30"])
borrow_pair("late-posting", {"limit": {"total": 15000, "used": 8500, "available": 6500},
                             "repayments": [{"id": "rp-1", "amount": 2500, "paid_at": "2026-11-19T15:00:00+08:00", "channel": "bank_card", "status": "pending"}]},
            ["REPAYMENT_NOT_POSTED"], ["CONTACT_SUPPORT"], ["repayment-posting"], ["2500"], ["2500"])
borrow_pair("failed", {"repayments": [{"id": "rp-1", "amount": 1856.42, "paid_at": "2026-11-18T08:00:00+08:00", "channel": "bank_card", "status": "failed"}]},
            ["REPAYMENT_FAILED"], ["RETRY_REPAYMENT"], ["repayment-failed"], ["1856.42"], ["1856.42"])

# limit_status and limit_increase reasons, alone
S_ZH = {"limit_not_restored": "我还款了，额度怎么没恢复？", "limit_reduced_or_closed": "我的额度怎么被降了？"}
S_EN = {"limit_not_restored": "I repaid but my limit hasn't come back. Why?", "limit_reduced_or_closed": "Why was my limit lowered?"}

def status_pair(key, patch, intent, codes, steps, cite=None, zh_mention=None, en_mention=None):
    for lang, msgs, mention in (("zh", S_ZH, zh_mention), ("en", S_EN, en_mention)):
        add(F, f"rc-{key}-{lang}", msgs[intent], ex(intent, codes, steps, cite, mention),
            account=snap(f"rc-{key}-{lang}", **patch), tags=["reason", lang] + list(codes))

status_pair("reduced", {"limit": {"total": 15000, "used": 3000, "available": 12000},
                        "limit_history": [{"at": "2024-09-01T10:00:00+08:00", "from": 20000, "to": 30000, "reason": "increase_approved"},
                                          {"at": "2026-10-08T10:00:00+08:00", "from": 30000, "to": 15000, "reason": "reassessment"}]},
            "limit_reduced_or_closed", ["LIMIT_REDUCED"], ["KEEP_GOOD_RECORD", "SUBMIT_APPEAL"], ["limit-reduction"],
            ["30000", "15000"], ["30000", "15000"])
status_pair("reduced-overdue", {"limit": {"total": 5000, "used": 3000, "available": 2000}, "overdue": {"count_12m": 1},
                                "limit_history": [{"at": "2026-11-02T10:00:00+08:00", "from": 12000, "to": 5000, "reason": "overdue"}]},
            "limit_reduced_or_closed", ["LIMIT_REDUCED", "RECENT_OVERDUE_HISTORY"], ["KEEP_GOOD_RECORD", "SUBMIT_APPEAL"], ["limit-reduction"],
            ["12000", "5000"], ["12000", "5000"])
status_pair("overdue-history", {"overdue": {"amount": 0, "days": 0, "count_12m": 2}},
            "limit_reduced_or_closed", ["RECENT_OVERDUE_HISTORY"], ["KEEP_GOOD_RECORD"], ["overdue-history"])
status_pair("status-pending", {"as_of": "2026-11-20T21:00:00+08:00", "limit": {"total": 20000, "used": 14000, "available": 6000},
                               "repayments": [{"id": "rp-1", "amount": 8000, "paid_at": "2026-11-20T20:00:00+08:00", "channel": "bank_transfer", "status": "pending"}]},
            "limit_not_restored", ["REPAYMENT_NOT_POSTED"], ["WAIT_UNTIL"], ["repayment-posting"], ["8000", "11月23日"], ["8000", "23 Nov"])
status_pair("status-failed", {"repayments": [{"id": "rp-1", "amount": 980, "paid_at": "2026-11-16T10:00:00+08:00", "channel": "bank_card", "status": "failed"}]},
            "limit_not_restored", ["REPAYMENT_FAILED"], ["RETRY_REPAYMENT"], ["repayment-failed"], ["980"], ["980"])
status_pair("status-compliance", {"compliance": {"review_pending": True, "expected_by": "2026-11-24T18:00:00+08:00"}},
            "limit_not_restored", ["COMPLIANCE_REVIEW"], ["WAIT_UNTIL"], ["compliance-review"])

I_ZH, I_EN = "为什么提额失败？", "Why did my limit increase request fail?"
def increase_pair(key, patch, codes, steps, cite=None, zh_mention=None, en_mention=None):
    for lang, msg, mention in (("zh", I_ZH, zh_mention), ("en", I_EN, en_mention)):
        add(F, f"rc-{key}-{lang}", msg, ex("limit_increase", codes, steps, cite, mention),
            account=snap(f"rc-{key}-{lang}", **patch), tags=["reason", lang] + list(codes))

increase_pair("cooldown", {"limit_increase": {"last_request_at": "2026-11-05T10:00:00+08:00", "last_result": "denied"}},
              ["INCREASE_COOLDOWN"], ["WAIT_UNTIL"], ["increase-cooldown"], ["12月5日"], ["5 Dec"])
increase_pair("new-account", {"opened_at": "2026-09-15", "limit_history": [], "limit_increase": {"last_request_at": None, "last_result": None}},
              ["INCREASE_NOT_ELIGIBLE"], ["KEEP_GOOD_RECORD"], ["increase-eligibility"])
increase_pair("recent-reduction", {"limit_history": [{"at": "2026-10-08T10:00:00+08:00", "from": 30000, "to": 20000, "reason": "reassessment"}]},
              ["INCREASE_NOT_ELIGIBLE"], ["KEEP_GOOD_RECORD"], ["increase-eligibility"])
increase_pair("inc-overdue-history", {"overdue": {"amount": 0, "days": 0, "count_12m": 1}},
              ["INCREASE_NOT_ELIGIBLE", "RECENT_OVERDUE_HISTORY"], ["KEEP_GOOD_RECORD"], ["increase-eligibility"])
