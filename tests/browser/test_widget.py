"""The embeddable widget on examples/host-page.html, served from a second origin, in real Chromium."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.browser

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
    assert computed(launcher, "background-color") == "rgb(22, 119, 255)"
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
