"""The gradio chat UI at /ui, in real Chromium, fully offline, at a laptop's and a phone's size."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from tests.browser.pages import (
    axe_findings,
    focus_ring,
    has_visible_focus,
    inside_viewport,
    no_sideways_scroll,
    script_assistant,
    small_targets,
    with_plan,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
pytest.importorskip("gradio", reason="gradio is missing (pip install -e .[ui]): /ui is not mounted")

QUESTION = "有额度为什么借不出来"
CITATION_TITLE = "逾期未还时不能借款"
OVERDUE_SENTENCE = "您有逾期未还的欠款 1,200 元，已逾期 5 天；逾期还清前不能借新的款。"
# The fixture does not warm the knowledge index (building it takes minutes on a busy CI machine);
# a reply that searches it may be the one that builds it, so it gets longer than the page's
# default 60 s (CI, session 26: the 2,000-character message's reply built it and missed 60 s).
REPLY_THAT_MAY_BUILD_THE_INDEX_MS = 300_000


def feedback_rows(servers: Any) -> list[tuple[str, int, str]]:
    with sqlite3.connect(servers.data_dir / "limit-assistant.sqlite3") as db:
        return db.execute("SELECT conversation_id, turn_seq, rating FROM feedback").fetchall()


def handoff_count(servers: Any) -> int:
    with sqlite3.connect(servers.data_dir / "limit-assistant.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM handoffs").fetchone()[0])


def open_ui(recorded: Any, servers: Any, account: str | None = None, lang: str = "") -> Any:
    page = recorded.page
    page.goto(f"{servers.api_origin}/ui/" + (f"?lang={lang}" if lang else ""))
    page.locator("#la-account-select option").first.wait_for(state="attached")
    if account:
        page.select_option("#la-account-select", account)
        page.locator(f"#la-account-select option[value='{account}'][selected]").wait_for(state="attached")
    return page


def rendered_fonts(page: Any, selector: str) -> list[str]:
    """The fonts Chromium drew an element's text with (DevTools' CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [str(font["familyName"]) for font in fonts]


def ask(page: Any, question: str) -> Any:
    """Send `question` from the message box; the newest answer once it is there."""
    answers = page.locator(".la-log .la-bot:not(.la-pending):not(.la-greeting)")
    before = answers.count()
    page.locator("#la-input textarea").fill(question)
    page.locator("#la-send").click()
    answers.nth(before).wait_for()
    return answers.last


