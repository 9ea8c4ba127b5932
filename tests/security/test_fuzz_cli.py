"""Fuzzing the command line (issue 9 item 2; CONTRACT.md section 5): `check`, `ask` and `search`
with random strings and numbers in every argument. Exit 0 (an answer) or 2 (bad input, one line
on stderr); never a traceback, never an "internal error" (exit 1).

Arguments never contain NUL: an operating system cannot pass one in argv.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app
from tests.helpers.fuzzing import fuzz_settings, tried
from tests.helpers.message_strategies import QUESTIONS, SPECIAL_PIECES

_register_commands()

DEMO_IDS = ["demo-healthy", "demo-overdue", "demo-multi-risk", "demo-pending-transfer"]
arg_text = st.one_of(
    st.text(max_size=40), st.sampled_from(SPECIAL_PIECES), st.sampled_from(QUESTIONS),
    st.integers(-10 ** 20, 10 ** 20).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["-", "--", "--json", "-h", "--help=x", "@file", "~", ".", "/", "/dev/null", "/etc/passwd"]),
).map(lambda s: s.replace("\x00", ""))
amounts = st.one_of(arg_text, st.decimals(allow_nan=True).map(str), st.sampled_from(["0", "-5", "1e9", "5,000", "499.999"]))
times = st.one_of(arg_text, st.datetimes().map(lambda d: d.isoformat()),
                  st.sampled_from(["2026-11-20", "2026-13-01", "yesterday", "2026-11-20T25:00:00"]))
actions = st.one_of(st.sampled_from(["borrow", "limit_status", "limit_increase"]), arg_text)
bad_files = st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                      st.sampled_from([b"{}", b"[]", b"null", b"{\"account_id\": \"x\"}", b"\xef\xbb\xbf{}",
                                       json.dumps({"account_id": "f", "as_of": "2026-11-20T10:00:00+08:00",
                                                   "limit": {"available": "lots"}}).encode()]))


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-fuzz")


def invoke(runner: CliRunner, args: list[str]) -> Any:
    result = runner.invoke(app, args, catch_exceptions=True)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output, output[-600:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2), (args, result.exit_code, output[-400:])
    return result


@st.composite
def account_refs(draw: st.DrawFn, scratch: Path) -> str:
    kind = draw(st.sampled_from(["demo", "text", "file", "missing-file"]))
    if kind == "demo":
        return draw(st.sampled_from(DEMO_IDS))
    if kind == "file":
        path = scratch / f"acct-{draw(st.integers(0, 9))}.json"
        path.write_bytes(draw(bad_files))
        return str(path)
    if kind == "missing-file":
        return str(scratch / "nope" / "x.json")
    return draw(arg_text.filter(lambda s: s.strip() != ""))


@fuzz_settings(120)
@given(data=st.data())
def test_check_with_random_arguments_exits_0_or_2(runner: CliRunner, scratch: Path, data: st.DataObject) -> None:
    tried("cli:check")
    args = ["check", data.draw(account_refs(scratch)), "--action", data.draw(actions)]
    if data.draw(st.booleans()):
        args += ["--amount", data.draw(amounts)]
    if data.draw(st.booleans()):
        args += ["--at", data.draw(times)]
    if data.draw(st.booleans()):
        platform = scratch / "platform.json"
        platform.write_bytes(data.draw(bad_files))
        args += ["--platform", str(platform)]
    if data.draw(st.booleans()):
        args.append("--json")
    invoke(runner, args)


@fuzz_settings(120)
@given(data=st.data())
def test_ask_with_random_arguments_exits_0_or_2(runner: CliRunner, scratch: Path, data: st.DataObject) -> None:
    tried("cli:ask")
    args = ["ask", data.draw(account_refs(scratch)), data.draw(arg_text)]
    if data.draw(st.booleans()):
        args += ["--at", data.draw(times)]
    if data.draw(st.booleans()):
        args += ["--conversation", data.draw(arg_text)]
    if data.draw(st.booleans()):
        args.append("--json")
    invoke(runner, args)


@fuzz_settings(100)
@given(query=arg_text, k=st.one_of(st.none(), st.integers(-10, 10 ** 9).map(str), arg_text),
       lang=st.one_of(st.none(), st.sampled_from(["zh", "en", "fr", ""]), arg_text), as_json=st.booleans())
def test_search_with_random_arguments_exits_0_or_2(runner: CliRunner, query: str, k: str | None,
                                                   lang: str | None, as_json: bool) -> None:
    tried("cli:search")
    args = ["search", query]
    if k is not None:
        args += ["--k", k]
    if lang is not None:
        args += ["--lang", lang]
    if as_json:
        args.append("--json")
    invoke(runner, args)


LONG_ACCOUNT_REF = "a" * 300  # longer than a file name may be: Path.is_file() raises ENAMETOOLONG


@pytest.mark.parametrize("command", [
    ["check", LONG_ACCOUNT_REF, "--action", "borrow"],
    ["ask", LONG_ACCOUNT_REF, "为什么借不出来"],
])
def test_an_overlong_account_reference_is_a_user_error(runner: CliRunner, command: list[str]) -> None:
    invoke(runner, command)
