"""The grounding verifier: deterministic, no LLM. An LLM answer is used only if it passes.

It reads the answer the way `extract` and `mentions` read any text, and compares every claim
with the evidence of the turn (assistant/llm/evidence.py). Every problem names a cause; the
phraser falls back to the deterministic answer on the first one and counts that cause.

Causes: unsupported_reason, contradicted_reason, missing_principal_reason, wrong_number,
wrong_date, unknown_citation, promise, compliance_break, prompt_leak, missing_handoff_id,
missing_figure, degenerate_output, empty_answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.llm.evidence import Evidence, title_key
from assistant.llm.extract import extract, normalise
from assistant.llm.mentions import find_mentions, phrases_in, rules

# A verbatim run this long shared with the system prompt is a disclosure, not a coincidence.
LEAK_WINDOW_CJK = 14
LEAK_WINDOW_WORDS = 9


@dataclass(frozen=True)
class Problem:
    cause: str
    detail: str


@dataclass
class Verdict:
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cause(self) -> str | None:
        return self.problems[0].cause if self.problems else None


def verify(answer: str, evidence: Evidence, *, system_prompt: str = "", canary: str = "") -> Verdict:
    """Every problem of `answer` against `evidence`; an empty verdict means it may be shown."""
    verdict = Verdict()
    if not answer.strip():
        verdict.problems.append(Problem("empty_answer", "the model returned no text"))
        return verdict
    folded = normalise(answer).casefold()
    for check in (_promises, _compliance, _leak_words):
        verdict.problems.extend(check(folded, evidence))
    verdict.problems.extend(_prompt_copy(folded, system_prompt, canary, _context(evidence)))
    verdict.problems.extend(_reasons(answer, evidence))
    verdict.problems.extend(_figures(answer, evidence))
    verdict.problems.extend(_citations(answer, evidence))
    verdict.problems.extend(_kept_figures(answer, evidence))
    verdict.problems.extend(_degenerate(answer))
    if evidence.handoff_id and evidence.handoff_id.casefold() not in folded:
        verdict.problems.append(Problem("missing_handoff_id", evidence.handoff_id))
    return verdict


def _context(evidence: Evidence) -> str:
    return normalise("\n".join(evidence.context_texts)).casefold()


def _promises(folded: str, evidence: Evidence) -> list[Problem]:
    words = rules()["promise"]
    return [Problem("promise", w) for w in [*words["zh"], *words["en"]] if w.casefold() in folded]


def _compliance(folded: str, evidence: Evidence) -> list[Problem]:
    context = _context(evidence)
    problems = []
    for pattern in rules()["compliance_break"]:
        match = re.search(pattern, folded, re.IGNORECASE)
        # Our own fixed wording ("已为您转接人工客服") may be repeated; anything else may not.
        if match and match.group(0) not in context:
            problems.append(Problem("compliance_break", match.group(0)))
    return problems


def _leak_words(folded: str, evidence: Evidence) -> list[Problem]:
    words = rules()["prompt_leak"]
    return [Problem("prompt_leak", w) for w in [*words["zh"], *words["en"]] if w.casefold() in folded]


def _prompt_copy(folded: str, system_prompt: str, canary: str, context: str) -> list[Problem]:
    """A long verbatim run of the system prompt, unless our own texts say the same words."""
    if canary and canary.casefold() in folded:
        return [Problem("prompt_leak", "canary")]
    prompt = normalise(system_prompt).casefold()
    if not prompt:
        return []
    cjk_prompt = re.sub(r"[^\u3400-\u9fff]", "", prompt)
    cjk_answer = re.sub(r"[^\u3400-\u9fff]", "", folded)
    cjk_context = re.sub(r"[^\u3400-\u9fff]", "", context)
    for i in range(max(0, len(cjk_prompt) - LEAK_WINDOW_CJK + 1)):
        window = cjk_prompt[i:i + LEAK_WINDOW_CJK]
        if window in cjk_answer and window not in cjk_context:
            return [Problem("prompt_leak", window)]
    words_prompt = re.findall(r"[a-z']+", prompt)
    answer_words = " ".join(re.findall(r"[a-z']+", folded))
    context_words = " " + " ".join(re.findall(r"[a-z']+", context)) + " "
    for i in range(max(0, len(words_prompt) - LEAK_WINDOW_WORDS + 1)):
        window = " ".join(words_prompt[i:i + LEAK_WINDOW_WORDS])
        if f" {window} " in f" {answer_words} " and f" {window} " not in context_words:
            return [Problem("prompt_leak", window)]
    return []


def _reasons(answer: str, evidence: Evidence) -> list[Problem]:
    problems: list[Problem] = []
    reused = phrases_in("\n".join(evidence.context_texts))
    stated: set[str] = set()
    for mention in find_mentions(answer):
        if mention.negated:
            # "还清后就没有逾期欠款了" about a what-if is right; denying a current reason is not.
            if mention.code in evidence.principal_codes and mention.code not in evidence.resolved_codes:
                problems.append(Problem("contradicted_reason", f"{mention.code}: {mention.phrase}"))
            continue
        stated.add(mention.code)
        # A phrase our own answer or the user's message already uses in another sense ("通过银行卡
        # 还款") is not a new claim; any other phrase must name a reason the checks returned.
        if mention.code not in evidence.reason_codes and mention.phrase not in reused:
            problems.append(Problem("unsupported_reason", f"{mention.code}: {mention.phrase}"))
    for code in evidence.principal_codes:
        if code not in stated:
            problems.append(Problem("missing_principal_reason", code))
    return problems


def _figures(answer: str, evidence: Evidence) -> list[Problem]:
    if evidence.handoff_id:  # a ticket id is checked whole (missing_handoff_id), not as digits
        answer = answer.replace(evidence.handoff_id, " ")
    claims = extract(answer)
    problems = [Problem("wrong_date", f"weekday: {text}") for text in claims.weekday_errors]
    for value in claims.numbers:
        value = abs(value)  # "-" before a figure is a dash more often than a sign
        if value not in evidence.numbers:
            problems.append(Problem("wrong_number", f"{value.normalize():f}"))
    for year, month, day in claims.dates:
        if not evidence.knows_date(year, month, day):
            problems.append(Problem("wrong_date", f"{year or '?'}-{month:02d}-{day:02d}"))
    for hour, minute in claims.times:
        if (hour, minute) not in evidence.times:
            problems.append(Problem("wrong_date", f"time {hour:02d}:{minute:02d}"))
    return problems


def _kept_figures(answer: str, evidence: Evidence) -> list[Problem]:
    """The customer's own amounts and the next steps' dates that our answer gives must stay."""
    claims = extract(answer.replace(evidence.handoff_id, " ") if evidence.handoff_id else answer)
    said = set(claims.numbers)
    said_days = {(m, d) for _, m, d in claims.dates}
    problems = [Problem("missing_figure", f"{v.normalize():f}") for v in evidence.required_numbers if v not in said]
    problems += [Problem("missing_figure", f"{y}-{m:02d}-{d:02d}") for y, m, d in evidence.required_dates
                 if (m, d) not in said_days]
    return problems


def _degenerate(answer: str) -> list[Problem]:
    """A small model looping ("5. …" "7. …" the same line again) is not an answer."""
    lines = [re.sub(r"^\W*\d*[.、)]?\s*", "", line).strip() for line in answer.splitlines()]
    counts: dict[str, int] = {}
    for line in filter(None, lines):
        counts[line] = counts.get(line, 0) + 1
    repeated = [line for line, n in counts.items() if n >= 3]
    return [Problem("degenerate_output", repeated[0][:60])] if repeated else []


def _citations(answer: str, evidence: Evidence) -> list[Problem]:
    claims = extract(answer)
    context = title_key("\n".join(evidence.context_texts))
    problems = [Problem("unknown_citation", t) for t in claims.titles
                if title_key(t) not in evidence.titles and title_key(t) not in context]
    problems += [Problem("unknown_citation", q) for q in claims.quoted
                 if title_key(q) not in evidence.titles and title_key(q) not in context]
    problems += [Problem("unknown_citation", s) for s in claims.section_ids if s not in evidence.section_ids]
    return problems
