"""What the chat UI shows under an answer: reasons with facts, next steps with times, citations.

Pure functions of the answer's parts (`Answer.parts_view()`), so they are tested without gradio.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

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


def render_details(result: dict[str, Any], lang: str) -> str:
    """Markdown (with <details> for citations) shown under an answer; "" when there is nothing.

    Renders the answer's own parts (`reasons`, `steps`, `sections`): nothing is re-derived.
    """
    parts = [_reasons_block(result, lang), _steps_block(result, lang), _citations_block(result, lang)]
    return "\n\n".join(part for part in parts if part)


def _reasons_block(result: dict[str, Any], lang: str) -> str:
    lines = [f"- **{html.escape(r['title'])}** — {html.escape(r['sentence'])}" for r in result.get("reasons") or []]
    return _block(ui_text(lang, "reasons"), lines)


def _steps_block(result: dict[str, Any], lang: str) -> str:
    lines = []
    for step in result.get("steps") or []:
        eta = ""
        if step.get("eta_text"):
            label = f"{ui_text(lang, 'eta')} {step['eta_text']}"
            eta = f" ({label})" if lang == "en" else f"（{label}）"
        lines.append(f"- {html.escape(step['label'])}{eta}")
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