def test_first_screen_greets_offers_questions_and_keeps_the_message_box_in_view(sized_page: Any, servers: Any) -> None:
    page = open_ui(sized_page, servers)
    assert page.title() == "借呗额度助手"
    assert page.locator(".la-top h1").inner_text() == "借呗额度助手"
    greeting = page.locator(".la-greeting")
    assert "借呗额度助手" in greeting.inner_text()
    assert page.locator(".la-suggestion").count() == 4
    for suggestion in page.locator(".la-suggestion").all():    # keyboard focus shows on every one
        suggestion.focus()
        assert has_visible_focus(focus_ring(suggestion))
    # Nothing covers the first line of the conversation (gradio's "对话" label once did).
    top = page.locator(".la-greeting p").first.bounding_box()
    hit = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.la-greeting')",
                        [top["x"] + 8, top["y"] + 4])
    assert hit
    # Nothing English on the Chinese page (gradio's own labels included), but the language's name.
    shown = page.evaluate("""() => [...document.querySelectorAll('.la-brand, .la-langs, #la-conversation,'
        + ' #la-composer, #la-actions, [role=alert], [role=status]')].map((el) => el.innerText).join(' ')""")
    assert set(re.findall(r"[A-Za-z]{2,}", shown)) == {"English"}
    for attribute in ("placeholder", "aria-label", "title"):
        values = page.eval_on_selector_all(f"[{attribute}]", f"(els) => els.map((el) => el.getAttribute('{attribute}'))")
        assert not [v for v in values if re.search(r"[A-Za-z]{3,}", v)], attribute
    for control in ("#la-input textarea", "#la-send", "#la-handoff", ".la-top h1", "#la-account-select",
                    ".la-langs"):
        assert inside_viewport(page, page.locator(control)), control
    assert no_sideways_scroll(page)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.locator("link[rel='icon']").get_attribute("href") == "/favicon.svg"
    # Chinese is drawn with a CJK font from the page's stack (what Chromium really used, not the CSS).
    assert "Noto Sans CJK SC" in page.locator(".la-top h1").evaluate("(el) => getComputedStyle(el).fontFamily")
    used = rendered_fonts(page, ".la-top h1") + rendered_fonts(page, ".la-greeting p")
    assert used and all(re.search(r"CJK|WenQuanYi|PingFang|YaHei|Source Han|Hiragino", font) for font in used), used
    assert page.request.get(f"{servers.api_origin}/favicon.svg").headers["content-type"] == "image/svg+xml"
    # A suggested question is sent as it is, and the box stays in view with the answer.
    page.locator(".la-suggestion").first.click()
    page.locator(".la-log .la-bot:not(.la-pending):not(.la-greeting)").first.wait_for()
    assert page.locator(".la-user .la-bubble").first.inner_text() == "有额度为什么借不出来"
    assert inside_viewport(page, page.locator("#la-input textarea"))
    assert inside_viewport(page, page.locator("#la-send"))
    assert sized_page.outside_loopback() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_product_name_comes_from_configuration(sized_page: Any, branded: str, lang: str) -> None:
    from tests.browser.conftest import BRAND

    title = {"zh": "花花贷额度助手", "en": "Flexi Loan assistant"}[lang]
    page = sized_page.page
    page.goto(f"{branded}/ui/?lang={lang}")
    page.locator(".la-scroll[data-tab]").wait_for(state="attached")
    assert page.title() == title and page.locator(".la-top h1").inner_text() == title
    assert BRAND[lang] in page.locator(".la-greeting").inner_text()
    assert "借呗" not in page.locator("body").inner_text() and "credit line assistant" not in page.title()
    page.goto(f"{branded}/widget/demo?account=demo-overdue&lang={lang}")
    page.locator("limit-assistant-widget .la-launcher").click()
    assert page.locator("limit-assistant-widget #la-title").inner_text() == title
    assert BRAND[lang] in page.locator("limit-assistant-widget .la-bot .la-bubble").first.inner_text()


