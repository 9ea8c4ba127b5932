"""Helpers of the knowledge tests: a tiny two-language corpus and a document writer."""

from __future__ import annotations

from pathlib import Path

FRONT = """---
doc_id: {doc}.{lang}
title: {title}
lang: {lang}
policy_version: "2026.11"
updated: 2026-11-01
---
# {title}

"""

DOCS = {
    ("borrowing-rules", "zh"): (
        "借款规则",
        [
            ("draw-minimum", "单笔最低借款金额", "每笔借款不能低于 {{draw.min_amount}} 元，低于这个金额的申请不会受理。"),
            ("maintenance-window", "系统维护时段", "每天 {{maintenance.daily_start}} 至 {{maintenance.daily_end}} 系统维护，期间不能借款。"),
        ],
    ),
    ("repayment-and-limit", "zh"): (
        "还款与额度恢复",
        [
            ("repayment-posting", "还款入账时间", "还款后额度多久恢复：银行卡还款在 {{repayment_posting.bank_card_hours}} 小时内入账，入账后额度恢复。"),
            ("repayment-failed", "还款失败", "还款失败说明钱没有扣成功，额度不会恢复，请检查银行卡后重新还款。"),
        ],
    ),
    ("borrowing-rules", "en"): (
        "Borrowing rules",
        [
            ("draw-minimum", "Minimum amount per draw", "A draw must be at least {{draw.min_amount}} yuan; smaller requests are refused."),
            ("maintenance-window", "System maintenance window", "Every night from {{maintenance.daily_start}} to {{maintenance.daily_end}} the system is under maintenance and nobody can borrow."),
        ],
    ),
    ("repayment-and-limit", "en"): (
        "Repayments and limit restoration",
        [
            ("repayment-posting", "When a repayment posts", "A bank card repayment posts within {{repayment_posting.bank_card_hours}} hours; then the limit comes back."),
            ("repayment-failed", "Failed repayments", "A failed repayment means the money did not arrive, so the limit does not come back."),
        ],
    ),
}


def write_doc(corpus: Path, doc: str, lang: str, title: str, sections: list[tuple[str, str, str]]) -> Path:
    path = corpus / lang / f"{doc}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = FRONT.format(doc=doc, lang=lang, title=title)
    body += "\n".join(f"## {heading} {{#{sid}}}\n{text}\n" for sid, heading, text in sections)
    path.write_text(body, encoding="utf-8")
    return path

