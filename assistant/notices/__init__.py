"""The written notice of a decision (issue 17): what was asked, the outcome, at most four
principal reasons in the customer's own figures, the data used, the plan, and how to ask for
a human review and appeal (US Regulation B adverse-action notices; PIPL art. 24).

Everything comes from the turn's decision record (`assistant.decisions`): the reasons and the
plan are the answer's own sentences (`record.wording`, which holds them in both languages),
never a generic list. Fixed texts live in templates/zh.yaml and en.yaml, the layouts in
templates/notice.html (self-contained, with a print stylesheet) and notice.txt.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import yaml

from assistant.answers.format import money, when
from assistant.errors import UserInputError
from assistant.store.masking import mask_pii
from assistant.store.records import StoredDecision

if TYPE_CHECKING:
    from assistant.answers.compose import SectionBook

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("txt", "html")
LANGS = ("zh", "en")
MAX_REASONS = 4  # the contract: an answer states at most four principal reasons
APPEAL_SECTION = "appeal-and-human-review"
CASE_CLASS = ' class="case"'


@lru_cache(maxsize=2)
def texts(lang: str) -> dict[str, Any]:
    return yaml.safe_load((TEMPLATES / f"{lang}.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Notice:
    """A notice's content in one language, before layout."""

    lang: str
    title: str
    labels: dict[str, str]
    meta: list[tuple[str, str]]
    requested: str
    quote: str | None
    outcome: str
    reasons: list[str]
    reasons_note: str | None  # "N more minor reasons", or "nothing stopped this"
    sources: list[str]
    plan: list[str]
    review: list[str]
    footer: str


def notice(record: StoredDecision, book: SectionBook | None = None, *, lang: str | None = None,
           fmt: str = "txt") -> str:
    """The notice of `record` as text or self-contained HTML."""
    if fmt not in FORMATS:
        raise UserInputError(f"--format: must be one of {', '.join(FORMATS)}, not {fmt[:20]!r}")
    content = build_notice(record, book, lang)
    return render_html(content) if fmt == "html" else render_text(content)


def build_notice(record: StoredDecision, book: SectionBook | None, lang: str | None = None) -> Notice:
    lang = lang or str(record.answer.get("lang") or "zh")
    if lang not in LANGS:
        raise UserInputError(f"--lang: must be zh or en, not {lang[:20]!r}")
    if not record.checks:
        raise UserInputError(f"turn {record.turn_seq} made no decision about the account (intent "
                             f"{record.answer.get('intent')}): there is nothing to give notice of")
    t, check, answer = texts(lang), record.checks[0], record.answer
    product = record.product.get(lang, "")
    wording = record.wording.get(lang, {})
    reasons = [r["sentence"] for r in wording.get("reasons", [])][:MAX_REASONS]
    more = int(answer.get("more_reasons") or 0)
    note = t["more_reasons"].format(count=more) if more else (None if reasons else t["no_reasons"])
    case = answer.get("handoff_id")
    meta = [(t["labels"]["date"], when(datetime.fromisoformat(record.request_time), lang)),
            (t["labels"]["reference"], f"{record.conversation_id} · {record.turn_seq}")]
    if case:
        meta.append((t["labels"]["case"], str(case)))
    quote = t["quote"].format(message=mask_pii(record.message)) if record.kind == "ask" else None
    return Notice(
        lang=lang, title=t["title"].format(product=product), labels=t["labels"], meta=meta,
        requested=_requested(t, str(answer.get("intent")), check), quote=quote,
        outcome=_outcome(t, check, record), reasons=reasons, reasons_note=note,
        sources=_sources(t, record, book, lang, [r["code"] for r in wording.get("reasons", [])]),
        plan=list(wording.get("plan", [])), review=_review(t, case, book, lang),
        footer=t["footer"].format(sha=record.record_sha256),
    )


def _requested(t: dict[str, Any], intent: str, check: dict[str, Any]) -> str:
    if intent == "cannot_borrow":
        amount = check.get("amount")
        return (t["requested"]["cannot_borrow"].format(amount=money(Decimal(str(amount))))
                if amount is not None else t["requested"]["cannot_borrow_any"])
    return str(t["requested"].get(intent, t["requested"]["appeal_or_human"]))


