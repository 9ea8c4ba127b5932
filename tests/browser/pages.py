"""Helpers of the browser tests (kept beside them until tests/helpers/ lands as a package): axe-core, target sizes, focus rings, viewport
checks, and a scripted assistant for parts a test must be sure to see (a plan, clarify choices,
a failure)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

# What axe-core must not find (WCAG 2.x A/AA and best practices, every rule axe runs by default).
# Issue 16 asks for no serious or critical finding; the pages have none of any impact, and keep it so.
BLOCKING_IMPACTS = ("minor", "moderate", "serious", "critical")
MIN_TARGET_PX = 44

# Every element a person can click or tap, in the page and inside open shadow roots.
_TARGETS_JS = """
([selector, scope]) => {
  const found = [];
  const visit = (root) => {
    root.querySelectorAll(selector).forEach((el) => found.push(el));
    root.querySelectorAll('*').forEach((el) => { if (el.shadowRoot) visit(el.shadowRoot); });
  };
  visit(scope ? document.querySelector(scope).shadowRoot : document);
  return found.filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map((el) => {
      const box = el.getBoundingClientRect();
      return {what: el.tagName.toLowerCase() + '.' + (el.className || '') + ' ' + (el.textContent || '').trim().slice(0, 20),
              width: Math.round(box.width), height: Math.round(box.height)};
    });
}
"""
TARGETS = "button, select, summary, a[href], textarea, input:not([type=radio]), label:has(> input[type=radio]) > span"


def axe_findings(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations (BLOCKING_IMPACTS) on the page as it is now (offline: the
    axe.min.js bundled in axe-playwright-python), each with its rule, impact and targets."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [node["target"] for node in v["nodes"]][:5]}
            for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def axe_version(page: Any) -> str:
    return str(page.evaluate("window.axe && window.axe.version"))


def small_targets(page: Any, selector: str = TARGETS, *, shadow_host: str | None = None) -> list[dict[str, Any]]:
    """Visible click targets smaller than 44×44 CSS px (shadow roots included; only inside
    `shadow_host`'s shadow root when given: a host page's inline links are not ours)."""
    return [t for t in page.evaluate(_TARGETS_JS, [selector, shadow_host])
            if t["width"] < MIN_TARGET_PX or t["height"] < MIN_TARGET_PX]


def focus_ring(locator: Any) -> dict[str, str]:
    """The outline (or box-shadow) an element shows while focused from the keyboard."""
    return dict(locator.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return {style: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"))


def has_visible_focus(ring: dict[str, str]) -> bool:
    width = float(ring["width"].removesuffix("px") or 0)
    return (ring["style"] not in ("none", "") and width >= 2) or ring["shadow"] not in ("none", "")


def inside_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    view = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= view["width"] + 0.5 and box["y"] + box["height"] <= view["height"] + 0.5)


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


def script_assistant(monkeypatch: pytest.MonkeyPatch, services: Any,
                     extend: Callable[[str, Any, Any], Any]) -> None:
    """Replace `services.assistant.ask` by the real one whose answer `extend(message, snapshot,
    answer)` may change (add a plan or clarify choices, or raise to simulate a failure)."""
    assistant = services.assistant
    real_ask = assistant.ask

    def ask(message: str, snapshot: Any, **kwargs: Any) -> Any:
        turn = real_ask(message, snapshot, **kwargs)
        return dataclasses.replace(turn, result=extend(message, snapshot, turn.result))

    monkeypatch.setattr(assistant, "ask", ask)


def with_plan(services: Any, snapshot: Any, answer: Any) -> Any:
    """The answer with its recourse plan (CONTRACT section 9), as the composer adds it to a borrow
    answer that is not allowed, if it does not carry one already."""
    if answer.plan is not None:
        return answer
    from assistant.answers.plan_text import plan_sentences
    from assistant.models import PlanView
    from tools.plan import plan

    result = plan(snapshot, None, services.policy, None, None)
    sentences = plan_sentences(result, answer.lang, services.settings.product_name_zh
                               if answer.lang == "zh" else services.settings.product_name_en)
    return answer.model_copy(update={"plan": PlanView(data=result.to_data(), sentences=sentences),
                                     "answer": answer.answer + "\n" + "".join(sentences)})
