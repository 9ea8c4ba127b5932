"""The web chat UI (gradio), mounted at /ui on the FastAPI app.

gradio is imported only inside `mount_ui`, so the CLI and the API start without it. The page
itself is `assistant/web/ui_page.py`. It loads nothing from outside the server: analytics are
off, server-side rendering (a Node process) is off, and the theme uses the system's fonts,
never Google Fonts.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

    from assistant.services import Services

UI_PATH = "/ui"


def mount_ui(app: FastAPI, services: Services, path: str = UI_PATH) -> None:
    """Mount the gradio chat UI on `app` at `path` (default /ui)."""
    # Must be set before gradio is imported: it reads them at import time.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("GRADIO_SSR_MODE", "False")
    import gradio as gr

    from assistant.web.ui_page import PAGE_CSS, ChatPage

    blocks = ChatPage(app, services).build()
    gr.mount_gradio_app(app, blocks, path=path, theme=_offline_theme(), css=PAGE_CSS,
                        ssr_mode=False, footer_links=[], show_error=False)


def _offline_theme() -> gr.themes.Base:
    import gradio as gr

    system_sans: list[gr.themes.Font | str] = [gr.themes.Font("system-ui"), gr.themes.Font("PingFang SC"),
                   gr.themes.Font("Noto Sans CJK SC"), "sans-serif"]
    system_mono: list[gr.themes.Font | str] = [gr.themes.Font("ui-monospace"), "monospace"]
    return gr.themes.Soft(font=system_sans, font_mono=system_mono)
