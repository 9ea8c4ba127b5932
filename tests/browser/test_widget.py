"""The embeddable widget on examples/host-page.html, served from a second origin, in real Chromium."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.pages import (
    axe_findings,
    focus_ring,
    has_visible_focus,
    inside_viewport,
    script_assistant,
    small_targets,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDGET = "limit-assistant-widget"
QUESTION = "有额度为什么借不出来"
CITATION_TITLE = "逾期未还时不能借款"
# Installed before any page script (through the DevTools protocol, so the page's CSP allows it).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""
HOST_STYLE_PROBES = {
    "h1.brand": ("color", "font-size", "font-family"),
    ".host-cta": ("background-color", "color", "text-transform"),
    "body": ("background-color", "font-size", "margin-top"),
}


def host_styles(page: Any) -> dict[str, str]:
    """Computed styles of some host elements, to prove the widget changed none of them."""
    return page.evaluate(
        """(probes) => Object.fromEntries(Object.entries(probes).flatMap(([selector, props]) => {
             const style = getComputedStyle(document.querySelector(selector));
             return props.map((p) => [selector + " " + p, style.getPropertyValue(p)]);
           }))""",
        HOST_STYLE_PROBES,
    )


def computed(locator: Any, prop: str) -> str:
    return str(locator.evaluate("(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop))


def stored_conversation(page: Any) -> str | None:
    return page.evaluate(
        """() => { for (let i = 0; i < sessionStorage.length; i++) {
                     const key = sessionStorage.key(i);
                     if (key.startsWith("limit-assistant:")) return JSON.parse(sessionStorage.getItem(key)).conversationId;
                   } return null; }"""
    )


def open_host_page(recorded: Any, servers: Any) -> Any:
    page = recorded.page
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(f"{servers.host_origin}/host-page.html")
    page.locator(f"{WIDGET} .la-launcher").wait_for()
    return page


def test_widget_answers_streams_and_keeps_the_conversation_across_a_reload(recorded_page: Any, servers: Any) -> None:
    page = open_host_page(recorded_page, servers)
    assert servers.host_origin != servers.api_origin
    before = host_styles(page)
    page.locator(f"{WIDGET} .la-launcher").click()
    panel = page.locator(f"{WIDGET} .la-panel")
    assert panel.is_visible()

    page.locator(f"{WIDGET} .la-input").fill(QUESTION)
    with page.expect_response(f"{servers.api_origin}/api/chat") as response_info:
        page.locator(f"{WIDGET} .la-input").press("Enter")
    assert response_info.value.headers["content-type"].startswith("text/event-stream")
    source = page.locator(f"{WIDGET} .la-source summary", has_text=CITATION_TITLE)
    source.wait_for()
    answer = page.locator(f"{WIDGET} .la-bot .la-bubble").last.inner_text()
    assert "1,200" in answer and "逾期" in answer
    source.click()
    assert "逾期" in page.locator(f"{WIDGET} .la-source p").first.inner_text()
    conversation_id = stored_conversation(page)
    assert conversation_id
    recorded_page.screenshot("widget-answer")

    page.reload()
    page.locator(f"{WIDGET} .la-panel").wait_for()  # it was open: it reopens, with the transcript
    assert "1,200" in page.locator(f"{WIDGET} .la-bot .la-bubble").nth(1).inner_text()
    assert stored_conversation(page) == conversation_id
    page.locator(f"{WIDGET} .la-input").fill("那3000呢")
    page.locator(f"{WIDGET} .la-send").click()
    page.locator(f"{WIDGET} .la-bot .la-bubble").nth(2).wait_for()
    page.locator(f"{WIDGET} .la-send:not([disabled])").wait_for()
    assert json.loads(recorded_page.chat_bodies[-1])["conversation_id"] == conversation_id
    assert stored_conversation(page) == conversation_id
    recorded_page.screenshot("widget-after-reload")

    assert host_styles(page) == before
    assert page.evaluate("window.__cspViolations") == []
    assert not any(url.endswith("/widget.css") for url in recorded_page.urls)  # constructed sheet, no fallback
    assert recorded_page.outside_loopback() == []


def test_host_css_cannot_reach_the_widget_and_the_widget_leaves_the_host_alone(recorded_page: Any, servers: Any) -> None:
    page = open_host_page(recorded_page, servers)
    # The host's hostile rules hold on its own elements …
    assert computed(page.locator("h1.brand"), "color") == "rgb(0, 128, 0)"
    assert computed(page.locator(".host-cta"), "background-color") == "rgb(255, 0, 0)"
    assert "Comic Sans" in computed(page.locator(".host-cta"), "font-family")
    # … and none of them reach inside the widget.
    launcher = page.locator(f"{WIDGET} .la-launcher")
    assert computed(launcher, "background-color") == "rgb(11, 87, 208)"  # #0b57d0: white on it is 6.3:1
    assert computed(launcher, "text-transform") == "none"
    assert "Comic Sans" not in computed(launcher, "font-family")
    assert computed(launcher, "border-top-style") == "none"
    host_element = page.locator(WIDGET)
    assert computed(host_element, "position") == "fixed" and computed(host_element, "transform") == "none"
    box = launcher.bounding_box()
    viewport = page.viewport_size
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"]
    assert box["x"] > viewport["width"] / 2  # bottom right, where the host put nothing

    launcher.click()
    page.locator(f"{WIDGET} .la-panel").wait_for()
    assert computed(page.locator(f"{WIDGET} .la-input"), "background-color") == "rgb(255, 255, 255)"
    # The page's own markup and global names are untouched: one custom element, one global.
    assert page.evaluate(f"document.querySelectorAll('{WIDGET}').length") == 1
    assert page.evaluate("document.querySelectorAll('body style, head style').length") == 1
    assert page.evaluate("typeof window.LimitAssistantWidget") == "object"
    csp = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.evaluate("window.__cspViolations") == []
    recorded_page.screenshot("widget-isolation")
    assert recorded_page.outside_loopback() == []


def test_widget_hands_off_to_a_person(recorded_page: Any, servers: Any) -> None:
    page = open_host_page(recorded_page, servers)
    page.locator(f"{WIDGET} .la-launcher").click()
    page.locator(f"{WIDGET} .la-input").fill(QUESTION)
    page.locator(f"{WIDGET} .la-send").click()
    page.locator(f"{WIDGET} .la-source").first.wait_for()
    bubbles = page.locator(f"{WIDGET} .la-bot .la-bubble")
    count = bubbles.count()
    with page.expect_response(f"{servers.api_origin}/api/handoff") as handoff:
        page.locator(f"{WIDGET} .la-handoff").click()
    assert handoff.value.ok
    body = handoff.value.json()
    assert body["handoff"] is True and body["handoff_id"]
    bubbles.nth(count).wait_for()
    assert "人工" in bubbles.nth(count).inner_text()
    recorded_page.screenshot("widget-handoff")
    assert recorded_page.outside_loopback() == []


def test_widget_demo_page_works_under_its_own_strict_csp(recorded_page: Any, servers: Any) -> None:
    page = recorded_page.page
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.goto(f"{servers.api_origin}/widget/demo?account=demo-healthy-en&lang=en")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(f"{WIDGET} .la-launcher").click()
    assert page.locator(f"{WIDGET} .la-handoff").inner_text() == "Talk to a person"
    page.locator(f"{WIDGET} .la-input").fill("How much can I borrow now?")
    page.locator(f"{WIDGET} .la-send").click()
    page.locator(f"{WIDGET} .la-source").first.wait_for()
    assert "12,000" in page.locator(f"{WIDGET} .la-bot .la-bubble").last.inner_text()
    assert page.evaluate("window.__cspViolations") == []
    recorded_page.screenshot("widget-demo-page-en")
    assert recorded_page.outside_loopback() == []


def open_widget(recorded: Any, servers: Any, query: str = "account=demo-overdue") -> Any:
    page = recorded.page
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(f"{servers.api_origin}/widget/demo?{query}")
    page.locator(f"{WIDGET} .la-launcher").click()
    page.locator(f"{WIDGET} .la-panel").wait_for()
    return page


def send(page: Any, text: str) -> Any:
    bots = page.locator(f"{WIDGET} .la-bot:not(.la-pending)")
    before = bots.count()
    page.locator(f"{WIDGET} .la-input").fill(text)
    page.locator(f"{WIDGET} .la-send").click()
    bots.nth(before).wait_for()
    return bots.last


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_widget_is_a_modal_dialog_that_escape_closes_and_returns_focus(sized_page: Any, servers: Any,
                                                                       lang: str) -> None:
    page = open_widget(sized_page, servers, f"account=demo-overdue&lang={lang}")
    panel = page.locator(f"{WIDGET} .la-panel")
    assert panel.get_attribute("role") == "dialog" and panel.get_attribute("aria-modal") == "true"
    title = {"zh": "借呗额度助手", "en": "Credit line assistant"}[lang]   # the configured product
    assert page.locator(f"{WIDGET} #la-title").inner_text() == title
    assert title.lower() in page.locator(f"{WIDGET} .la-bot .la-bubble").first.inner_text().lower()
    shown = page.locator(f"{WIDGET} .la-panel").inner_text()
    other = r"[\u4e00-\u9fff]" if lang == "en" else r"[A-Za-z]{3,}"      # one language at a time
    assert not re.search(other, shown), shown
    active = "document.querySelector('limit-assistant-widget').shadowRoot.activeElement"
    assert page.evaluate(f"{active}.className") == "la-input"
    for _ in range(12):  # Tab never leaves the dialog
        page.keyboard.press("Tab")
        assert page.evaluate(f"!!{active} && !!{active}.closest('.la-panel')")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.evaluate(f"{active}.className") == "la-launcher"
    assert page.locator(f"{WIDGET} .la-launcher").get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_widget_fills_a_small_screen_and_floats_on_a_large_one(sized_page: Any, servers: Any, lang: str) -> None:
    page = open_widget(sized_page, servers, f"account=demo-overdue&lang={lang}")
    box = page.locator(f"{WIDGET} .la-panel").bounding_box()
    view = page.viewport_size
    if sized_page.size == "mobile":
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, view["width"], view["height"])
    else:
        assert box["width"] <= 400 and box["x"] > view["width"] / 2
    for part in (".la-title", ".la-close", ".la-handoff", ".la-input", ".la-send"):
        assert inside_viewport(page, page.locator(f"{WIDGET} {part}")), part
    answer = send(page, QUESTION if lang == "zh" else "Why can't I borrow?")
    assert "1,200" in answer.inner_text()
    for part in (".la-title", ".la-close", ".la-handoff"):                  # the header still fits
        target = page.locator(f"{WIDGET} {part}")
        assert inside_viewport(page, target) and target.evaluate("(el) => el.scrollWidth <= el.clientWidth"), part
    if lang == "zh":
        sized_page.readme_screenshot(f"widget-{sized_page.size}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_widget_answers_are_read_from_their_start_with_their_sources_once(sized_page: Any, servers: Any,
                                                                         lang: str) -> None:
    account, question, figure, sources = {
        "zh": ("demo-multi", QUESTION, "1,200", "依据："),
        "en": ("demo-multi", "Why can't I borrow?", "CNY 1,200", "Sources:"),
    }[lang]
    page = open_widget(sized_page, servers, f"account={account}&lang={lang}")
    answer = send(page, question)
    assert figure in answer.inner_text()
    bubble = answer.locator(".la-bubble").inner_text()
    assert sources not in bubble                                # the titles are listed once, below it
    assert answer.locator(".la-source summary").count() >= 2
    messages = page.locator(f"{WIDGET} .la-messages").bounding_box()
    asked = page.locator(f"{WIDGET} .la-user").last.bounding_box()
    assert messages["y"] <= asked["y"] <= messages["y"] + 40   # the question heads the view
    assert page.locator(f"{WIDGET} .la-root").get_attribute("lang") == ("en" if lang == "en" else "zh-CN")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_widget_failures_are_localised_with_a_retry_and_the_question_kept(sized_page: Any, servers: Any,
                                                                          lang: str) -> None:
    question, offline, retry = {"zh": (QUESTION, "网络连接好像断了", "重试"),
                                "en": ("Why can't I borrow?", "The connection seems to be down", "Try again")}[lang]
    page = open_widget(sized_page, servers, f"account=demo-overdue&lang={lang}")
    page.route("**/api/chat", lambda route: route.abort("internetdisconnected"))
    page.locator(f"{WIDGET} .la-input").fill(question)
    page.locator(f"{WIDGET} .la-send").click()
    error = page.locator(f"{WIDGET} .la-error")
    error.wait_for()
    assert offline in error.inner_text() and "Failed to fetch" not in error.inner_text()
    assert page.locator(f"{WIDGET} .la-user .la-bubble").last.inner_text() == question
    page.unroute("**/api/chat")
    error.locator(".la-retry", has_text=retry).click()
    page.locator(f"{WIDGET} .la-source").first.wait_for()
    assert page.locator(f"{WIDGET} .la-error").count() == 0
    assert "1,200" in page.locator(f"{WIDGET} .la-bot .la-bubble").last.inner_text()


def test_widget_never_shows_validation_jargon(sized_page: Any, servers: Any) -> None:
    page = open_widget(sized_page, servers, "account=demo-healthy-en&lang=en")
    assert page.locator(f"{WIDGET} .la-input").get_attribute("maxlength") == "2000"
    page.locator(f"{WIDGET} .la-input").fill("x" * 1995)
    assert page.locator(f"{WIDGET} .la-counter .la-count").inner_text() == "1995/2000"
    assert page.locator(f"{WIDGET} .la-counter .la-sr").text_content() == "1995 of at most 2000 characters"
    # What the API answers to an over-long message (422), as another client could trigger it.
    jargon = json.dumps({"error": {"code": "invalid_request", "message": "message: String should have at most 2000 characters"}})
    page.route("**/api/chat", lambda route: route.fulfill(status=422, body=jargon, content_type="application/json"))
    page.locator(f"{WIDGET} .la-send").click()
    error = page.locator(f"{WIDGET} .la-error")
    error.wait_for()
    assert error.inner_text() == "Sorry, I could not read that message. Please put it another way."
    assert page.locator(f"{WIDGET} .la-retry").count() == 0


def test_widget_offers_clarify_choices_and_one_case_number(sized_page: Any, servers: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.models import ClarifyOption

    def extend(message: str, snapshot: Any, answer: Any) -> Any:
        if message == "借不了":
            return answer.model_copy(update={"clarify": [ClarifyOption(label="为什么借不出来", message=QUESTION)]})
        return answer

    script_assistant(monkeypatch, servers.services, extend)
    page = open_widget(sized_page, servers, "account=demo-risk-hold")
    send(page, "借不了")
    page.locator(f"{WIDGET} .la-choice", has_text="为什么借不出来").click()
    page.locator(f"{WIDGET} .la-user .la-bubble", has_text=QUESTION).wait_for()
    cases = page.locator(f"{WIDGET} .la-case-id")
    page.locator(f"{WIDGET} .la-handoff:not([disabled])").click()
    cases.first.wait_for()
    page.locator(f"{WIDGET} .la-handoff:not([disabled])").click()
    cases.nth(1).wait_for()
    first, second = cases.all_inner_texts()
    assert first == second and len(first) == 11


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_widget_meets_wcag_aa_by_axe_focus_and_target_size(sized_page: Any, servers: Any, lang: str) -> None:
    page = open_widget(sized_page, servers, f"account=demo-overdue&lang={lang}")
    send(page, QUESTION if lang == "zh" else "Why can't I borrow?")
    page.locator(f"{WIDGET} .la-source summary").first.click()
    assert axe_findings(page) == []
    assert small_targets(page, shadow_host=WIDGET) == []
    page.keyboard.press("Shift")
    for part in (".la-input", ".la-send", ".la-close", ".la-handoff", ".la-source summary", ".la-feedback button"):
        target = page.locator(f"{WIDGET} {part}").first
        target.focus()
        assert has_visible_focus(focus_ring(target)), part
    page.keyboard.press("Escape")
    launcher = page.locator(f"{WIDGET} .la-launcher")
    assert has_visible_focus(focus_ring(launcher))
    assert axe_findings(page) == []
    assert page.evaluate("window.__cspViolations") == []
