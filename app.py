"""Wiring only: the web app for `uvicorn app:app [--workers N]`, built on first access.

Each worker process imports this module and gets its own Services (settings from the
environment) and app; state is shared through the configured store, not the process.
"""

from __future__ import annotations

from typing import Any


def build_app() -> Any:
    """The FastAPI app for the settings in the environment."""
    from assistant.services import Services
    from assistant.web import create_app

    return create_app(Services())


def __getattr__(name: str) -> Any:
    if name == "app":
        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(name)
