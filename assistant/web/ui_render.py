"""The chat UI's HTML: the conversation, each answer rendered from its typed parts.

Pure functions of the answer's parts (`Answer.parts_view()`) and the page's own labels
(ui_texts.yaml), so they are tested without gradio or a browser. Nothing here writes a sentence
of an answer: the composer did. An answer is shown once, in its own order: its lines as written,
except that a line the parts also carry is shown as that part instead — reason sentences become
reason cards, step lines become steps with their times, cap lines a list of caps, the plan's
sentences the plan with its timeline, the "依据/Sources" line the citations that expand. A part
the text does not mention is added after the text, under a heading in the answer's language.
Every value is HTML-escaped; buttons carry `data-action` for the page's one click handler.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.answers.format import money, when

TEXTS_FILE = Path(__file__).resolve().parent / "ui_texts.yaml"
_LIST_MARKER = re.compile(r"^\s*(?:\d+[.、．)）]|[-•*·])\s*")
_LABEL_PREFIX = re.compile(r"^[^：:《“\"]{1,16}[：:]\s*")
_PUNCTUATION = re.compile(r"[\s《》“”\"'、，,;；。.]+")
PART_ORDER = ("reasons", "caps", "steps", "plan", "sources")
# Drawn, not emoji: a host without an emoji font would show empty boxes.
_THUMB = ('<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"{flip}><path d="M2 21h4V9H2v12zm20-11'
          'c0-1.1-.9-2-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 7.9 6 8.4 6 9v10c0 1.1.9 2 2 2h9'
          'c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"/></svg>')
THUMB_UP = _THUMB.format(flip="")
THUMB_DOWN = _THUMB.format(flip=' transform="rotate(180)"')

Message = dict[str, Any]


@lru_cache(maxsize=1)
def _all_texts() -> dict[str, dict[str, Any]]:
    texts: dict[str, dict[str, Any]] = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    return texts


def ui_lang(lang: str | None) -> str:
    return "en" if lang == "en" else "zh"


def ui_text(lang: str | None, key: str, **values: Any) -> Any:
    """One label of the UI in `lang` (zh/en), placeholders filled."""
    value = _all_texts()[ui_lang(lang)][key]
    return value.format(**values) if isinstance(value, str) and values else value


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


# -- the conversation ---------------------------------------------------------------------------


def render_log(messages: list[Message], lang: str, product: str) -> str:
    """The whole conversation; an empty one greets and offers suggested questions."""
    t = _Labels(lang)
    items = [_greeting(t, product)] if not messages else []
    last_bot = max((i for i, m in enumerate(messages) if m["role"] == "bot"), default=-1)
    for index, message in enumerate(messages):
        items.append(_message(message, index, t, latest=index == last_bot))
    return (f'<ol class="la-log" aria-label="{esc(t("conversation"))}" lang="{esc(t("lang_tag"))}">'
            + "".join(items) + "</ol>")


def _greeting(t: _Labels, product: str) -> str:
    buttons = "".join(_button("send", q, "la-suggestion", message=q) for q in t("suggestions"))
    return (f'<li class="la-msg la-bot la-greeting"><div class="la-bubble"><p>{esc(t("greeting", product=product))}</p>'
            f'<div class="la-suggestions" role="group" aria-label="{esc(t("suggestions_label"))}">'
            f'<p class="la-muted">{esc(t("suggestions_label"))}</p>{buttons}</div></div></li>')


def _message(message: Message, index: int, t: _Labels, *, latest: bool) -> str:
    role = message["role"]
    if role == "user":
        return (f'<li class="la-msg la-user"><span class="la-sr">{esc(t("you"))}: </span>'
                f'<div class="la-bubble">{esc(message["text"])}</div></li>')
    if role == "pending":
        return (f'<li class="la-msg la-bot la-pending" aria-busy="true"><div class="la-bubble">'
                f'<p>{esc(t("thinking"))}</p></div></li>')
    if role == "error":
        retry = _button("retry", t("retry"), "la-retry", index=index) if message.get("retry") else ""
        return (f'<li class="la-msg la-bot la-error"><div class="la-bubble" role="alert">'
                f'<p>{esc(t(message["key"], **message.get("values", {})))}</p>{retry}</div></li>')
    parts = message["parts"]
    answer_t = _Labels(parts.get("lang") or t.lang)  # the answer's own language, for its headings
    feedback = _feedback(message, t) if message.get("turn") is not None else ""
    return (f'<li class="la-msg la-bot" lang="{esc(answer_t("lang_tag"))}">'
            f'<span class="la-sr">{esc(t("assistant"))}: </span>'
            f'<div class="la-bubble">{render_answer(parts, answer_t.lang, clarify=latest)}</div>{feedback}</li>')


def _feedback(message: Message, t: _Labels) -> str:
    buttons = []
    for rating, icon, key in (("up", THUMB_UP, "like"), ("down", THUMB_DOWN, "dislike")):
        pressed = "true" if message.get("rating") == rating else "false"
        buttons.append(f'<button type="button" class="la-rate" data-action="rate" data-turn="{esc(message["turn"])}" '
                       f'data-rating="{rating}" aria-pressed="{pressed}">{icon}'
                       f'{esc(t(key))}</button>')
    thanks = f'<span class="la-muted">{esc(t("feedback_thanks"))}</span>' if message.get("rating") else ""
    return f'<div class="la-feedback" role="group" aria-label="{esc(t("feedback"))}">{"".join(buttons)}{thanks}</div>'


def _button(action: str, label: str, css: str, **data: Any) -> str:
    attrs = "".join(f' data-{name}="{esc(value)}"' for name, value in data.items())
    return f'<button type="button" class="{css}" data-action="{action}"{attrs}>{esc(label)}</button>'


# -- one answer -----------------------------------------------------------------------------------


def render_answer(parts: dict[str, Any], lang: str | None = None, *, clarify: bool = True) -> str:
    """One answer as HTML: its text in order, with each line the parts carry shown as that part."""
    t = _Labels(parts.get("lang") or lang)
    renderers: dict[str, Callable[[bool], str]] = {
        "reasons": lambda titled: _reasons(parts, t, titled),
        "caps": lambda titled: _caps(parts, t, titled),
        "steps": lambda titled: _steps(parts, t, titled),
        "plan": lambda titled: _plan(parts, t),
        "sources": lambda titled: _sources(parts, t),
    }
    blocks, shown = [], set()
    for line in str(parts.get("answer") or "").splitlines():
        if not line.strip():
            continue
        kind = line_part(line, parts)
        if kind is None:
            blocks.append(f"<p>{esc(line.strip())}</p>")
        elif kind not in shown:
            shown.add(kind)
            blocks.append(renderers[kind](False))
    blocks += [renderers[kind](True) for kind in PART_ORDER if kind not in shown]
    blocks.append(_handoff(parts, t))
    if clarify:
        blocks.append(_clarify(parts, t))
    return "".join(block for block in blocks if block)


def line_part(line: str, parts: dict[str, Any]) -> str | None:
    """Which part of the answer a line of its text states, if any (exact matches only)."""
    text = line.strip()
    item = _LIST_MARKER.sub("", text, count=1)
    if any(item == r.get("sentence") or text == r.get("sentence") for r in parts.get("reasons") or []):
        return "reasons"
    if _caps_shown(parts) and any(item == c.get("label") for c in parts.get("caps") or []):
        return "caps"
    for step in parts.get("steps") or []:
        label = step.get("label") or ""
        eta = step.get("eta_text")
        times = {"", f"（{eta}）", f"({eta})", f" ({eta})"} if eta else {""}
        if label and item.startswith(label) and item[len(label):].strip() in times:
            return "steps"
    if _is_plan_line(text, parts):
        return "plan"
    if _is_sources_line(text, parts):
        return "sources"
    return None


def _is_plan_line(text: str, parts: dict[str, Any]) -> bool:
    sentences = [s for s in parts.get("plan_sentences") or [] if s]
    if not sentences or not any(s in text for s in sentences):
        return False
    rest = text
    for sentence in sentences:
        rest = rest.replace(sentence, "")
    return not rest.strip()


def _is_sources_line(text: str, parts: dict[str, Any]) -> bool:
    titles = [str(s["title"]) for s in _sections(parts) if s.get("title")]
    if not titles or not any(title in text for title in titles):
        return False
    rest = _LABEL_PREFIX.sub("", text, count=1)
    for title in sorted(titles, key=len, reverse=True):
        rest = rest.replace(title, "")
    return not _PUNCTUATION.sub("", rest)


def _sections(parts: dict[str, Any]) -> list[dict[str, Any]]:
    return list(parts.get("sections") or parts.get("citations") or [])


def _caps_shown(parts: dict[str, Any]) -> bool:
    """Caps matter when something can be drawn; to a customer who cannot borrow they mislead."""
    try:
        return float(parts.get("max_amount_now") or 0) > 0
    except (TypeError, ValueError):
        return False


# -- the parts ----------------------------------------------------------------------------------


def _section(kind: str, heading: str, body: str, titled: bool) -> str:
    label = f"<h2>{esc(heading)}</h2>" if titled else ""
    aria = "" if titled else f' aria-label="{esc(heading)}"'
    return f'<section class="la-part la-{kind}"{aria}>{label}{body}</section>'


def _reasons(parts: dict[str, Any], t: _Labels, titled: bool) -> str:
    cards = [f'<li class="la-card la-{esc(r.get("severity", "info"))}"><p class="la-card-title">{esc(r["title"])}</p>'
             f'<p>{esc(r["sentence"])}</p></li>' for r in parts.get("reasons") or []]
    return _section("reasons", t("reasons"), f'<ul class="la-cards">{"".join(cards)}</ul>', titled) if cards else ""


def _caps(parts: dict[str, Any], t: _Labels, titled: bool) -> str:
    if not _caps_shown(parts):
        return ""
    items = [f"<li>{esc(c['label'])}</li>" for c in parts.get("caps") or []]
    return _section("caps", t("caps"), f'<ul class="la-caplist">{"".join(items)}</ul>', titled) if items else ""


def _steps(parts: dict[str, Any], t: _Labels, titled: bool) -> str:
    items = []
    for step in parts.get("steps") or []:
        eta = f' <time datetime="{esc(step["eta"])}">{esc(step["eta_text"])}</time>' if step.get("eta_text") else ""
        items.append(f'<li><span>{esc(step["label"])}</span>{eta}</li>')
    return _section("steps", t("next_steps"), f'<ol class="la-steplist">{"".join(items)}</ol>', titled) if items else ""


def _sources(parts: dict[str, Any], t: _Labels) -> str:
    items = []
    for section in _sections(parts):
        text = esc(section.get("text") or "").replace("\n", "<br>")
        items.append(f'<details class="la-source"><summary>{esc(section.get("title") or section.get("section_id"))}'
                     f'</summary><p>{text}</p></details>')
    return _section("sources", t("sources"), "".join(items), True) if items else ""


def _handoff(parts: dict[str, Any], t: _Labels) -> str:
    if not parts.get("handoff") or not parts.get("handoff_id"):
        return ""
    return (f'<div class="la-case"><p><span>{esc(t("case_number"))}</span> '
            f'<strong class="la-case-id">{esc(parts["handoff_id"])}</strong></p>'
            f'<p class="la-muted">{esc(t("case_note"))}</p></div>')


def _clarify(parts: dict[str, Any], t: _Labels) -> str:
    options = [o for o in parts.get("clarify") or [] if o.get("label") and o.get("message")]
    if not options:
        return ""
    buttons = "".join(_button("send", o["label"], "la-choice", message=o["message"]) for o in options)
    return (f'<div class="la-clarify" role="group" aria-label="{esc(t("clarify"))}">'
            f'<p>{esc(t("clarify"))}</p>{buttons}</div>')


# -- the plan as a timeline -----------------------------------------------------------------------


def _plan(parts: dict[str, Any], t: _Labels) -> str:
    plan = parts.get("plan")
    sentences = [s for s in parts.get("plan_sentences") or [] if s]
    if not plan and not sentences:
        return ""
    words = "".join(f"<p>{esc(s)}</p>" for s in sentences)
    nodes = "".join(_timeline_node(when_text, items, css) for when_text, items, css in plan_timeline(plan or {}, parts, t.lang))
    timeline = f'<ol class="la-timeline">{nodes}</ol>' if nodes else ""
    return _section("plan", t("plan"), words + timeline, True)


def _timeline_node(when_text: str, items: list[str], css: str) -> str:
    lines = "".join(f"<span>{esc(item)}</span>" for item in items)
    return f'<li class="{css}"><strong class="la-when">{esc(when_text)}</strong>{lines}</li>'


def plan_timeline(plan: dict[str, Any], parts: dict[str, Any], lang: str) -> list[tuple[str, list[str], str]]:
    """The plan as (when, what, css) nodes: now → each wait → "you can borrow up to X" at its time."""
    t = _Labels(lang)
    now: list[str] = []
    later: dict[str, list[str]] = {}
    phrases = parts.get("plan_steps") or []  # the composer's own words for each step
    for index, step in enumerate(plan.get("steps") or []):
        if index < len(phrases):
            worded = str(phrases[index])
            (later.setdefault(step["at"], []) if step.get("kind") == "wait" and step.get("at") else now).append(worded)
            continue
        if step.get("kind") == "wait" and step.get("at"):
            titles = [_reason_title(code, parts, t.lang) for code in step.get("clears") or []]
            if not step.get("certain", True):
                titles = [f"{title}（{t('plan_unsure')}）" if t.lang == "zh" else f"{title} ({t('plan_unsure')})"
                          for title in titles]
            later.setdefault(step["at"], []).extend(titles or [_step_label(step["step"], parts, t.lang)])
        else:
            label = _step_label(step["step"], parts, t.lang)
            if step.get("amount") is not None:
                label = f"{label} · {t('amount', amount=money(step['amount']))}"
            if step.get("kind") == "support":
                label = f"{label}（{t('plan_support')}）" if t.lang == "zh" else f"{label} ({t('plan_support')})"
            now.append(label)
    nodes = [(t("plan_now"), now, "la-node-now")] if now else []
    nodes += [(_when(at, t.lang), items, "la-node-wait") for at, items in sorted(later.items())]
    if plan.get("reachable") and plan.get("amount_at_goal") is not None and plan.get("earliest_at"):
        at = plan["earliest_at"]
        moment = t("plan_now") if at == plan.get("checked_at") else _when(at, t.lang)
        goal = t("plan_goal", amount=_amount(plan["amount_at_goal"], t))
        if nodes and nodes[-1][0] == moment:  # the goal is reached at the last step's moment: one node
            nodes[-1] = (moment, [*nodes[-1][1], goal], "la-node-goal")
        else:
            nodes.append((moment, [goal], "la-node-goal"))
    elif plan.get("blocked_by"):
        titles = [_reason_title(code, parts, t.lang) for code in plan["blocked_by"]]
        nodes.append((t("plan_blocked"), titles, "la-node-blocked"))
    return nodes


def _amount(value: Any, t: _Labels) -> str:
    return str(t("amount", amount=money(value)))


def _when(value: str, lang: str) -> str:
    try:
        return when(datetime.fromisoformat(value), lang)
    except ValueError:
        return value


def _step_label(code: str, parts: dict[str, Any], lang: str) -> str:
    for step in parts.get("steps") or []:
        if step.get("code") == code and step.get("label"):
            return str(step["label"])
    return code  # only for an answer without the step's words (the Answer always has them)


def _reason_title(code: str, parts: dict[str, Any], lang: str) -> str:
    for reason in parts.get("reasons") or []:
        if reason.get("code") == code:
            return str(reason["title"])
    return code  # only for an answer without the reason's words (the Answer always has them)


class _Labels:
    """ui_text bound to one language."""

    def __init__(self, lang: str | None) -> None:
        self.lang = ui_lang(lang)

    def __call__(self, key: str, **values: Any) -> Any:
        return ui_text(self.lang, key, **values)

