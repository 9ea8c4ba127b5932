"""Deterministic answers: reasons with the customer's figures, next steps with times, citations.

At most four principal reasons are stated (ranked, blocking first), and the answer says when
more exist. Automated judgements name the appeal / human-review route. Nothing here promises an
outcome: the texts come from the template files, which never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assistant.answers.format import day, display, money, when
from assistant.answers.reasons import reason_sentence
from assistant.answers.templates import fill, templates, text
from assistant.models import CapLine, CitedSection, ClarifyOption, ReasonLine, StepLine, WhatIf
from assistant.reported_repayment import RepaymentMatch
from tools.catalogue import catalogue
from tools.policy import Policy
from tools.result import Cap, CheckResult, Reason
from tools.snapshot import Snapshot
from tools.whatif import WhatIfResult

MAX_PRINCIPAL_REASONS = 4
APPEAL_SECTION = "appeal-and-human-review"


@dataclass
class Composed:
    """An answer's text and the typed parts it was written from (each computed once, here)."""

    text: str
    sections: list[CitedSection] = field(default_factory=list)
    reasons: list[ReasonLine] = field(default_factory=list)
    steps: list[StepLine] = field(default_factory=list)
    caps: list[CapLine] = field(default_factory=list)
    more_reasons: int = 0


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

    def check_answer(self, result: CheckResult, snapshot: Snapshot, lang: str,
                     reported: RepaymentMatch | None = None) -> Composed:
        """Why the action can or cannot happen now, what to do next, and the rules behind it.

        `reported`: a repayment the customer says they made, as matched against the records;
        what we found is said first, before the reasons.
        """
        principal = result.reasons[:MAX_PRINCIPAL_REASONS]
        lines = [self.reason_line(r, lang) for r in principal]
        steps = self.step_lines(principal, lang)
        # The repayment the customer reports is what they asked about: answered first, so that the
        # intro's "主要原因如下：" runs straight into its list.
        parts = [] if reported is None else [self.reported_repayment(reported, lang)]
        parts.append(self._intro(result, snapshot, lang))
        if lines:
            parts.append(_bullets([line.sentence for line in lines]))
        elif result.action == "limit_status":
            limit = snapshot.limit
            parts.append(text(lang, "intro.status_ok", available=money(limit.available),
                              total=money(limit.total), used=money(limit.used)))
        more = len(result.reasons) - len(principal)
        if more:
            parts.append(text(lang, "intro.more", count=more))
        ruled = principal or self._rules_of_the_question(result)
        parts.extend(self.rule_lines(ruled, lang))
        if result.action == "borrow" and result.allowed:
            parts.append(self._allowed_detail(result, snapshot, lang))
        parts.extend(self._steps_and_appeal(principal, steps, lang))
        composed = self._with_sources(parts, self._sections_for(ruled, lang), lang)
        return _with_parts(composed, lines, steps, self.cap_lines(result, lang), more)

    def how_much(self, result: CheckResult, lang: str) -> Composed:
        """`max_amount_now` and each cap behind it, or why it is 0."""
        caps = self.cap_lines(result, lang)
        if result.max_amount_now is None or result.max_amount_now <= 0:
            blocking = [r for r in result.reasons if r.severity == "blocking"][:MAX_PRINCIPAL_REASONS]
            lines = [self.reason_line(r, lang) for r in blocking]
            steps = self.step_lines(blocking, lang)
            parts = [text(lang, "how_much.blocked"), _bullets([line.sentence for line in lines])]
            parts.extend(self._steps_and_appeal(blocking, steps, lang))
            composed = self._with_sources(parts, self._sections_for(blocking, lang), lang)
            return _with_parts(composed, lines, steps, caps, len(result.reasons) - len(blocking))
        parts = [text(lang, "how_much.amount", max_amount_now=money(result.max_amount_now)),
                 text(lang, "how_much.caps_intro"), _bullets([c.label for c in caps], numbered=False)]
        info = [r for r in result.reasons if r.severity != "blocking"][:MAX_PRINCIPAL_REASONS]
        lines = [self.reason_line(r, lang) for r in info]
        if lines:
            parts.append(_bullets([line.sentence for line in lines]))
        parts.append(text(lang, "how_much.minimum", min_amount=money(self.policy.draw.min_amount)))
        sections = [self.book.get(ref, lang) for ref in ("available-limit", "draw-maximum")]
        if any(c.kind == "income_verification" for c in caps):
            sections.append(self.book.get("income-verification", lang))
        composed = self._with_sources(parts, _dedupe(sections + self._sections_for(info, lang)), lang)
        return _with_parts(composed, lines, self.step_lines(info, lang), caps, len(result.reasons) - len(info))

    def rule_lines(self, reasons: list[Reason], lang: str) -> list[str]:
        """The rule behind each reason that has one worth stating beside the customer's figures
        ("余额立即入账；银行卡2小时内…"), filled from the policy."""
        rules = templates(lang)["rules"]
        return [fill(rules[r.code], self._policy_values()) for r in reasons if r.code in rules]

    @staticmethod
    def _rules_of_the_question(result: CheckResult) -> list[Reason]:
        """With nothing to report, the answer still states the rules that decide the question
        (an increase: cool-down and eligibility; the limit: when repayments post)."""
        codes = {"limit_increase": ("INCREASE_COOLDOWN", "INCREASE_NOT_ELIGIBLE"),
                 "limit_status": ("REPAYMENT_NOT_POSTED",)}.get(result.action, ())
        return [Reason(code, "info", {}, list(catalogue().reason(code).policy_refs), []) for code in codes]

    def _policy_values(self) -> dict[str, object]:
        p = self.policy
        return {"bank_card_hours": p.repayment_posting.bank_card_hours,
                "bank_transfer_time": f"{p.repayment_posting.bank_transfer_time:%H:%M}",
                "cooldown_days": p.limit_increase.cooldown_days,
                "min_account_age_days": p.limit_increase.min_account_age_days,
                "reduction_lookback_days": p.limit_increase.reduction_lookback_days,
                "max_applications": p.applications.max_in_window, "window_hours": p.applications.window_hours,
                "max_draws_per_day": p.draw.max_draws_per_day,
                "daily_start": f"{p.maintenance.daily_start:%H:%M}", "daily_end": f"{p.maintenance.daily_end:%H:%M}",
                "income_amount_above": money(p.income_verification.amount_above),
                "max_age_days": p.income_verification.max_age_days}

    def _allowed_detail(self, result: CheckResult, snapshot: Snapshot, lang: str) -> str:
        """Nothing blocks: the figures, what the rules cannot see, and what to do if it fails.
        When a reason limits the amount asked for ("借3万" with 15,000 available), nothing blocks
        only up to `max_amount_now`, and the sentence says so rather than contradict the reason."""
        values = {"available": money(snapshot.limit.available), "max_amount_now": money(result.max_amount_now or 0),
                  "min_amount": money(self.policy.draw.min_amount)}
        parts = ("figures", "nothing_blocks_within" if result.limited else "nothing_blocks", "unseen")
        return "".join(text(lang, f"allowed_detail.{part}", **values) for part in parts)

    def reported_repayment(self, match: RepaymentMatch, lang: str) -> str:
        """What the records say of a repayment the customer reports: found, found with other
        details (which are named), or not found."""
        words = templates(lang)["reported"]
        claimed = self._claimed(match, lang)
        if match.record is None:
            return fill(words["missing"], {"claimed": claimed})
        record = match.record
        status = fill(words["status"][record.status],
                      {"posted_at": when(record.posted_at, lang) if record.posted_at else ""})
        values = {"paid_at": when(record.paid_at, lang), "channel": words["channel"][record.channel],
                  "amount": money(record.amount), "status": status, "claimed": claimed}
        return fill(words["found" if match.exact else "differs"], values)

    @staticmethod
    def _claimed(match: RepaymentMatch, lang: str) -> str:
        words = templates(lang)["reported"]
        reported = match.reported
        pieces = [day(reported.day, lang) if reported.day else "",
                  words["channel"][reported.channel] if reported.channel else "",
                  fill(words["amount"], {"amount": money(reported.amount)}) if reported.amount is not None else ""]
        return words["joiner"].join(p for p in pieces if p) or words["claimed_unknown"]

    def status_line(self, reasons: list[Reason], lang: str) -> str:
        """Under a rule answer: the customer's own reasons that rest on the cited rule."""
        sentences = [self.sentence(r, lang) for r in reasons[:MAX_PRINCIPAL_REASONS]]
        return text(lang, "status_line") + ("" if lang == "zh" else " ") + " ".join(sentences)

    def clarify_option(self, intent: str, lang: str) -> ClarifyOption:
        return ClarifyOption(label=text(lang, f"clarify.label.{intent}"), message=text(lang, f"clarify.message.{intent}"))

    def clarify_question(self, options: list[ClarifyOption], lang: str) -> str:
        sep = "；" if lang == "zh" else "; "
        return text(lang, "clarify.question") + sep.join(o.label for o in options)

    def cap_lines(self, result: CheckResult, lang: str) -> list[CapLine]:
        """The engine's caps (`CheckResult.caps`), each worded."""
        return [CapLine(kind=cap.kind, amount=cap.amount, label=self._cap_label(cap, lang)) for cap in result.caps]

    def _cap_label(self, cap: Cap, lang: str) -> str:
        amount = money(cap.amount)
        if cap.kind == "available":
            return text(lang, "how_much.cap_available", available=amount)
        if cap.kind == "single_maximum":
            return text(lang, "how_much.cap_single_max", max_amount=amount)
        if cap.kind == "income_verification":
            return text(lang, "how_much.cap_income", threshold=amount,
                        max_age_days=self.policy.income_verification.max_age_days)
        return text(lang, "how_much.cap_quota", funding_quota_remaining=amount)

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
        for posting in result.posted_on_schedule:
            parts.append(text(lang, "what_if.posted_on_schedule", amount=money(posting.amount),
                              channel=_channel_name(posting.channel, lang), posts_at=when(posting.posts_at, lang)))
        if result.posts_at is not None:
            parts.append(text(lang, "what_if.posts_note", channel=_channel_name(result.assumption.repay_channel, lang),
                              posts_at=when(result.posts_at, lang)))
        elif result.assumption.repay_amount is not None or result.assumption.repay_all_overdue:
            parts.append(text(lang, "what_if.repay_note"))
        summary = WhatIf(assumption=assumption_text, reason_codes=after.reason_codes,
                         allowed=after.allowed, max_amount_now=after.max_amount_now)
        return "\n".join(parts), summary

    def assumption_text(self, *, repay: Decimal | None, repay_all: bool, at_text: str | None, lang: str,
                        channel: str | None = None) -> str:
        """What the customer supposes, in words; `channel`: how the repayment is made, if they said."""
        pieces = []
        if repay is not None and channel is not None:
            key = "what_if.repay_all_by" if repay_all else "what_if.repay_by"
            pieces.append(text(lang, key, repay_amount=money(repay), channel=_channel_name(channel, lang)))
        elif repay is not None:
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

    def handoff(self, status: CheckResult, topic: CheckResult | None, handoff_id: str, lang: str) -> Composed:
        """The case number and what the agent is told: the reasons of the thread's own check
        (what stopped the customer's draw) first, then the account's, each named once."""
        reasons = (topic.reasons if topic is not None else []) + status.reasons
        codes = list(dict.fromkeys(r.code for r in reasons))[:MAX_PRINCIPAL_REASONS]
        principal = [next(r for r in reasons if r.code == code) for code in codes]
        summary = self._titles(codes, lang) if codes else text(lang, "handoff.no_reasons")
        body = text(lang, "handoff.text", handoff_id=handoff_id, summary=summary)
        sections = _dedupe([self.book.get(APPEAL_SECTION, lang)] + self._sections_for(principal, lang))
        return Composed(body, sections)

    def fixed(self, key: str, lang: str) -> Composed:
        return Composed(text(lang, key, product=self.product[lang]))

    # -- pieces ------------------------------------------------------------------------------

    def sentence(self, reason: Reason, lang: str) -> str:
        return reason_sentence(reason, lang, self.policy, self.product[lang])

    def reason_line(self, reason: Reason, lang: str) -> ReasonLine:
        return ReasonLine(code=reason.code, severity=reason.severity, title=self._titles([reason.code], lang),
                          sentence=self.sentence(reason, lang), facts=reason.facts,
                          policy_refs=reason.policy_refs)

    def step_lines(self, reasons: list[Reason], lang: str) -> list[StepLine]:
        """The reasons' steps, deduplicated in first-seen order (section 3), worded."""
        steps: dict[str, StepLine] = {}
        for reason in reasons:
            for step in reason.next_steps:
                if step.code not in steps:
                    steps[step.code] = StepLine(
                        code=step.code, label=step.text.zh if lang == "zh" else step.text.en, eta=step.eta,
                        eta_text=when(step.eta, lang) if step.eta else None, self_service=step.self_service)
        return list(steps.values())

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

    def _steps_and_appeal(self, reasons: list[Reason], steps: list[StepLine], lang: str) -> list[str]:
        labels = [s.label + (text(lang, "intro.step_eta", eta=s.eta_text) if s.eta_text else "") for s in steps]
        parts = [text(lang, "intro.steps"), _bullets(labels, numbered=False)] if steps else []
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


def _with_parts(composed: Composed, reasons: list[ReasonLine], steps: list[StepLine], caps: list[CapLine],
                more: int) -> Composed:
    return Composed(composed.text, composed.sections, reasons, steps, caps, max(more, 0))


def _dedupe(sections: list[CitedSection]) -> list[CitedSection]:
    seen: dict[str, CitedSection] = {}
    for section in sections:
        seen.setdefault(section.section_id, section)
    return list(seen.values())


__all__ = ["Composed", "Composer", "SectionBook", "display"]


def _channel_name(channel: str | None, lang: str) -> str:
    """A repayment channel in words ("银行转账", "bank transfer")."""
    return str(templates(lang)["fragments"]["channel"][channel])
