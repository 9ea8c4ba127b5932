"""The `limit-assistant` command line. Each command lives in its own module of this package."""

from assistant.cli._app import app, main

__all__ = ["app", "main"]
