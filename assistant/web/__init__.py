"""The web surfaces on one FastAPI app: HTTP API, OpenAI-compatible endpoint, UI, widget.

`create_app(services)` builds it (see assistant.web.app); FastAPI is imported only when it is
called, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from assistant.web.app import create_app

        return create_app
    raise AttributeError(name)
