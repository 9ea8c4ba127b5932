"""Case validation: one clear error per bad line, with its file and line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import UserInputError
from assistant.evaluation.cases import Expect, load_cases, parse_case_line
from tests.helpers.evaluation import PUBLIC_CASES, overdue_case, write_cases


def test_valid_file_loads_every_case(tmp_path: Path) -> None:
    path = write_cases(tmp_path / "c.jsonl", [overdue_case("a"), "", "# a comment", overdue_case("b")])
    cases, errors = load_cases([path])
    assert [c.case.id for c in cases] == ["a", "b"]
    assert [c.line for c in cases] == [1, 4]
    assert errors == []


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "invalid JSON"),
    ('["a list"]', "must be a JSON object"),
    ({"id": "x", "turns": [{"user": "hi"}]}, "exactly one of `account`"),
    ({"id": "x", "account_id": "demo-healthy", "turns": []}, "turns"),
    ({"id": "x", "account_id": "demo-healthy", "turns": [{"user": "hi"}], "expect": {"reason_codes": ["NOT_A_CODE"]}}, "unknown reason code 'NOT_A_CODE'"),
    ({"id": "x", "account_id": "demo-healthy", "turns": [{"user": "hi"}], "expect": {"intent": "chitchat"}}, "unknown intent 'chitchat'"),
    ({"id": "x", "account_id": "demo-healthy", "turns": [{"user": "hi"}], "expect": {"next_steps": ["PRAY"]}}, "unknown next-step code"),
    ({"id": "x", "account_id": "demo-healthy", "turns": [{"user": "hi"}], "expect": {"cite_sections": ["nowhere"]}}, "unknown section id"),
    ({"id": "x", "account_id": "demo-healthy", "turns": [{"user": "hi"}], "expect": {"mention": ["1"]}}, "expect.mention"),
    ({"id": "x", "account": {"account_id": "u", "as_of": "2026-11-20T10:00:00+08:00", "limit": {"available": -5}},
      "turns": [{"user": "hi"}]}, "account.limit.available"),
    ({"id": "x", "account_id": "demo-healthy", "platform": {"funding_quota_remaining": "lots"}, "turns": [{"user": "hi"}]}, "platform"),
])
def test_each_bad_line_gives_one_error_with_its_line_number(tmp_path: Path, line: object, message: str) -> None:
    path = write_cases(tmp_path / "c.jsonl", [overdue_case("good"), line])
    cases, errors = load_cases([path])
    assert [c.case.id for c in cases] == ["good"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert str(errors[0]).startswith(f"{path}:2: ")
    assert message in errors[0].message


def test_duplicate_ids_across_files_are_errors(tmp_path: Path) -> None:
    first = write_cases(tmp_path / "a.jsonl", [overdue_case("same")])
    second = write_cases(tmp_path / "b.jsonl", [overdue_case("other"), overdue_case("same")])
    _, errors = load_cases([first, second])
    assert len(errors) == 1 and errors[0].file == str(second) and errors[0].line == 2
    assert "duplicate case id 'same'" in errors[0].message


def test_missing_file_is_user_input_error(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="case file not found"):
        load_cases([tmp_path / "nope.jsonl"])


def test_judged_turns_last_turn_and_own_expect() -> None:
    case = parse_case_line('{"id": "m", "account_id": "demo-healthy", "turns": ['
                           '{"user": "a", "expect": {"intent": "greeting"}}, {"user": "b"}, '
                           '{"user": "c", "expect": {"refused": false}}], "expect": {"intent": "cannot_borrow"}}')
    judged = case.judged()
    assert [i for i, _ in judged] == [0, 2]
    assert judged[0][1] == Expect(intent="greeting")
    assert judged[1][1] == Expect(intent="cannot_borrow", refused=False)


def test_public_suite_is_valid_and_large_enough() -> None:
    cases, errors = load_cases(PUBLIC_CASES)
    assert errors == []
    assert len(cases) >= 300
    intents = {e.intent for c in cases for _, e in c.case.judged() if e.intent}
    codes = {code for c in cases for _, e in c.case.judged() for code in e.reason_codes or []}
    from assistant.models import INTENTS
    from tools.catalogue import catalogue

    assert intents == set(INTENTS)
    assert codes == set(catalogue().reasons)