# The overdue account in each language: its description, a question, the reason's title and
# sentence (the customer's own figures), the first step, a citation and a word of its text.
OVERDUE = {
    "zh": ("逾期5天未还1,200元", QUESTION, "有逾期未还的欠款", OVERDUE_SENTENCE, "还清逾期欠款", CITATION_TITLE, "逾期"),
    "en": ("1,200 overdue for 5 days", "Why can't I borrow?", "A payment is overdue",
           "You have an overdue amount of CNY 1,200, 5 days past due; new draws are blocked until it is repaid.",
           "Repay the overdue amount", "No new draws while a payment is overdue", "overdue"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_answer_is_shown_once_with_cards_steps_and_citations(sized_page: Any, servers: Any, lang: str) -> None:
    described, question, title, sentence, step, citation, word = OVERDUE[lang]
    page = open_ui(sized_page, servers, "demo-overdue", lang=lang)
    assert described in page.locator("#la-account-select option:checked").inner_text()
    answer = ask(page, question)
    text = answer.inner_text()
    assert text.count(sentence) == 1                          # the customer's own figures, once
    card = answer.locator(".la-card")
    assert card.locator(".la-card-title").inner_text() == title
    assert sentence in card.inner_text()
    assert answer.locator(".la-steplist li").first.inner_text().startswith(step)
    assert page.locator(".la-log > .la-bot").count() == 1      # one answer block (no greeting, no repeat)
    summary = answer.locator("summary", has_text=citation)
    section_text = answer.locator("details", has=page.locator("summary", has_text=citation)).locator("p")
    assert not section_text.is_visible()
    summary.click()
    assert section_text.is_visible() and word in section_text.inner_text()
    # The newest question heads the view, so the answer is read from its start.
    question_box = page.locator(".la-user").last.bounding_box()
    scroller = page.locator(".la-scroll").bounding_box()
    assert scroller["y"] <= question_box["y"] <= scroller["y"] + 40
    if sized_page.size == "desktop" and lang == "zh":
        sized_page.readme_screenshot("ui-desktop")
    assert sized_page.outside_loopback() == [] and servers.outbound == []


# A short, ambiguous message; the two readings the composer offers (label, message); the timeline's
# first moment, what it reaches, and the plan's closing sentence.
PLAN_CASE = {
    "zh": ("借不了", [("为什么借不出来", QUESTION), ("最多能借多少", "我现在最多能借多少")], "现在", "最多可借",
           "完成后最多可借 10,200 元。"),
    "en": ("can't borrow", [("Why I cannot borrow", "Why can't I borrow?"), ("How much I can borrow", "How much can I borrow now?")],
           "Now", "You can borrow up to", "Once done, you can borrow up to CNY 10,200."),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plan_is_a_timeline_and_clarify_choices_are_buttons(sized_page: Any, servers: Any, lang: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.models import ClarifyOption

    vague, readings, now, reach, closing = PLAN_CASE[lang]

    def extend(message: str, snapshot: Any, answer: Any) -> Any:
        if message == vague:  # the composer offers two readings
            answer = answer.model_copy(update={"clarify": [ClarifyOption(label=label, message=text)
                                                           for label, text in readings]})
        return with_plan(servers.services, snapshot, answer) if answer.intent == "cannot_borrow" else answer

    script_assistant(monkeypatch, servers.services, extend)
    page = open_ui(sized_page, servers, "demo-overdue", lang=lang)
    answer = ask(page, vague)
    choices = answer.locator(".la-clarify button")
    assert choices.all_inner_texts() == [label for label, _ in readings]
    choices.first.click()
    page.locator(".la-user", has_text=readings[0][1]).wait_for()
    latest = page.locator(".la-log .la-bot:not(.la-pending):not(.la-greeting)").nth(1)
    latest.wait_for()
    timeline = latest.locator(".la-timeline")
    nodes = timeline.locator("li")
    assert nodes.first.locator(".la-when").inner_text() == now
    assert "1,200" in nodes.first.inner_text()                          # repay the overdue 1,200 now
    assert reach in nodes.last.inner_text() and "10,200" in nodes.last.inner_text()
    assert latest.inner_text().count(closing) == 1                     # the plan's words, once
    assert page.locator(".la-clarify").count() == 0          # choices belong to the newest answer only
    assert sized_page.outside_loopback() == []


# A plan with a wait: the account, the question, the wait's moment, the goal's figure.
PLAN_WITH_WAIT = {
    "zh": ("最快什么时候能借5000", "现在", "2026年11月23日(周一) 09:00", "最多可借 7,200 元"),
    "en": ("What do I need to do to borrow 5,000?", "Now", "Mon 23 Nov 2026 09:00", "You can borrow up to CNY 7,200"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_with_a_wait_reads_from_now_to_the_day_it_can_borrow(sized_page: Any, servers: Any,
                                                                    lang: str) -> None:
    question, now, day, goal = PLAN_WITH_WAIT[lang]
    page = open_ui(sized_page, servers, "demo-multi", lang=lang)
    answer = ask(page, question)
    nodes = answer.locator(".la-timeline > li")
    assert nodes.locator(".la-when").all_inner_texts() == [now, day]     # one node per moment
    assert "1,200" in nodes.last.inner_text() and nodes.last.locator("span").last.inner_text() == goal
    assert "la-node-goal" in (nodes.last.get_attribute("class") or "")
    assert answer.locator(".la-card").count() == 3 and answer.locator(".la-timeline").inner_text().count(goal) == 1
    if sized_page.size == "mobile":
        answer.locator(".la-timeline").evaluate("(el) => el.scrollIntoView({block: 'center'})")
        sized_page.readme_screenshot("ui-mobile" if lang == "zh" else "ui-mobile-en")
    assert sized_page.outside_loopback() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hand_off_gives_one_short_case_number_however_often_it_is_asked(sized_page: Any, servers: Any,
                                                                         lang: str) -> None:
    page = open_ui(sized_page, servers, "demo-risk-hold", lang=lang)
    if lang == "zh":
        ask(page, QUESTION)            # after a question …
    tickets = handoff_count(servers)   # … or before any, in English: the page's language either way
    cases = page.locator(".la-case-id")
    page.locator("#la-handoff").click()
    cases.first.wait_for()
    assert inside_viewport(page, page.locator(".la-case").first)   # the view moves to the case number
    page.locator("#la-handoff").click()
    cases.nth(1).wait_for()
    first, second = cases.all_inner_texts()
    assert first == second and re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", first)
    assert handoff_count(servers) == tickets + 1
    assert inside_viewport(page, page.locator(".la-case").nth(1))
    handed = page.locator(".la-log .la-bot", has=page.locator(".la-case")).last
    if lang == "zh":
        assert "工单号" in handed.inner_text() and "人工" in handed.inner_text()
    else:
        assert "Case number" in handed.inner_text() and "support" in handed.inner_text()
        assert handed.get_attribute("lang") == "en"
        assert not re.search(r"[\u4e00-\u9fff]", page.locator(".la-log").inner_text())
    assert sized_page.outside_loopback() == []


def test_one_language_at_a_time_and_answers_keep_their_own(sized_page: Any, servers: Any) -> None:
    page = open_ui(sized_page, servers, "demo-healthy-en")
    page.locator(".la-lang-option", has_text="English").click()
    page.locator("#la-send", has_text="Send").wait_for()
    assert page.title() == "Credit line assistant"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#la-handoff").inner_text() == "Talk to a person"
    assert page.locator("#la-new").inner_text() == "New chat"
    assert "Demo mode" in page.locator(".la-top").inner_text()
    assert page.locator("#la-input textarea").get_attribute("placeholder") == "Ask about your credit line…"
    for control in ("#la-send", "#la-handoff", "#la-new"):          # longer English labels still fit
        assert inside_viewport(page, page.locator(control)), control
        assert page.locator(control).evaluate("(el) => el.scrollWidth <= el.clientWidth"), control
    option = page.locator("#la-account-select option:checked").inner_text()
    assert "Healthy account of an English-speaking customer" in option   # descriptions too
    assert not re.search(r"[\u4e00-\u9fff]", page.locator("body").inner_text().replace("中文", ""))
    assert "the credit line assistant" in page.locator(".la-greeting").inner_text()
    assert page.locator(".la-suggestion").all_inner_texts()[1] == "How much can I borrow now?"
    for control in (".la-top h1", "#la-account-select", ".la-langs", "#la-input textarea"):
        assert inside_viewport(page, page.locator(control)), control
    if sized_page.size == "desktop":   # title, language and account on one line, as in Chinese
        tops = [page.locator(c).bounding_box()["y"] for c in (".la-langs", "#la-account-select")]
        assert abs(tops[0] - tops[1]) < 12 and page.locator(".la-top").bounding_box()["height"] < 120
    english = ask(page, "How much can I borrow now?")
    assert "12,000" in english.inner_text() and "Sources (click to read)" in english.inner_text()
    if sized_page.size == "desktop":
        sized_page.readme_screenshot("ui-desktop-en")
    chinese = ask(page, "我现在最多能借多少")          # a Chinese question in the English page
    assert chinese.get_attribute("lang") == "zh-CN"
    assert "依据条款" in chinese.inner_text() and "Sources" not in chinese.inner_text()
    assert "Helpful" in chinese.locator(".la-feedback").inner_text()  # the page's own labels stay English
    # And the other way round: the Chinese page answers an English question in English.
    page.locator(".la-lang-option", has_text="中文").click()
    page.locator("#la-send", has_text="发送").wait_for()
    assert page.locator(".la-log .la-bot").first.get_attribute("lang") == "en"  # the conversation stays
    english = ask(page, "How much can I borrow now?")
    assert english.get_attribute("lang") == "en" and "Sources (click to read)" in english.inner_text()
    assert "有帮助" in english.locator(".la-feedback").inner_text() and "Helpful" not in english.inner_text()
    assert sized_page.outside_loopback() == []


def test_language_is_one_radio_group_and_one_tab_stop(sized_page: Any, servers: Any) -> None:
    page = open_ui(sized_page, servers)
    radios = page.locator("input[name='la-lang']")
    assert radios.count() == 2 and page.locator("fieldset.la-langs legend").count() == 1
    radios.nth(0).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "la-account-select"  # not the other radio
    radios.nth(0).focus()
    page.keyboard.press("ArrowRight")                                         # arrows move within the group
    page.locator("#la-send", has_text="Send").wait_for()
    assert page.evaluate("document.activeElement.value") == "en"              # focus stays on the group


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_failures_are_told_in_the_conversation_with_a_retry_and_the_question_kept(
        sized_page: Any, servers: Any, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    failing = {"on": True}

    def extend(message: str, snapshot: Any, answer: Any) -> Any:
        if failing["on"]:
            raise RuntimeError("the store went away")
        return answer

    question, sorry = {"zh": (QUESTION, "暂时没能回答"), "en": ("Why can't I borrow?", "I could not answer just now")}[lang]
    script_assistant(monkeypatch, servers.services, extend)
    page = open_ui(sized_page, servers, "demo-overdue", lang=lang)
    page.locator("#la-input textarea").fill(question)
    page.locator("#la-send").click()
    error = page.locator(".la-error")
    error.wait_for()
    assert sorry in error.inner_text() and "Traceback" not in error.inner_text() and "store" not in error.inner_text()
    assert page.locator(".la-user .la-bubble").last.inner_text() == question               # the question is kept
    failing["on"] = False
    error.locator("button.la-retry").click()
    page.locator(".la-log .la-card").first.wait_for()
    assert page.locator(".la-error").count() == 0 and page.locator(".la-user").count() == 1


def test_a_reload_keeps_the_tabs_conversation_and_only_that_tabs(sized_page: Any, servers: Any,
                                                                  browser: Any) -> None:
    page = open_ui(sized_page, servers, "demo-overdue", lang="en")
    ask(page, "Why can't I borrow?")
    page.reload()
    page.locator(".la-log .la-card").first.wait_for()
    assert page.locator(".la-user .la-bubble").all_inner_texts() == ["Why can't I borrow?"]
    assert page.locator("#la-account-select").input_value() == "demo-overdue"
    assert page.locator("#la-send").inner_text() == "Send"
    other = browser.new_context(viewport=page.viewport_size)           # another tab starts afresh
    try:
        fresh = other.new_page()
        fresh.goto(f"{servers.api_origin}/ui/")
        fresh.locator(".la-scroll[data-tab]").wait_for(state="attached")
        assert fresh.locator(".la-greeting").count() == 1 and fresh.locator(".la-user").count() == 0
    finally:
        other.close()
    page.locator("#la-new").click()
    page.locator(".la-greeting").wait_for()
    page.reload()
    page.locator(".la-scroll[data-tab]").wait_for(state="attached")
    assert page.locator(".la-greeting").count() == 1 and page.locator(".la-user").count() == 0


@pytest.fixture
def outage(servers: Any) -> Any:
    """The app behind a relay the test can take down (connections refused) and bring back."""
    from tests.browser.outage import relay

    gate = relay(servers.api_origin)
    yield gate
    gate.down()


# What the customer reads in the page's language when the server cannot be reached; the demo
# account; the suggested question sent while it is down, a figure of its answer; a typed one.
OFFLINE = {
    "zh": ("网络连接好像断了", "还是连不上服务器", "连接已恢复", "重试", "demo-overdue",
           "有额度为什么借不出来", "1,200", "我现在最多能借多少"),
    "en": ("The connection seems to be down", "Still no connection", "The connection is back", "Try again",
           "demo-healthy-en", "How much can I borrow now?", "12,000", "Why can't I borrow although I have a limit?"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_the_server_down_the_question_is_kept_and_retried_in_the_conversation(
        sized_page: Any, servers: Any, outage: Any, lang: str) -> None:
    offline, again, back, retry, account, suggestion, figure, typed = OFFLINE[lang]
    plain = {"zh": "刚才的操作没有完成", "en": "that did not go through"}[lang]
    page = sized_page.page
    page.goto(f"{outage.origin}/ui/?lang={lang}")
    page.locator(".la-scroll[data-tab]").wait_for(state="attached")
    page.select_option("#la-account-select", account)
    page.locator(f"#la-account-select option[value='{account}'][selected]").wait_for(state="attached")
    box = page.locator("#la-input textarea")
    note = page.locator(".la-log .la-offline")

    outage.down()                                                  # a suggested question, server gone
    page.locator(".la-suggestion", has_text=suggestion).click()
    note.wait_for()
    assert note.locator("[role='alert'] p").inner_text().startswith(offline)
    assert box.input_value() == suggestion                         # kept in the box, ready to go again
    assert page.locator(".la-user").count() == 0
    shown = page.locator("body").inner_text()                      # gradio's English toast stays hidden
    assert "Connection lost" not in shown and "Connection to the server" not in shown and "Error" not in shown
    assert inside_viewport(page, note.locator("button.la-retry")) and inside_viewport(page, box)
    assert axe_findings(page) == [] and small_targets(page) == []
    note.locator("button.la-retry", has_text=retry).click()        # still down: said so, still kept
    page.locator(".la-offline", has_text=again).wait_for()
    assert box.input_value() == suggestion
    sized_page.screenshot(f"ui-offline-{lang}-{sized_page.size}")

    outage.up()
    note.locator("button.la-retry").click()                        # back: the kept question is sent
    answers = page.locator(".la-log .la-bot:not(.la-pending):not(.la-greeting):not(.la-offline)")
    answer = answers.first
    # gradio's client reloads the page itself once the server is back; when that reload wins the
    # race with the retry's own, the question is put back in the box under "the connection is
    # back", one press from being sent (CI, session 29: nothing was lost, the answer never came).
    back_note = page.locator(".la-offline", has_text=back)
    answer.or_(back_note).wait_for()
    if back_note.count():
        assert box.input_value() == suggestion
        back_note.locator("button.la-retry").click()
    answer.wait_for()
    assert figure in answer.inner_text()
    assert page.locator(".la-user .la-bubble").all_inner_texts() == [suggestion]
    assert page.locator("#la-account-select").input_value() == account and box.input_value() == ""
    assert note.count() == 0

    # A typed question while the server is away; gradio reloads the page once it is back: the
    # conversation is still there, the question waits in the box, and one press sends it.
    outage.down()
    box.fill(typed)
    box.press("Enter")
    note.wait_for()
    outage.up()
    page.locator(".la-offline", has_text=back).wait_for()
    assert page.locator(".la-user .la-bubble").all_inner_texts() == [suggestion]
    assert figure in answers.first.inner_text()
    assert box.input_value() == typed
    note.locator("button.la-retry", has_text=retry).click()
    answers.nth(1).wait_for()
    assert page.locator(".la-user .la-bubble").all_inner_texts() == [suggestion, typed]
    assert note.count() == 0 and page.locator(".la-error").count() == 0

    # "Talk to a person" while the server is away: said so, with no question to promise back.
    outage.down()
    page.locator("#la-handoff").click()
    note.wait_for()
    assert plain in note.inner_text() and box.input_value() == ""
    outage.up()
    note.locator("button.la-retry").click()                        # back: the page reloads, as it was
    note.wait_for(state="detached")
    page.locator(".la-scroll[data-tab]").wait_for(state="attached")
    page.locator("#la-handoff").click()
    page.locator(".la-case-id").wait_for()
    assert page.locator(".la-user .la-bubble").all_inner_texts() == [suggestion, typed]
    assert sized_page.outside_loopback() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_message_box_has_a_limit_a_counter_and_no_jargon(sized_page: Any, servers: Any, lang: str) -> None:
    page = open_ui(sized_page, servers, "demo-overdue", lang=lang)
    box = page.locator("#la-input textarea")
    assert box.get_attribute("maxlength") == "2000"
    box.fill("借" * 1990)
    counter = page.locator("#la-counter")
    assert counter.locator(".la-count").inner_text() == "1990/2000" and "la-near" in (counter.get_attribute("class") or "")
    words = "已输入 1990 个字，最多 2000 个字" if lang == "zh" else "1990 of at most 2000 characters"
    assert counter.locator(".la-sr").text_content() == words     # what a screen reader hears
    box.fill("借" * 3600)
    assert len(box.input_value()) <= 2000   # the browser keeps to the limit
    page.locator("#la-send").click()
    page.locator(".la-log .la-bot:not(.la-pending):not(.la-greeting)").first.wait_for(
        timeout=REPLY_THAT_MAY_BUILD_THE_INDEX_MS)
    body = page.locator("body").inner_text()
    said = page.locator("#la-conversation").inner_text()
    assert "String should" not in body and "422" not in body and "characters" not in said
    assert page.locator("#la-counter .la-count").inner_text() == "0/2000"


def test_feedback_is_stored(sized_page: Any, servers: Any) -> None:
    page = open_ui(sized_page, servers, "demo-risk-hold")
    answer = ask(page, QUESTION)
    before = feedback_rows(servers)
    answer.locator("button.la-rate", has_text="没帮助").click()
    answer = page.locator(".la-log .la-bot:not(.la-greeting)").last
    answer.locator("button.la-rate[aria-pressed='true']", has_text="没帮助").wait_for()
    rows = feedback_rows(servers)
    assert len(rows) == len(before) + 1 and rows[-1][1:] == (1, "down")


def test_ui_meets_wcag_aa_by_axe_focus_and_target_size(sized_page: Any, servers: Any) -> None:
    page = open_ui(sized_page, servers, "demo-overdue")
    assert axe_findings(page) == [], "empty chat"
    answer = ask(page, QUESTION)
    answer.locator("summary").first.click()
    assert axe_findings(page) == [], "with an answer"
    assert small_targets(page) == []
    page.keyboard.press("Shift")  # from now on focus is keyboard focus (:focus-visible)
    for control in ("#la-input textarea", "#la-send", "#la-handoff", "#la-new", "#la-account-select", ".la-scroll",
                    ".la-log summary", ".la-rate"):
        page.locator(control).first.focus()
        assert has_visible_focus(focus_ring(page.locator(control).first)), control
    page.locator("input[name='la-lang']:checked").focus()
    ring = focus_ring(page.locator("input[name='la-lang']:checked + span"))
    assert has_visible_focus(ring)
    page.locator(".la-lang-option", has_text="English").click()
    page.locator("#la-send", has_text="Send").wait_for()
    assert axe_findings(page) == [], "in English"
