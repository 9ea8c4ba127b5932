"""What the chat UI shows under an answer: reasons with facts, next steps with times, citations.

Pure functions of the `/api/chat` result (a JSON object), so they are tested without gradio.
When the result carries the checks it ran (`checks`), reasons are shown with the customer's own
figures and steps with their times; otherwise the codes' catalogue titles are shown.
"""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.answers.format import display, when
from assistant.answers.reasons import reason_sentence
from tools.catalogue import catalogue
from tools.policy import Policy
from tools.result import CheckResult, NextStep, Reason

TEXTS_FILE = Path(__file__).resolve().parent / "ui_texts.yaml"
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@lru_cache(maxsize=1)
def _all_texts() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def ui_text(lang: str, key: str, **values: Any) -> Any:
    """One label of the UI in `lang` (zh/en), placeholders filled."""
    value = _all_texts()["en" if lang == "en" else "zh"][key]
    return value.format(**values) if isinstance(value, str) and values else value


def render_details(result: dict[str, Any], lang: str, policy: Policy, product: str) -> str:
    """Markdown (with <details> for citations) shown under an answer; "" when there is nothing."""
    checks = _checks(result)
    parts = [
        _reasons_block(result, checks, lang, policy, product),
        _steps_block(result, checks, lang),
        _citations_block(result, lang),
    ]
    return "\n\n".join(part for part in parts if part)


def _checks(result: dict[str, Any]) -> list[CheckResult]:
    checks = []
    for raw in result.get("checks") or []:
        try:
            checks.append(CheckResult.model_validate(raw))
        except ValidationError:
            continue  # an API that sends another shape: fall back to the codes
    return checks


def _reasons_block(result: dict[str, Any], checks: list[CheckResult], lang: str, policy: Policy, product: str) -> str:
    reasons = [reason for check in checks for reason in check.reasons]
    if reasons:
        lines = [f"- **{_title(r.code, lang)}** — {html.escape(_sentence(r, lang, policy, product))}" for r in reasons]
    else:
        lines = [f"- **{_title(code, lang)}**" for code in result.get("reason_codes") or []]
    return _block(ui_text(lang, "reasons"), lines)


def _steps_block(result: dict[str, Any], checks: list[CheckResult], lang: str) -> str:
    steps: dict[str, NextStep] = {}
    for check in checks:
        for step in check.next_steps:
            steps.setdefault(step.code, step)
    lines = []
    for code in result.get("next_steps") or list(steps):
        found = steps.get(code)
        eta = ""
        if found is not None and found.eta is not None:
            label = f"{ui_text(lang, 'eta')} {when(found.eta, lang)}"
            eta = f" ({label})" if lang == "en" else f"（{label}）"
        lines.append(f"- {html.escape(_step_text(code, lang, found))}{eta}")
    return _block(ui_text(lang, "next_steps"), lines)


def _citations_block(result: dict[str, Any], lang: str) -> str:
    sections = result.get("sections") or result.get("citations") or []
    items = []
    for section in sections:
        title = html.escape(str(section.get("title") or section.get("section_id") or ""))
        text = html.escape(str(section.get("text") or "")).replace("\n", "<br>")
        items.append(f"<details><summary>{title}</summary><p>{text}</p></details>")
    if not items:
        return ""
    return f"**{ui_text(lang, 'citations')}**\n\n" + "\n".join(items)


def _block(heading: str, lines: list[str]) -> str:
    return f"**{heading}**\n\n" + "\n".join(lines) if lines else ""


def _title(code: str, lang: str) -> str:
    spec = catalogue().reasons.get(code)
    if spec is None:
        return code
    title = spec.title.en if lang == "en" else spec.title.zh
    return title[:1].upper() + title[1:] if lang == "en" else title


def _step_text(code: str, lang: str, step: NextStep | None) -> str:
    texts = step.text if step else (catalogue().steps[code].text if code in catalogue().steps else None)
    if texts is None:
        return code
    return texts.en if lang == "en" else texts.zh


def _sentence(reason: Reason, lang: str, policy: Policy, product: str) -> str:
    facts = {k: revive(v) for k, v in reason.facts.items()}
    revived = (dataclasses.replace(reason, facts=facts) if dataclasses.is_dataclass(reason)
               else reason.model_copy(update={"facts": facts}))
    try:
        return reason_sentence(revived, lang, policy, product)
    except (KeyError, ValueError, TypeError):
        return "; ".join(f"{k}: {display(k, v, lang)}" for k, v in revived.facts.items())


def revive(value: Any) -> Any:
    """JSON facts back to the types the answer templates format (money, dates, times)."""
    if isinstance(value, list):
        return [revive(item) for item in value]
    if isinstance(value, dict):
        return {k: revive(v) for k, v in value.items()}
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return value
    try:
        if _DECIMAL.match(value):
            return Decimal(value)
        if _DATE.match(value):
            return date.fromisoformat(value)
        if _DATETIME.match(value):
            return datetime.fromisoformat(value)
    except (ValueError, InvalidOperation):
        pass
    return value
