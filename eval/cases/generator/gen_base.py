"""Case-writing helpers: a healthy base snapshot, deep patches, and expectation builders.
Expectations are written by hand from CONTRACT.md; nothing here runs the product."""
import copy, json
from pathlib import Path

AS_OF = "2026-11-20T10:00:00+08:00"  # a Friday
BASE = {
    "account_id": "u-base", "as_of": AS_OF, "status": "active", "opened_at": "2023-03-15",
    "customer": {"age": 34, "id_document_expiry": "2034-06-30", "face_verification_required": False},
    "limit": {"total": 20000, "used": 5000, "available": 15000},
    "overdue": {"amount": 0, "days": 0, "count_12m": 0},
    "activity": {"loans_today": 0, "applications_24h": 1, "last_application_at": "2026-11-18T14:20:00+08:00"},
    "repayments": [],
    "bank_card": {"status": "valid", "last4": "6789"},
    "risk": {"hold": False}, "compliance": {"review_pending": False},
    "credit": {"debt_to_income": 0.32, "external_lenders": 2, "income_verified_at": "2026-03-02"},
    "limit_history": [],
    "limit_increase": {"last_request_at": "2025-06-08T11:30:00+08:00", "last_result": "approved"},
}

def merge(base, patch):
    out = copy.deepcopy(base)
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out

def snap(case_id, **patch):
    s = merge(BASE, patch)
    s["account_id"] = "u-" + case_id
    return s

CHECK_INTENTS = {"cannot_borrow", "how_much_can_i_borrow", "limit_not_restored", "limit_reduced_or_closed", "limit_increase", "appeal_or_human"}

def ex(intent, codes=None, steps=None, cite=None, mention=None, not_mention=None, handoff=None, refused=None):
    e = {"intent": intent}
    if codes is not None:
        e["reason_codes"] = list(codes)
    if steps is not None:
        e["next_steps"] = list(steps)
    if cite:
        e["cite_sections"] = list(cite)
    if mention:
        e["must_mention"] = [str(m) for m in mention]
    if not_mention:
        e["must_not_mention"] = list(not_mention)
    e["handoff"] = (intent == "appeal_or_human") if handoff is None else handoff
    e["refused"] = (intent == "unsafe_request") if refused is None else refused
    if intent in ("greeting", "out_of_scope", "unsafe_request", "policy_question"):
        e.setdefault("reason_codes", [])
        e.setdefault("next_steps", [])
    return e

CASES = {}

def add(fname, cid, turns, expect=None, account=None, account_id=None, platform=None, tags=(), note=None):
    assert cid not in {c["id"] for cs in CASES.values() for c in cs}, cid
    if isinstance(turns, str):
        turns = [{"user": turns}]
    case = {"id": cid}
    if account is not None:
        case["account"] = account
    else:
        case["account_id"] = account_id
    if platform is not None:
        case["platform"] = platform
    case["turns"] = turns
    if expect is not None:
        case["expect"] = expect
    if tags:
        case["tags"] = list(tags)
    if note:
        case["note"] = note
    CASES.setdefault(fname, []).append(case)

def write(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    for fname, cases in CASES.items():
        with (directory / fname).open("w", encoding="utf-8") as fh:
            for c in cases:
                fh.write(json.dumps(c, ensure_ascii=False) + "\n")
        total += len(cases)
        print(f"{fname}: {len(cases)}")
    print("total", total)
