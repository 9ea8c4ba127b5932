"""Every evaluator, passing and failing."""

from __future__ import annotations

import pytest

from assistant.evaluation.evaluators import EVALUATORS, judge, normalise_answer

OUTPUT = {
    "answer": "您有逾期未还的欠款 1,200.00 元，已逾期 5 天。可用额度 12,345,678.50 元。Overdue.",
    "intent": "cannot_borrow",
    "reason_codes": ["OVERDUE_UNPAID", "ID_DOCUMENT_EXPIRED"],
    "next_steps": ["REPAY_OVERDUE", "UPDATE_ID_DOCUMENT"],
    "citations": [{"doc_id": "d", "section_id": "overdue-blocks-borrowing", "title": "t"},
                  {"doc_id": "d", "section_id": "id-document-validity", "title": "t"}],
    "handoff": False,
    "refused": False,
}

CASES = [
    ("intent", "cannot_borrow", "how_much_can_i_borrow"),
    ("reason_codes", ["ID_DOCUMENT_EXPIRED", "OVERDUE_UNPAID"], ["OVERDUE_UNPAID"]),
    ("next_steps", ["UPDATE_ID_DOCUMENT", "REPAY_OVERDUE"], ["REPAY_OVERDUE", "UPDATE_ID_DOCUMENT", "WAIT_UNTIL"]),
    ("cite_sections", ["overdue-blocks-borrowing"], ["overdue-blocks-borrowing", "draw-minimum"]),
    ("must_mention", ["1200", "12345678.50", "overdue"], ["1200", "2400"]),
    ("must_not_mention", ["保证", "approved"], ["逾期"]),
    ("handoff", False, True),
    ("refused", False, True),
]


@pytest.mark.parametrize(("key", "passing", "failing"), CASES, ids=[c[0] for c in CASES])
def test_evaluator_both_ways(key: str, passing: object, failing: object) -> None:
    assert EVALUATORS[key](passing, OUTPUT) is True
    assert EVALUATORS[key](failing, OUTPUT) is False


def test_every_key_has_an_evaluator() -> None:
    from assistant.evaluation.cases import EXPECT_KEYS

    assert set(EVALUATORS) == set(EXPECT_KEYS)


@pytest.mark.parametrize(("text", "normalised"), [
    ("1,200 元", "1200 元"), ("1,200.00元", "1200元"), ("1,856.42", "1856.42"), ("CNY 100,000", "cny 100000"),
    ("0.70", "0.70"), ("09:00", "09:00"), ("5,000.00 and 2,000", "5000 and 2000"), ("1，200", "1200"),
])
def test_normalise_answer(text: str, normalised: str) -> None:
    assert normalise_answer(text) == normalised


def test_judge_reports_only_the_keys_given() -> None:
    assert judge({"intent": "cannot_borrow", "refused": True}, OUTPUT) == {"intent": True, "refused": False}
