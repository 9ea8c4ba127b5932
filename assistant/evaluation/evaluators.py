"""One small evaluator per expectation key (CONTRACT.md section 6).

Each evaluator takes the expected value and the turn's `ask` object (the contract view: answer,
intent, reason_codes, next_steps, citations, handoff, refused) and says pass or fail.

- `reason_codes`, `next_steps`: compared as sets (order is the engine's ranking, judged elsewhere).
- `cite_sections`: every expected section id must be among the cited section ids (⊆); the
  answer may cite more (a second reason's rule, the appeal section).
- `must_mention` / `must_not_mention`: substring tests on the answer after `normalise_answer`
  (thousands separators and a trailing ".00" removed from numbers, case folded), so "1,200.00
  元" mentions "1200".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Output = dict[str, Any]
Evaluator = Callable[[Any, Output], bool]

# 1,200 / 12,000,000 (also with a full-width comma) → digits only.
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:[,，]\d{3})+)(?![\d,，]*\d)")
_TRAILING_ZERO_CENTS = re.compile(r"(\d)\.00(?!\d)")


def normalise_answer(text: str) -> str:
    """The answer as `must_mention` sees it: plain numbers, case folded."""
    text = _THOUSANDS.sub(lambda m: re.sub(r"[,，]", "", m.group(1)), text)
    text = _TRAILING_ZERO_CENTS.sub(r"\1", text)
    return text.casefold()


def intent(expected: str, output: Output) -> bool:
    return output.get("intent") == expected


def reason_codes(expected: list[str], output: Output) -> bool:
    return set(output.get("reason_codes") or []) == set(expected)


def next_steps(expected: list[str], output: Output) -> bool:
    return set(output.get("next_steps") or []) == set(expected)


def cited_section_ids(output: Output) -> set[str]:
    return {c["section_id"] for c in output.get("citations") or []}


def cite_sections(expected: list[str], output: Output) -> bool:
    return set(expected) <= cited_section_ids(output)


def must_mention(expected: list[str], output: Output) -> bool:
    answer = normalise_answer(output.get("answer") or "")
    return all(normalise_answer(item) in answer for item in expected)


def must_not_mention(expected: list[str], output: Output) -> bool:
    answer = normalise_answer(output.get("answer") or "")
    return not any(normalise_answer(item) in answer for item in expected)


def handoff(expected: bool, output: Output) -> bool:
    return bool(output.get("handoff")) is expected


def refused(expected: bool, output: Output) -> bool:
    return bool(output.get("refused")) is expected


EVALUATORS: dict[str, Evaluator] = {
    "intent": intent,
    "reason_codes": reason_codes,
    "next_steps": next_steps,
    "cite_sections": cite_sections,
    "must_mention": must_mention,
    "must_not_mention": must_not_mention,
    "handoff": handoff,
    "refused": refused,
}


def judge(expect: dict[str, Any], output: Output) -> dict[str, bool]:
    """{key: passed} for every key set in `expect` (None values are not expectations)."""
    return {key: EVALUATORS[key](value, output) for key, value in expect.items() if value is not None}


def missed_mentions(expected: list[str], output: Output) -> list[str]:
    """The `must_mention` items the answer lacks (for the report)."""
    answer = normalise_answer(output.get("answer") or "")
    return [item for item in expected if normalise_answer(item) not in answer]