def _outcome(t: dict[str, Any], check: dict[str, Any], record: StoredDecision) -> str:
    action, allowed = check.get("action"), bool(check.get("allowed"))
    words = t["outcome"]
    if action == "borrow":
        max_now, amount = check.get("max_amount_now"), check.get("amount")
        if not allowed:
            return str(words["borrow_refused"])
        values = {"max_amount": money(Decimal(str(max_now or 0))),
                  "amount": money(Decimal(str(amount))) if amount is not None else ""}
        limited = amount is not None and max_now is not None and Decimal(str(max_now)) < Decimal(str(amount))
        return str(words["borrow_limited" if limited else "borrow_allowed"]).format(**values)
    if action == "limit_increase":
        return str(words["limit_increase_eligible" if allowed else "limit_increase_refused"])
    if not allowed:
        return str(words["limit_status_blocked"])
    from assistant.decisions import snapshot_of

    return str(words["limit_status_clear"]).format(available=money(snapshot_of(record).limit.available))


def _sources(t: dict[str, Any], record: StoredDecision, book: SectionBook | None, lang: str,
             codes: list[str]) -> list[str]:
    """The account data the principal reasons were read from, the platform state, the policy
    version and the rule texts cited: what a customer may want to check or correct."""
    words, check = t["sources"], record.checks[0]
    read: list[str] = []
    for entry in check.get("trace", []):
        if entry.get("outcome") in codes:
            for key in entry.get("inputs", {}):
                # A threshold or a clock ("min_amount", "today") is no data of the customer's.
                label = words["fields"].get(key) or words["fields"].get(key.split(".")[0])
                if label and label not in read:
                    read.append(label)
    from assistant.decisions import snapshot_of

    as_of = when(snapshot_of(record).as_of, lang)
    lines = [words["account"].format(as_of=as_of, fields=words["separator"].join(read))
             if read else words["account_plain"].format(as_of=as_of)]
    if record.platform:
        lines.append(words["platform"])
    lines.append(words["policy"].format(product=record.product.get(lang, ""), version=record.policy_version))
    for cited in record.answer.get("citations", []):
        title = book.get(cited["section_id"], lang).title if book is not None else cited.get("title", "")
        lines.append(words["section"].format(title=title))
    return lines


def _review(t: dict[str, Any], case: Any, book: SectionBook | None, lang: str) -> list[str]:
    words = t["review"]
    route = words["with_case"].format(case=case) if case else words["without_case"]
    section = book.get(APPEAL_SECTION, lang).title if book is not None else APPEAL_SECTION
    return [route, words["rights"], words["appeal"].format(section=section)]


# -- layouts ---------------------------------------------------------------------------------


def render_text(n: Notice) -> str:
    reasons = [f"{i}. {sentence}" for i, sentence in enumerate(n.reasons, 1)]
    plan = f"\n{n.labels['plan']}\n" + "\n".join(n.plan) + "\n" if n.plan else ""
    values = {
        "title": n.title, "rule": "=" * 40,
        "meta": "\n".join(f"{label}: {value}" for label, value in n.meta),
        "requested": n.requested, "quote": f"{n.quote}\n" if n.quote else "",
        "outcome": n.outcome, "reasons": "\n".join(reasons + ([n.reasons_note] if n.reasons_note else [])),
        "sources": "\n".join(f"- {line}" for line in n.sources), "plan": plan,
        "review": "\n".join(n.review), "footer": n.footer,
        **{f"label_{key}": value for key, value in n.labels.items()},
    }
    return Template(_layout("notice.txt")).substitute(values)


def render_html(n: Notice) -> str:
    e = html.escape
    reasons = "".join(f"<li>{e(s)}</li>" for s in n.reasons)
    values = {
        "lang": "zh-CN" if n.lang == "zh" else "en", "title": e(n.title),
        "meta": "\n".join(f"<dt>{e(label)}</dt><dd{CASE_CLASS if label == n.labels['case'] else ''}>{e(value)}</dd>"
                          for label, value in n.meta),
        "requested": e(n.requested), "quote": f'<p class="quote">{e(n.quote)}</p>' if n.quote else "",
        "outcome": e(n.outcome),
        "reasons": (f"<ol>{reasons}</ol>" if reasons else "")
        + (f"<p>{e(n.reasons_note)}</p>" if n.reasons_note else ""),
        "sources": "\n".join(f"<li>{e(line)}</li>" for line in n.sources),
        "plan": (f"<h2>{e(n.labels['plan'])}</h2>" + "".join(f"<p>{e(s)}</p>" for s in n.plan)) if n.plan else "",
        "review": "\n".join(f"<p>{e(p)}</p>" for p in n.review), "footer": e(n.footer),
        **{f"label_{key}": e(value) for key, value in n.labels.items()},
    }
    return Template(_layout("notice.html")).substitute(values)


@lru_cache(maxsize=2)
def _layout(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")
