"""The gradio chat UI at /ui, in real Chromium, fully offline."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("gradio", reason="gradio is missing (pip install -e .[ui]): /ui is not mounted")

QUESTION = "有额度为什么借不出来"
CITATION_TITLE = "逾期未还时不能借款"


def feedback_rows(servers: Any) -> list[tuple[str, int, str]]:
    with sqlite3.connect(servers.data_dir / "limit-assistant.sqlite3") as db:
        return db.execute("SELECT conversation_id, turn_seq, rating FROM feedback").fetchall()


def handoff_count(servers: Any) -> int:
    with sqlite3.connect(servers.data_dir / "limit-assistant.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM handoffs").fetchone()[0])


def open_ui_on(recorded: Any, servers: Any, account: str) -> Any:
    page = recorded.page
    page.goto(f"{servers.api_origin}/ui/")
    page.locator("#la-account input").click()
    page.get_by_role("option", name=f"{account} —").click()
    return page


def ask(page: Any, question: str) -> None:
    page.locator("#la-input textarea").fill(question)
    page.locator("#la-send").click()


def test_ui_answers_with_reasons_steps_and_expandable_citations(recorded_page: Any, servers: Any) -> None:
    page = open_ui_on(recorded_page, servers, "demo-overdue")
    assert "逾期5天未还1,200元" in page.locator("#la-account input").input_value()

    ask(page, QUESTION)
    chat = page.locator("#la-chat")
    citation = chat.locator("summary", has_text=CITATION_TITLE)
    citation.wait_for()
    bot = chat.locator("[data-testid='bot']").last
    text = bot.inner_text()
    assert "1,200" in text and "5 天" in text           # the customer's own figures
    assert "原因" in text and "有逾期未还的欠款" in text  # the reason list with its title
    assert "接下来可以" in text and "还清逾期欠款" in text  # the next step
    section_text = chat.locator("details").filter(has=page.locator("summary", has_text=CITATION_TITLE)).locator("p")
    assert not section_text.is_visible()
    citation.click()
    assert "逾期" in section_text.inner_text() and section_text.is_visible()
    recorded_page.screenshot("ui-answer")

    assert recorded_page.outside_loopback() == []
    assert not any("fonts.googleapis" in url or "cdn" in url for url in recorded_page.urls)
    assert servers.outbound == []  # nor did the server call out (gradio analytics, version check)


def test_ui_feedback_and_handoff_are_stored(recorded_page: Any, servers: Any) -> None:
    page = open_ui_on(recorded_page, servers, "demo-risk-hold")
    ask(page, QUESTION)
    page.locator("#la-chat summary").first.wait_for()
    before = feedback_rows(servers)
    page.locator("#la-chat [data-testid='bot']").last.hover()
    # gradio labels the button in the browser's language (zh-CN here): 踩 = dislike.
    page.locator("#la-chat button[aria-label='踩'], #la-chat button[aria-label='Dislike']").last.click()
    for _ in range(50):
        rows = feedback_rows(servers)
        if len(rows) > len(before):
            break
        page.wait_for_timeout(100)
    assert len(rows) == len(before) + 1 and rows[-1][1:] == (1, "down")

    handoffs = handoff_count(servers)
    page.locator("#la-handoff").click()
    page.locator("#la-chat [data-testid='bot']").nth(1).wait_for()
    assert handoff_count(servers) == handoffs + 1
    recorded_page.screenshot("ui-handoff")
    assert recorded_page.outside_loopback() == []


def test_ui_switches_to_english(recorded_page: Any, servers: Any) -> None:
    page = open_ui_on(recorded_page, servers, "demo-healthy-en")
    page.get_by_label("English").check()
    page.locator("#la-send", has_text="Send").wait_for()
    assert page.locator("#la-handoff").inner_text() == "Talk to a person"
    assert "Demo mode" in page.locator("#la-header").inner_text()
    ask(page, "How much can I borrow now?")
    page.locator("#la-chat [data-testid='bot']").filter(has_text="Sources (click to read)").wait_for()
    assert "12,000" in page.locator("#la-chat [data-testid='bot']").last.inner_text()
    recorded_page.screenshot("ui-english")
    assert recorded_page.outside_loopback() == []
