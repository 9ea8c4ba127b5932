"""Both sides of every threshold of CONTRACT.md section 2 (borrow, status and increase checks)."""
from gen_base import *

F = "boundaries.jsonl"
B = "cannot_borrow"
MSGS = ["为什么借不出来？", "Why can't I borrow?"]

def bd(key, patch, codes, steps, msg=0, at=None, platform=None, mention=None, intent=B, user=None, note=None):
    user = user or (MSGS[msg] if isinstance(msg, int) else msg)
    turn = {"user": user}
    if at:
        turn["at"] = at
    add(F, f"bd-{key}", [turn], ex(intent, codes, steps, mention=mention), account=snap(f"bd-{key}", **patch),
        platform=platform, tags=["boundary"] + list(codes), note=note)

# age 18..60 inclusive
bd("age-17", {"customer": {"age": 17}}, ["AGE_INELIGIBLE"], ["CONTACT_SUPPORT"])
bd("age-18", {"customer": {"age": 18}}, [], [], 1)
bd("age-60", {"customer": {"age": 60}}, [], [])
bd("age-61", {"customer": {"age": 61}}, ["AGE_INELIGIBLE"], ["CONTACT_SUPPORT"], 1)
bd("age-unknown", {"customer": {"age": None}}, [], [], note="age not given: the rule does not apply")
# ID document: expiry <= today blocked; today < expiry <= today+30 info
bd("id-today", {"customer": {"id_document_expiry": "2026-11-20"}}, ["ID_DOCUMENT_EXPIRED"], ["UPDATE_ID_DOCUMENT"])
bd("id-tomorrow", {"customer": {"id_document_expiry": "2026-11-21"}}, ["ID_DOCUMENT_EXPIRING"], ["UPDATE_ID_DOCUMENT"], 1)
bd("id-plus-30", {"customer": {"id_document_expiry": "2026-12-20"}}, ["ID_DOCUMENT_EXPIRING"], ["UPDATE_ID_DOCUMENT"])
bd("id-plus-31", {"customer": {"id_document_expiry": "2026-12-21"}}, [], [], 1)
bd("id-at-next-day", {"customer": {"id_document_expiry": "2026-11-20"}}, ["ID_DOCUMENT_EXPIRED"], ["UPDATE_ID_DOCUMENT"],
   at="2026-11-21T10:00:00+08:00")
bd("id-expiring-at-later", {"customer": {"id_document_expiry": "2026-12-25"}}, ["ID_DOCUMENT_EXPIRING"], ["UPDATE_ID_DOCUMENT"],
   at="2026-11-26T10:00:00+08:00", note="today is the request day: 2026-11-26 + 30 = 2026-12-26 >= expiry")
