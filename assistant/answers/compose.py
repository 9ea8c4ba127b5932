"""Deterministic answers: reasons with the customer's figures, next steps with times, citations.

At most four principal reasons are stated (ranked, blocking first), and the answer says when
more exist. Automated judgements name the appeal / human-review route. Nothing here promises an
outcome: the texts come from the template files, which never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assistant.answers.format import display, money, when
from assistant.answers.reasons import reason_sentence
from assistant.answers.templates import templates, text
from assistant.models import Citation, CitedSection, WhatIf
from tools.catalogue import catalogue
from tools.policy import Policy
from tools.result import CheckResult, Reason
from tools.snapshot import Snapshot
from tools.whatif import WhatIfResult

MAX_PRINCIPAL_REASONS = 4
APPEAL_SECTION = "appeal-and-human-review"


@dataclass
class Composed:
    text: str
    sections: list[CitedSection] = field(default_factory=list)

    @property
    def citations(self) -> list[Citation]:
        return [Citation(doc_id=s.doc_id, section_id=s.section_id, title=s.title) for s in self.sections]


class SectionBook:
    """Section titles and texts by (section id, language), from the loaded corpus.

    Falls back to the catalogue's titles so a citation is never lost when a deployment's corpus
    lacks a section (the corpus-consistency test keeps the shipped corpus complete).
    """

    def __init__(self, sections: dict[tuple[str, str], CitedSection]) -> None:
        self._sections = sections

    def get(self, section_id: str, lang: str) -> CitedSection:
        found = self._sections.get((section_id, lang))
        if found is not None:
            return found
        spec = catalogue().sections.get(section_id)
        title = (spec.title.zh if lang == "zh" else spec.title.en) if spec else section_id
        doc_id = f"{spec.doc}.{lang}" if spec else section_id
        return CitedSection(doc_id=doc_id, section_id=section_id, title=title)


def _bullets(lines: list[str], numbered: bool = True) -> str:
    return "\n".join(f"{i}. {line}" if numbered else f"- {line}" for i, line in enumerate(lines, 1))


class Composer:
    def __init__(self, policy: Policy, book: SectionBook, product: dict[str, str]) -> None:
        self.policy = policy
        self.book = book
        self.product = product

    # -- checks ------------------------------------------------------------------------------

    def check_answer(self, result: CheckResult, snapshot: Snapshot, lang: str) -> Composed:
        """Why the action can or cannot happen now, what to do next, and the rules behind it."""
        principal = result.reasons[:MAX_PRINCIPAL_REASONS]
        parts = [self._intro(result, snapshot, lang)]
        if principal:
            parts.append(_bullets([self.sentence(r, lang) for r in principal]))
        elif result.action == "limit_status":
            limit = snapshot.limit
            parts.append(text(lang, "intro.status_ok", available=money(limit.available),
                              total=money(limit.total), used=money(limit.used)))
        if len(result.reasons) > len(principal):
            parts.append(text(lang, "intro.more", count=len(result.reasons) - len(principal)))
        parts.extend(self._steps_and_appeal(principal, lang))
        return self._with_sources(parts, self._sections_for(principal, lang), lang)

    def how_much(self, result: CheckResult, snapshot: Snapshot, lang: str,
                 funding_quota: Decimal | None = None) -> Composed:
        """`max_amount_now` and each cap behind it, or why it is 0."""
        if result.max_amount_now is None or result.max_amount_now <= 0:
            blocking = [r for r in result.reasons if r.severity == "blocking"][:MAX_PRINCIPAL_REASONS]
            parts = [text(lang, "how_much.blocked"), _bullets([self.sentence(r, lang) for r in blocking])]
            parts.extend(self._steps_and_appeal(blocking, lang))
            return self._with_sources(parts, self._sections_for(blocking, lang), lang)
        caps = self._caps(result, snapshot, lang, funding_quota)
        parts = [text(lang, "how_much.amount", max_amount_now=money(result.max_amount_now)),
                 text(lang, "how_much.caps_intro"), _bullets(caps, numbered=False)]
        info = [r for r in result.reasons if r.severity != "blocking"][:MAX_PRINCIPAL_REASONS]
        if info:
            parts.append(_bullets([self.sentence(r, lang) for r in info]))
        parts.append(text(lang, "how_much.minimum", min_amount=money(self.policy.draw.min_amount)))
        sections = [self.book.get(ref, lang) for ref in ("available-limit", "draw-maximum")]
        if any("income" in c or "收入" in c for c in caps):
            sections.append(self.book.get("income-verification", lang))
        return self._with_sources(parts, _dedupe(sections + self._sections_for(info, lang)), lang)

    def _caps(self, result: CheckResult, snapshot: Snapshot, lang: str, quota: Decimal | None) -> list[str]:
        income = self.policy.income_verification
        caps = [text(lang, "how_much.cap_available", available=money(snapshot.limit.available)),
                text(lang, "how_much.cap_single_max", max_amount=money(self.policy.draw.max_amount))]
        verified = snapshot.credit.income_verified_at
        today = result.checked_at.date()
        if verified is None or (today - verified).days > income.max_age_days:
            caps.append(text(lang, "how_much.cap_income", threshold=money(income.amount_above),
                             max_age_days=income.max_age_days))
        if quota is not None:
            caps.append(text(lang, "how_much.cap_quota", funding_quota_remaining=money(quota)))
        return caps

    # -- what-if -----------------------------------------------------------------------------

    def what_if(self, result: WhatIfResult, lang: str, assumption_text: str) -> tuple[str, WhatIf]:
        """Which reasons the assumed action removes, which remain, and what could be drawn."""
        after = result.after
        parts = [text(lang, "what_if.intro", assumption=assumption_text)]
        if result.resolved_codes:
            parts.append(text(lang, "what_if.resolved", codes=self._titles(result.resolved_codes, lang)))
        blocking_after = [r for r in after.reasons if r.severity == "blocking"]
        if blocking_after:
            parts.append(text(lang, "what_if.still_blocked"))
            parts.append(_bullets([self.sentence(r, lang) for r in blocking_after[:MAX_PRINCIPAL_REASONS]]))
        elif after.action == "borrow" and after.max_amount_now is not None:
            parts.append(text(lang, "what_if.allowed", max_amount_now=money(after.max_amount_now)))
        else:
            parts.append(text(lang, "what_if.allowed_no_amount"))
        others = [r.code for r in after.reasons if r.severity != "blocking"]
        if others:
            parts.append(text(lang, "what_if.remaining", codes=self._titles(others, lang)))
        if result.assumption.repay_amount is not None or result.assumption.repay_all_overdue:
            parts.append(text(lang, "what_if.repay_note"))
        summary = WhatIf(assumption=assumption_text, reason_codes=after.reason_codes,
                         allowed=after.allowed, max_amount_now=after.max_amount_now)
        return "\n".join(parts), summary

    def assumption_text(self, *, repay: Decimal | None, repay_all: bool, at_text: str | None, lang: str) -> str:
        pieces = []
        if repay is not None:
            pieces.append(text(lang, "what_if.repay_all" if repay_all else "what_if.repay", repay_amount=money(repay)))
        if at_text:
            pieces.append(text(lang, "what_if.at", at=at_text))
        return ("，" if lang == "zh" else ", and ").join(pieces)

    # -- policy questions, hand-offs, fixed replies ------------------------------------------

    def policy_answer(self, sections: list[CitedSection], lang: str) -> Composed:
        if not sections:
            return Composed(text(lang, "policy.none"))
        best = sections[0]
        parts = [text(lang, "policy.intro", title=best.title), best.text.strip()]
        if len(sections) > 1:
            parts.append(text(lang, "policy.also", titles=self._join_titles(sections[1:], lang)))
        return Composed("\n".join(parts), sections)

    def handoff(self, result: CheckResult, handoff_id: str, lang: str) -> Composed:
        principal = result.reasons[:MAX_PRINCIPAL_REASONS]
        summary = self._titles([r.code for r in principal], lang) if principal else text(lang, "handoff.no_reasons")
        body = text(lang, "handoff.text", handoff_id=handoff_id, summary=summary)
        sections = _dedupe([self.book.get(APPEAL_SECTION, lang)] + self._sections_for(principal, lang))
        return Composed(body, sections)

    def fixed(self, key: str, lang: str) -> Composed:
        return Composed(text(lang, key, product=self.product[lang]))

    # -- pieces ------------------------------------------------------------------------------

    def sentence(self, reason: Reason, lang: str) -> str:
        return reason_sentence(reason, lang, self.policy, self.product[lang])

    def _intro(self, result: CheckResult, snapshot: Snapshot, lang: str) -> str:
        actions = templates(lang)["intro"]["action"]
        if result.action == "borrow" and result.amount is not None:
            action_text = text(lang, "intro.action.borrow_amount", amount=money(result.amount))
        else:
            action_text = actions[result.action]
        severities = {r.severity for r in result.reasons}
        if result.action == "limit_status":
            key = "status"  # a status question explains the limit; it does not ask to draw
        else:
            key = ("blocked" if "blocking" in severities else "limited" if "limiting" in severities
                   else "allowed_with_info" if result.reasons else "allowed")
        return text(lang, f"intro.{key}", as_of=when(snapshot.as_of, lang), action_text=action_text,
                    action_lower=action_text[:1].lower() + action_text[1:],
                    outcome=templates(lang)["intro"]["outcome"][result.action]).strip()

    def _steps_and_appeal(self, reasons: list[Reason], lang: str) -> list[str]:
        steps: dict[str, str] = {}
        for reason in reasons:
            for step in reason.next_steps:
                if step.code not in steps:
                    label = step.text.zh if lang == "zh" else step.text.en
                    eta = text(lang, "intro.step_eta", eta=when(step.eta, lang)) if step.eta else ""
                    steps[step.code] = label + eta
        parts = [text(lang, "intro.steps"), _bullets(list(steps.values()), numbered=False)] if steps else []
        if any(catalogue().reason(r.code).automated for r in reasons):
            parts.append(text(lang, "intro.appeal"))
        return parts

    def _sections_for(self, reasons: list[Reason], lang: str) -> list[CitedSection]:
        refs = [ref for r in reasons for ref in r.policy_refs]
        return _dedupe([self.book.get(ref, lang) for ref in refs])

    def _with_sources(self, parts: list[str], sections: list[CitedSection], lang: str) -> Composed:
        if sections:
            parts.append(text(lang, "intro.sources") + self._join_titles(sections, lang))
        return Composed("\n".join(p for p in parts if p), sections)

    def _titles(self, codes: list[str], lang: str) -> str:
        sep = "；" if lang == "zh" else "; "
        return sep.join(getattr(catalogue().reason(c).title, lang) for c in codes)

    @staticmethod
    def _join_titles(sections: list[CitedSection], lang: str) -> str:
        if lang == "zh":
            return "、".join(f"《{s.title}》" for s in sections)
        return "; ".join(f'"{s.title}"' for s in sections)


def _dedupe(sections: list[CitedSection]) -> list[CitedSection]:
    seen: dict[str, CitedSection] = {}
    for section in sections:
        seen.setdefault(section.section_id, section)
    return list(seen.values())


__all__ = ["Composed", "Composer", "SectionBook", "display"]
