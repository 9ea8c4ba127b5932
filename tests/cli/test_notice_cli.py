"""`limit-assistant notice CONVERSATION_ID --turn N [--format html|txt] [--lang zh|en]` (issue 17):
the written notice states the answer's own principal reasons (never a generic list), the data
used, the plan, and how to ask for a human review (with the case number after a hand-off)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app
from assistant.services import Services

_register_commands()
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("notice-data")
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("LIMIT_ASSISTANT_")]:
            mp.delenv(key)
        mp.setenv("LIMIT_ASSISTANT_DATA_DIR", str(path))
        mp.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")
        yield path


def ask(*args: str) -> str:
    result = runner.invoke(app, ["ask", *args])
    assert result.exit_code == 0, result.output
    return result.stderr.split()[1]


def recorded_reasons(conversation: str, turn: int, lang: str) -> list[str]:
    services = Services()
    record = services.store.decisions.get(conversation, turn)
    assert record is not None
    return [r["sentence"] for r in record.wording[lang]["reasons"]]


@pytest.fixture(scope="module")
def conversation(data_dir: Path) -> str:
    return ask("demo-multi", "为什么借不了")


def test_done_when_the_notice_states_the_three_reasons_and_the_review_route(conversation: str) -> None:
    result = runner.invoke(app, ["notice", conversation, "--turn", "1"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    reasons = recorded_reasons(conversation, 1, "zh")
    assert len(reasons) == 3
    for number, sentence in enumerate(reasons, 1):
        assert f"{number}. {sentence}" in text  # the answer's own sentences, in order
    assert "1,200" in text and "2026年11月15日" in text  # the customer's own figures
    assert "人工复核" in text and "转人工" in text and "第二十四条" in text
    assert "目前不能借款" in text and "2026年11月20日(周五) 10:00" in text
    assert "逾期记录" in text and "身份证件有效期" in text  # the data the reasons were read from


def test_english_notice_of_a_chinese_conversation_words_the_same_reasons(conversation: str) -> None:
    result = runner.invoke(app, ["notice", conversation, "--turn", "1", "--lang", "en"])
    assert result.exit_code == 0, result.output
    for sentence in recorded_reasons(conversation, 1, "en"):
        assert sentence in result.stdout
    assert "human review" in result.stdout and "You cannot borrow" in result.stdout
    assert not re.search(r"[\u4e00-\u9fff]{4}", result.stdout.replace("为什么借不了", ""))


def test_html_is_self_contained_and_prints(conversation: str) -> None:
    result = runner.invoke(app, ["notice", conversation, "--turn", "1", "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "@media print" in page
    assert not re.search(r"<link|<script|src=|https?://", page)  # nothing fetched from elsewhere
    for sentence in recorded_reasons(conversation, 1, "zh"):
        assert f"<li>{sentence}</li>" in page


def test_after_a_handoff_the_notice_gives_the_case_number(data_dir: Path) -> None:
    conversation = ask("demo-risk-hold", "为什么借不出来")
    ask("demo-risk-hold", "我要申诉", "--conversation", conversation)
    record = Services().store.decisions.get(conversation, 2)
    assert record is not None and record.answer["handoff_id"]
    result = runner.invoke(app, ["notice", conversation, "--turn", "2"])
    assert result.exit_code == 0, result.output
    assert f"复核工单号: {record.answer['handoff_id']}" in result.stdout
    assert f"工单号 {record.answer['handoff_id']}" in result.stdout


def test_a_turn_without_a_decision_about_the_account_has_no_notice(data_dir: Path) -> None:
    conversation = ask("demo-healthy", "你好")
    result = runner.invoke(app, ["notice", conversation, "--turn", "1"])
    assert result.exit_code == 2 and "nothing to give notice of" in result.stderr


@pytest.mark.parametrize("args", [["--turn", "9"], ["--turn", "1", "--format", "pdf"],
                                  ["--turn", "1", "--lang", "fr"]])
def test_bad_input_exits_2(conversation: str, args: list[str]) -> None:
    result = runner.invoke(app, ["notice", conversation, *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output


def test_unknown_conversation_exits_2(data_dir: Path) -> None:
    result = runner.invoke(app, ["notice", "no-such-conversation", "--turn", "1"])
    assert result.exit_code == 2 and "unknown conversation" in result.stderr