# debt-to-income > 0.70; external lenders >= 6
bd("dti-070", {"credit": {"debt_to_income": 0.70}}, [], [])
bd("dti-0701", {"credit": {"debt_to_income": 0.701}}, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"], 1)
bd("dti-071", {"credit": {"debt_to_income": 0.71}}, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"])
bd("lenders-5", {"credit": {"external_lenders": 5}}, [], [], 1)
bd("lenders-6", {"credit": {"external_lenders": 6}}, ["HIGH_DEBT_BURDEN"], ["REDUCE_DEBT"])
# applications: >= 5 blocks until exactly 24 h after the last one
bd("apps-4", {"activity": {"applications_24h": 4, "last_application_at": "2026-11-20T09:40:00+08:00"}}, [], [])
bd("apps-5", {"activity": {"applications_24h": 5, "last_application_at": "2026-11-20T09:40:00+08:00"}},
   ["TOO_MANY_APPLICATIONS"], ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"], 1)
bd("apps-5-exactly-24h", {"activity": {"applications_24h": 5, "last_application_at": "2026-11-19T10:00:00+08:00"}}, [], [],
   note="the block ends exactly 24 h after the last application, which is now")
bd("apps-5-23h59", {"activity": {"applications_24h": 5, "last_application_at": "2026-11-19T10:01:00+08:00"}},
   ["TOO_MANY_APPLICATIONS"], ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"], 1)
bd("apps-no-time", {"activity": {"applications_24h": 7, "last_application_at": None}},
   ["TOO_MANY_APPLICATIONS"], ["STOP_REPEATED_APPLICATIONS", "WAIT_UNTIL"], note="without a time it blocks, end unknown")
bd("apps-at-next-day", {"activity": {"applications_24h": 6, "last_application_at": "2026-11-20T09:40:00+08:00"}}, [], [],
   1, at="2026-11-21T09:40:00+08:00")
# daily draws: loans_today >= 3 blocks; 0 on a later day
bd("draws-2", {"activity": {"loans_today": 2}}, [], [])
bd("draws-3", {"activity": {"loans_today": 3}}, ["DAILY_DRAW_LIMIT_REACHED"], ["WAIT_UNTIL"], 1)
bd("draws-3-tomorrow", {"activity": {"loans_today": 3}}, [], [], at="2026-11-21T09:00:00+08:00",
   note="loans_today counts as_of's day; the request falls on a later day")
bd("draws-3-same-evening", {"activity": {"loans_today": 4}}, ["DAILY_DRAW_LIMIT_REACHED"], ["WAIT_UNTIL"], 1,
   at="2026-11-20T22:00:00+08:00")
# maintenance: daily [23:50, 00:10) plus platform windows, half-open
bd("maint-2349", {"as_of": "2026-11-20T23:49:00+08:00"}, [], [])
bd("maint-2350", {"as_of": "2026-11-20T23:50:00+08:00"}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"], 1)
bd("maint-0009", {"as_of": "2026-11-21T00:09:00+08:00", "activity": {"loans_today": 0}}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"])
bd("maint-0010", {"as_of": "2026-11-21T00:10:00+08:00"}, [], [], 1)
bd("maint-at", {}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"], at="2026-11-20T23:58:00+08:00")
bd("maint-at-utc", {}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"], 1, at="2026-11-20T15:55:00+00:00",
   note="15:55 UTC is 23:55 in Shanghai")
WINDOW = {"maintenance": [{"start": "2026-11-20T09:00:00+08:00", "end": "2026-11-20T11:00:00+08:00"}], "funding_quota_remaining": None}
bd("window-inside", {}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"], platform=WINDOW)
bd("window-start", {}, ["SYSTEM_MAINTENANCE"], ["RETRY_LATER"], 1, at="2026-11-20T09:00:00+08:00", platform=WINDOW)
bd("window-end", {}, [], [], at="2026-11-20T11:00:00+08:00", platform=WINDOW)
# funding quota: < 500 blocking; < amount limiting
bd("quota-499", {}, ["FUNDING_QUOTA_EXHAUSTED"], ["RETRY_LATER"], 1, platform={"maintenance": [], "funding_quota_remaining": 499})
bd("quota-500-no-amount", {}, [], [], platform={"maintenance": [], "funding_quota_remaining": 500}, mention=["500"],
   user="我现在最多能借多少？", intent="how_much_can_i_borrow")
bd("quota-500-ask-5000", {}, ["FUNDING_QUOTA_EXHAUSTED"], ["RETRY_LATER", "REDUCE_AMOUNT"], "我要借5000，为什么不行？",
   platform={"maintenance": [], "funding_quota_remaining": 500})
bd("quota-equals-amount", {}, [], [], "我想借3000元，能借吗？为什么借不了？", platform={"maintenance": [], "funding_quota_remaining": 3000})
bd("quota-null", {}, [], [], 1, platform={"maintenance": [], "funding_quota_remaining": None})
# available limit: < 500 nothing can be drawn
bd("avail-499.99", {"limit": {"total": 20000, "used": 19500.01, "available": 499.99}}, ["NO_AVAILABLE_LIMIT"], ["REPAY_OUTSTANDING"])
bd("avail-500", {"limit": {"total": 20000, "used": 19500, "available": 500}}, [], [], 1)
bd("avail-0", {"limit": {"total": 20000, "used": 20000, "available": 0}}, ["NO_AVAILABLE_LIMIT"], ["REPAY_OUTSTANDING"])
bd("avail-200-ask-5000", {"limit": {"total": 20000, "used": 19800, "available": 200}}, ["NO_AVAILABLE_LIMIT"], ["REPAY_OUTSTANDING"],
   "我想借5000为什么不行", note="AMOUNT_EXCEEDS_AVAILABLE needs available >= 500")
# amounts
bd("amount-499", {}, ["AMOUNT_BELOW_MINIMUM"], ["RAISE_AMOUNT"], "为什么借499元借不了？")
bd("amount-500", {}, [], [], "为什么借500元借不了？")
bd("amount-equals-available", {"limit": {"total": 15000, "used": 12000, "available": 3000}}, [], [], "Why can't I borrow 3,000?")
bd("amount-above-available", {"limit": {"total": 15000, "used": 12000, "available": 3000}}, ["AMOUNT_EXCEEDS_AVAILABLE"], ["REDUCE_AMOUNT"],
   "Why can't I borrow 3,500?", mention=["3000"])
BIG = {"limit": {"total": 150000, "used": 0, "available": 150000}, "credit": {"income_verified_at": "2026-06-01"}}
bd("amount-100000", BIG, [], [], "为什么借10万借不了？")
bd("amount-100001", BIG, ["AMOUNT_ABOVE_SINGLE_MAXIMUM"], ["REDUCE_AMOUNT"], "我想借100001元为什么不行？")
UNV = {"limit": {"total": 80000, "used": 10000, "available": 70000}, "credit": {"income_verified_at": "2025-10-08"}}
bd("amount-50000-unverified", UNV, [], [], "为什么借50000借不出来？")
bd("amount-50001-unverified", UNV, ["INCOME_VERIFICATION_REQUIRED"], ["VERIFY_INCOME", "REDUCE_AMOUNT"], "我要借50001元，为什么不行？")
bd("income-365-days", {"limit": {"total": 80000, "used": 10000, "available": 70000}, "credit": {"income_verified_at": "2025-11-20"}},
   [], [], "为什么借6万借不了？", note="365 calendar days before today passes")
bd("income-366-days", {"limit": {"total": 80000, "used": 10000, "available": 70000}, "credit": {"income_verified_at": "2025-11-19"}},
   ["INCOME_VERIFICATION_REQUIRED"], ["VERIFY_INCOME", "REDUCE_AMOUNT"], "为什么借6万借不了？")
bd("big-unverified", {"limit": {"total": 150000, "used": 0, "available": 150000}, "credit": {"income_verified_at": None}},
   ["AMOUNT_ABOVE_SINGLE_MAXIMUM", "INCOME_VERIFICATION_REQUIRED"], ["REDUCE_AMOUNT", "VERIFY_INCOME"], "Why can't I borrow 120,000?")
# overdue > 0
bd("overdue-0.01", {"overdue": {"amount": 0.01, "days": 1, "count_12m": 1}}, ["OVERDUE_UNPAID"], ["REPAY_OVERDUE"], mention=["0.01"])
bd("overdue-0", {"overdue": {"amount": 0, "days": 0, "count_12m": 0}}, [], [], 1)
# repayment posting times
def pend(key, channel, paid_at, as_of, steps, mention, at=None, note=None):
    patch = {"as_of": as_of, "repayments": [{"id": "rp-1", "amount": 2000, "paid_at": paid_at, "channel": channel, "status": "pending"}]}
    bd(key, patch, ["REPAYMENT_NOT_POSTED"], steps, "还了钱额度怎么还没恢复？", at=at, mention=mention, intent="limit_not_restored", note=note)
pend("post-transfer-fri-2130", "bank_transfer", "2026-11-20T21:30:00+08:00", "2026-11-20T22:00:00+08:00", ["WAIT_UNTIL"], ["11月23日", "09:00"])
pend("post-transfer-mon-0800", "bank_transfer", "2026-11-23T08:00:00+08:00", "2026-11-23T10:00:00+08:00", ["WAIT_UNTIL"], ["11月24日", "09:00"])
pend("post-transfer-sat", "bank_transfer", "2026-11-21T11:00:00+08:00", "2026-11-21T12:00:00+08:00", ["WAIT_UNTIL"], ["11月23日", "09:00"])
pend("post-transfer-wed", "bank_transfer", "2026-11-18T15:00:00+08:00", "2026-11-18T16:00:00+08:00", ["WAIT_UNTIL"], ["11月19日", "09:00"])
pend("post-transfer-late", "bank_transfer", "2026-11-18T15:00:00+08:00", "2026-11-20T10:00:00+08:00", ["CONTACT_SUPPORT"], ["2000"],
     note="due 19 Nov 09:00, still pending")
pend("post-card-2h", "bank_card", "2026-11-20T09:30:00+08:00", "2026-11-20T10:00:00+08:00", ["WAIT_UNTIL"], ["11:30"])
pend("post-card-passed-by-at", "bank_card", "2026-11-20T09:30:00+08:00", "2026-11-20T10:00:00+08:00", ["CONTACT_SUPPORT"], ["2000"],
     at="2026-11-20T12:00:00+08:00", note="at 12:00 the 11:30 posting time has passed")
# failed repayment within 30 days
def failed(key, paid_at, codes, steps):
    patch = {"repayments": [{"id": "rp-1", "amount": 700, "paid_at": paid_at, "channel": "bank_card", "status": "failed"}]}
    bd(key, patch, codes, steps, "我还款了额度怎么没恢复", intent="limit_not_restored")
failed("failed-30-days", "2026-10-21T10:00:00+08:00", ["REPAYMENT_FAILED"], ["RETRY_REPAYMENT"])
failed("failed-31-days", "2026-10-20T10:00:00+08:00", [], [])
# limit increase: cool-down exactly 30 days; account age 90 days; reductions within 90 days
def inc(key, patch, codes, steps, note=None):
    bd(key, patch, codes, steps, "我现在可以申请提额吗？", intent="limit_increase", note=note)
inc("cooldown-exactly-30d", {"limit_increase": {"last_request_at": "2026-10-21T10:00:00+08:00", "last_result": "denied"}}, [], [])
inc("cooldown-29d", {"limit_increase": {"last_request_at": "2026-10-22T10:00:00+08:00", "last_result": "approved"}}, ["INCREASE_COOLDOWN"], ["WAIT_UNTIL"])
inc("cooldown-pending", {"limit_increase": {"last_request_at": "2026-11-19T10:00:00+08:00", "last_result": "pending"}}, ["INCREASE_COOLDOWN"], ["WAIT_UNTIL"])
inc("opened-90d", {"opened_at": "2026-08-22"}, [], [])
inc("opened-89d", {"opened_at": "2026-08-23"}, ["INCREASE_NOT_ELIGIBLE"], ["KEEP_GOOD_RECORD"])
inc("opened-unknown", {"opened_at": None}, [], [], note="the account-age rule is skipped when opened_at is unknown")
inc("reduction-old", {"limit_history": [{"at": "2026-07-01T10:00:00+08:00", "from": 30000, "to": 20000, "reason": "reassessment"}]}, [], [])
inc("reduction-recent", {"limit_history": [{"at": "2026-09-01T10:00:00+08:00", "from": 30000, "to": 20000, "reason": "policy"}]},
    ["INCREASE_NOT_ELIGIBLE"], ["KEEP_GOOD_RECORD"])
inc("increase-recent-ok", {"limit_history": [{"at": "2026-10-01T10:00:00+08:00", "from": 15000, "to": 20000, "reason": "increase_approved"}]}, [], [])
inc("overdue-count-1", {"overdue": {"count_12m": 1}}, ["INCREASE_NOT_ELIGIBLE", "RECENT_OVERDUE_HISTORY"], ["KEEP_GOOD_RECORD"])
inc("cooldown-and-new", {"opened_at": "2026-10-01", "limit_increase": {"last_request_at": "2026-11-10T10:00:00+08:00", "last_result": "denied"}},
    ["INCREASE_COOLDOWN", "INCREASE_NOT_ELIGIBLE"], ["WAIT_UNTIL", "KEEP_GOOD_RECORD"])
# limit_status: the latest entry decides LIMIT_REDUCED
def st(key, history, codes, steps, patch=None):
    bd(key, {"limit_history": history, **(patch or {})}, codes, steps, "额度怎么变少了？", intent="limit_reduced_or_closed")
st("latest-is-increase", [{"at": "2026-03-01T10:00:00+08:00", "from": 30000, "to": 15000, "reason": "reassessment"},
                          {"at": "2026-09-01T10:00:00+08:00", "from": 15000, "to": 20000, "reason": "increase_approved"}], [], [])
st("latest-is-reduction-unsorted", [{"at": "2026-10-08T10:00:00+08:00", "from": 30000, "to": 20000, "reason": "policy"},
                                    {"at": "2025-01-01T10:00:00+08:00", "from": 20000, "to": 30000, "reason": "increase_approved"}],
   ["LIMIT_REDUCED"], ["KEEP_GOOD_RECORD", "SUBMIT_APPEAL"])
st("closure-entry", [{"at": "2026-10-30T10:00:00+08:00", "from": 15000, "to": 0, "reason": "closed"}],
   ["ACCOUNT_CLOSED", "LIMIT_REDUCED"], ["SUBMIT_APPEAL", "CONTACT_SUPPORT", "KEEP_GOOD_RECORD"],
   {"status": "closed", "status_reason": "inactivity", "limit": {"total": 0, "used": 0, "available": 0}})
st("no-history", [], [], [])
