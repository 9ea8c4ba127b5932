"""What an LLM answer may say: the checks and retrieval actually run for this turn.

Evidence is collected from the deterministic result (its answer text, every check with its
facts and step times, the sections it cites), the policy thresholds, the fixed wording of the answer templates, and whatever the model's tool
calls ran. Nothing else counts: a figure the model worked out itself is not evidence, and
neither is the user's message (a customer asking "是因为逾期吗" does not make it so).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from assistant.answers.templates import templates
from assistant.llm.extract import extract, normalise
from assistant.llm.mentions import find_mentions
from assistant.models import Answer, CitedSection
from tools.catalogue import catalogue
from tools.inputs import to_local
from tools.policy import Policy
from tools.result import CheckResult

MAX_PRINCIPAL_REASONS = 4
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass
class Evidence:
    """The supported values of one turn, in the comparable forms `extract` produces."""

    lang: str
    reason_codes: set[str] = field(default_factory=set)
    principal_codes: list[str] = field(default_factory=list)
    resolved_codes: set[str] = field(default_factory=set)  # gone under a what-if assumption
    numbers: set[Decimal] = field(default_factory=set)
    dates: set[tuple[int, int, int]] = field(default_factory=set)
    times: set[tuple[int, int]] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    section_ids: set[str] = field(default_factory=set)
    context_texts: list[str] = field(default_factory=list)  # texts whose wording may be reused
    handoff_id: str | None = None
    required_numbers: set[Decimal] = field(default_factory=set)  # amounts our answer states
    required_dates: set[tuple[int, int, int]] = field(default_factory=set)  # next-step dates it states

    def add_check(self, check: CheckResult) -> None:
        """A check the turn ran: its reasons, facts, amounts and step times become evidence."""
        self.reason_codes.update(check.reason_codes)
        for value in (check.amount, check.max_amount_now, check.checked_at):
            self.add_value(value)
        for reason in check.reasons:
            self.add_value(reason.facts)
            for step in reason.next_steps:
                self.add_value(step.eta)

    def add_sections(self, sections: Iterable[CitedSection | Any]) -> None:
        """Sections cited or retrieved: their titles and ids may be cited."""
        for section in sections:
            self.titles.add(title_key(section.title))
            self.section_ids.add(section.section_id)
            self.context_texts.append(f"{section.title}\n{getattr(section, 'text', '')}")

    def add_text(self, text: str, *, numbers: bool = True) -> None:
        """A text the answer may quote from (its dates and times always, its numbers if asked)."""
        claims = extract(text)
        if numbers:
            self.numbers.update(claims.numbers)
        self.dates.update((y, m, d) for y, m, d in claims.dates if y is not None)
        self._month_days.update((m, d) for _, m, d in claims.dates)
        self.times.update(claims.times)
        self.titles.update(title_key(t) for t in claims.titles)
        self.context_texts.append(text)

    def add_value(self, value: Any) -> None:
        """A fact value: money, count, ratio, date or time, or a nested list/dict of them."""
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, dict):
            for item in value.values():
                self.add_value(item)
        elif isinstance(value, list | tuple | set):
            for item in value:
                self.add_value(item)
        elif isinstance(value, datetime):
            local = to_local(value)
            self._add_date(local.date())
            self.times.add((local.hour, local.minute))
        elif isinstance(value, date):
            self._add_date(value)
        elif isinstance(value, Decimal | int | float):
            self.numbers.add(Decimal(str(value)))
        elif isinstance(value, str) and value.strip().isdigit():
            self.numbers.add(Decimal(value.strip()))

    def knows_date(self, year: int | None, month: int, day: int) -> bool:
        if year is None:
            return (month, day) in self._month_days
        return (year, month, day) in self.dates

    def _add_date(self, value: date) -> None:
        self.dates.add((value.year, value.month, value.day))
        self._month_days.add((value.month, value.day))
        self.numbers.add(Decimal(value.year))

    def __post_init__(self) -> None:
        self._month_days: set[tuple[int, int]] = set()


def title_key(title: str) -> str:
    """Titles compare without case, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", normalise(title).casefold())


