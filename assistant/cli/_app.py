"""The Typer application and the one place where errors become exit codes.

Command modules register themselves on `app`; `main()` imports them lazily-cheap modules only,
so `limit-assistant --help` stays fast. User errors exit 2 with one line on stderr, operator
errors exit 3, unavailable services exit 4; a bug is logged and exits 1 — never a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer

from assistant.errors import (
    DISK_FULL_MESSAGE,
    ConfigError,
    ServiceUnavailable,
    UserInputError,
    is_disk_full,
)

app = typer.Typer(
    name="limit-assistant",
    help="Explains why a credit line cannot be drawn right now, and what to do next.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Explains why a credit line cannot be drawn right now, and what to do next."""


F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2
EXIT_CONFIG_ERROR = 3
EXIT_UNAVAILABLE = 4


def fail(message: str, code: int = EXIT_USER_ERROR) -> typer.Exit:
    """Print one line to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def handle_errors(command: F) -> F:
    """Turn every expected error into one stderr line and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except UserInputError as exc:
            raise fail(str(exc), EXIT_USER_ERROR) from None
        except ConfigError as exc:
            raise fail(f"configuration: {exc}", EXIT_CONFIG_ERROR) from None
        except ServiceUnavailable as exc:
            raise fail(f"temporarily unavailable: {exc}", EXIT_UNAVAILABLE) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except Exception as exc:  # noqa: BLE001 — a bug, unless the disk is full
            if is_disk_full(exc):
                raise fail(f"temporarily unavailable: {DISK_FULL_MESSAGE}", EXIT_UNAVAILABLE) from None
            where = _log_bug(command.__name__)
            raise fail(f"internal error ({type(exc).__name__}); details in {where}", 1) from None

    return wrapper  # type: ignore[return-value]


def _log_bug(command_name: str) -> str:
    """Append the traceback to the data dir's log file (never to the user's terminal)."""
    import traceback

    from assistant.settings import Settings

    try:
        log_dir = Settings().data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "limit-assistant.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- unexpected error in {command_name}\n{traceback.format_exc()}\n")
        return str(path)
    except Exception:  # noqa: BLE001 — the log itself failed: say so without a traceback
        return "the log (unwritable)"


def print_json(payload: Any) -> None:
    """JSON to stdout, UTF-8, no ASCII escaping (answers are Chinese)."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")


# Every command lives in assistant/cli/<name>_cmd.py and registers itself on `app` when imported.
COMMANDS = ("check", "plan", "accounts", "index", "search", "ask", "serve", "eval", "token", "export",
            "replay", "notice")


def _register_commands(argv: Sequence[str] = ()) -> None:
    """Import the invoked command's module only, or all of them for help and unknown names:
    a command's imports (the store, the engine, the NLU) are then paid by that command alone."""
    import importlib

    invoked = next((arg for arg in argv if not arg.startswith("-")), None)
    for name in (invoked,) if invoked in COMMANDS else COMMANDS:
        module = f"assistant.cli.{name}_cmd"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main() -> None:
    from assistant.store.masking import install_pii_masking

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_pii_masking()
    _register_commands(sys.argv[1:])
    app()
