"""Evaluation cases (CONTRACT.md section 6): the JSONL format, read and validated line by line.

A case is one conversation: an account (inline snapshot or an `account_id` in the account
store), an optional platform state, and one or more user turns. `expect` on the case applies to
the last turn; a turn may carry its own `expect` (then that turn is judged too). Codes, intents
and section ids are checked against the catalogue, so a typo in a case is a validation error,
not a silent failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.accounts import read_text_file
from assistant.errors import UserInputError
from assistant.limits import MAX_MESSAGE_CHARS
from assistant.models import INTENTS
from tools.catalogue import catalogue
from tools.snapshot import parse_platform, parse_snapshot

EXPECT_KEYS = (
    "intent",
    "reason_codes",
    "next_steps",
    "cite_sections",
    "must_mention",
    "must_not_mention",
    "handoff",
    "refused",
)


class Expect(BaseModel):
    """What a judged turn must show; every key is optional and judged on its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intent: str | None = None
    reason_codes: list[str] | None = None
    next_steps: list[str] | None = None
    cite_sections: list[str] | None = None
    must_mention: list[str] | None = None
    must_not_mention: list[str] | None = None
    handoff: bool | None = None
    refused: bool | None = None

    @field_validator("intent")
    @classmethod
    def _known_intent(cls, value: str | None) -> str | None:
        if value is not None and value not in INTENTS:
            raise ValueError(f"unknown intent {value!r}")
        return value

    @field_validator("reason_codes")
    @classmethod
    def _known_reasons(cls, value: list[str] | None) -> list[str] | None:
        return _known(value, catalogue().reasons, "reason code")

    @field_validator("next_steps")
    @classmethod
    def _known_steps(cls, value: list[str] | None) -> list[str] | None:
        return _known(value, catalogue().steps, "next-step code")

    @field_validator("cite_sections")
    @classmethod
    def _known_sections(cls, value: list[str] | None) -> list[str] | None:
        return _known(value, catalogue().sections, "section id")

    def keys(self) -> list[str]:
        """The expectation keys this object sets, in the contract's order."""
        return [key for key in EXPECT_KEYS if getattr(self, key) is not None]

    def merged(self, over: Expect | None) -> Expect:
        """This expectation with `over`'s keys taking precedence."""
        if over is None:
            return self
        return Expect(**{**self.model_dump(exclude_none=True), **over.model_dump(exclude_none=True)})


def _known(values: list[str] | None, known: dict[str, Any], what: str) -> list[str] | None:
    for value in values or []:
        if value not in known:
            raise ValueError(f"unknown {what} {value!r}")
    return values


class CaseTurn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    at: datetime | None = None
    expect: Expect | None = None


class Case(BaseModel):
    """One evaluation case. `tags` and `note` are extensions: free labels for the report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=120)
    account: dict[str, Any] | None = None
    account_id: str | None = None
    platform: dict[str, Any] | None = None
    turns: list[CaseTurn] = Field(min_length=1)
    expect: Expect | None = None
    tags: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _one_account(self) -> Case:
        if (self.account is None) == (self.account_id is None):
            raise ValueError("give exactly one of `account` (a snapshot) or `account_id`")
        return self

    def judged(self) -> list[tuple[int, Expect]]:
        """(turn index, expectation) of every judged turn: turns with their own `expect`, and
        the last turn with the case's `expect` (the last turn's own keys win)."""
        last = len(self.turns) - 1
        judged = {i: t.expect for i, t in enumerate(self.turns) if t.expect is not None}
        if self.expect is not None:
            judged[last] = self.expect.merged(judged.get(last))
        if not judged:
            judged[last] = Expect()
        return sorted(judged.items())


@dataclass(frozen=True)
class CaseSource:
    """A validated case and where it came from (for error messages and the report)."""

    case: Case
    file: str
    line: int


@dataclass(frozen=True)
class LineError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def parse_case_line(text: str) -> Case:
    """One JSONL line to a Case; raises ValueError with one readable sentence."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("a case must be a JSON object")  # noqa: TRY004 — bad input data, reported like every other
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_first_error(exc)) from None
    try:  # parse_snapshot / parse_platform name the bad field in one line
        if case.account is not None:
            parse_snapshot(case.account)
        if case.platform is not None:
            parse_platform(case.platform)
    except UserInputError as exc:
        prefix = "" if str(exc).startswith("platform") else "account."
        raise ValueError(f"{prefix}{exc}") from None
    return case


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where + ': ' if where else ''}{message}{extra}"


def load_cases(paths: list[Path]) -> tuple[list[CaseSource], list[LineError]]:
    """Every valid case of every file, and one error per bad line (blank lines and lines
    starting with `//` or `#` are skipped). Ids must be unique over all files."""
    cases: list[CaseSource] = []
    errors: list[LineError] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, text in enumerate(_read_lines(path), start=1):
            if not text.strip() or text.lstrip().startswith(("//", "#")):
                continue
            try:
                case = parse_case_line(text)
            except ValueError as exc:
                errors.append(LineError(str(path), number, str(exc)))
                continue
            if case.id in seen:
                errors.append(LineError(str(path), number, f"duplicate case id {case.id!r} (first at {seen[case.id]})"))
                continue
            seen[case.id] = f"{path}:{number}"
            cases.append(CaseSource(case, str(path), number))
    return cases, errors


def _read_lines(path: Path) -> list[str]:
    return read_text_file(path, "case").splitlines()