def collect(result: Answer, policy: Policy, *,
            extra_checks: Iterable[CheckResult] = (), extra_sections: Iterable[Any] = ()) -> Evidence:
    """Everything this turn actually established, for the verifier to compare against."""
    evidence = Evidence(lang=result.lang)
    evidence.handoff_id = result.handoff_id
    for check in [*result.checks, *extra_checks]:
        evidence.add_check(check)
    evidence.principal_codes = principal_codes(result)
    if len(result.checks) > 1:
        evidence.resolved_codes = set(result.checks[0].reason_codes) - set(result.checks[1].reason_codes)
    if result.what_if is not None:
        evidence.add_value(result.what_if.max_amount_now)
    evidence.add_sections([*result.citations, *extra_sections])
    for citation in result.citations:
        evidence.titles.add(title_key(citation.title))
        evidence.section_ids.add(citation.section_id)
    own = result.answer.replace(result.handoff_id, " ") if result.handoff_id else result.answer
    evidence.add_text(own)
    _require_own_figures(evidence, own, result)
    # A rules question is answered from the sections: their figures are the evidence. A check
    # answer is not: a worked example in a policy text is not the customer's own figure.
    evidence.add_text("\n".join(s.text for s in [*result.citations, *extra_sections]),
                      numbers=not result.checks)
    evidence.numbers.update(policy_numbers(policy))
    evidence.numbers.update(template_numbers())
    return evidence


# Amounts at least this large are the customer's money (limits, debts, draws), not counts.
MIN_REQUIRED_AMOUNT = Decimal(100)


def _require_own_figures(evidence: Evidence, own_answer: str, result: Answer) -> None:
    """The amounts our answer states and the dates of the next steps it states must be kept."""
    claims = extract(own_answer)
    years = {Decimal(y) for y, _, _ in claims.dates if y is not None}
    evidence.required_numbers = {v for v in claims.numbers if v >= MIN_REQUIRED_AMOUNT and v not in years}
    stated_days = {(m, d) for _, m, d in claims.dates}
    for check in result.checks[:1]:
        for step in check.next_steps:
            if step.eta is not None:
                local = to_local(step.eta)
                if (local.month, local.day) in stated_days:
                    evidence.required_dates.add((local.year, local.month, local.day))


def principal_codes(result: Answer) -> list[str]:
    """The reasons the answer must state: the first four of the check that the deterministic
    answer states (a "how much" answer for a blocked account lists only the blocking ones)."""
    if not result.checks:
        return []
    stated = {m.code for m in find_mentions(result.answer) if not m.negated}
    return [code for code in result.checks[0].reason_codes[:MAX_PRINCIPAL_REASONS] if code in stated]


def policy_numbers(policy: Policy) -> set[Decimal]:
    """Every threshold of the policy (500, 100,000, 0.70, 24 hours …), in every form."""
    found: set[Decimal] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)
        elif isinstance(node, bool):
            return
        elif isinstance(node, Decimal | int | float):
            found.add(Decimal(str(node)))
        elif isinstance(node, str):
            found.update(extract(node).numbers)

    walk(policy.model_dump())
    return found


@lru_cache(maxsize=1)
def template_numbers() -> frozenset[Decimal]:
    """Numbers written into the fixed wording (近12个月, 24小时…), which any answer may repeat."""
    found: set[Decimal] = set()
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, str):
            texts.append(_PLACEHOLDER.sub(" ", node))

    for lang in ("zh", "en"):
        walk(templates(lang))
    for spec in catalogue().reasons.values():
        texts.extend([spec.title.zh, spec.title.en, *spec.phrases.zh, *spec.phrases.en])
    for text in texts:
        found.update(extract(text).numbers)
    return frozenset(found)
