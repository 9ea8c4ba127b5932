"""The web chat UI (gradio), mounted at /ui on the FastAPI app.

gradio is imported only inside `mount_ui`, so the CLI and the API start without it. The page
itself is `assistant/web/ui_page.py`, its look `static/ui.css`. It loads nothing from outside
the server: analytics are off, server-side rendering (a Node process) is off, and the fonts are
the system's (a CJK-capable stack), never Google Fonts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

    from assistant.services import Services

UI_PATH = "/ui"
# The favicon is served by the widget module (GET /favicon.svg), for every page of the server.
HEAD = '<link rel="icon" type="image/svg+xml" href="/favicon.svg">'
STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_CSS = STATIC_DIR / "ui.css"
# Chinese first where the system has it; every name here is a local font (nothing is downloaded).
SANS_STACK = ("system-ui", "-apple-system", "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
              "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")


def mount_ui(app: FastAPI, services: Services, path: str = UI_PATH) -> None:
    """Mount the gradio chat UI on `app` at `path` (default /ui)."""
    # Must be set before gradio is imported: it reads them at import time.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("GRADIO_SSR_MODE", "False")
    import gradio as gr

    from assistant.web.ui_page import ChatPage

    blocks = ChatPage(app, services).build()
    gr.mount_gradio_app(app, blocks, path=path, theme=_offline_theme(), css=PAGE_CSS.read_text(encoding="utf-8"),
                        ssr_mode=False, footer_links=[], show_error=False, pwa=False, head=HEAD)


def _offline_theme() -> gr.themes.Base:
    """gradio's base theme on system fonts, with the page's colours (AA contrast) and focus ring."""
    import gradio as gr

    sans: list[gr.themes.Font | str] = [gr.themes.Font(name) for name in SANS_STACK] + ["sans-serif"]
    mono: list[gr.themes.Font | str] = [gr.themes.Font("ui-monospace"), "monospace"]
    return gr.themes.Base(font=sans, font_mono=mono).set(
        body_text_color="#1f2937",
        body_text_color_subdued="#4b5563",
        button_primary_background_fill="#0b57d0",
        button_primary_background_fill_hover="#0842a0",
        button_primary_text_color="#ffffff",
        button_secondary_background_fill="#ffffff",
        button_secondary_background_fill_hover="#eef3fd",
        button_secondary_text_color="#0b57d0",
        button_secondary_border_color="#0b57d0",
        input_placeholder_color="#5f6368",
        input_border_color="#6b7280",
        input_border_color_focus="#0b57d0",
    )
