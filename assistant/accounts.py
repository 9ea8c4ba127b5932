"""Resolving `ACCOUNT` (a snapshot JSON file or an account id in the store) and `--platform`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import UserInputError
from tools.snapshot import Platform, Snapshot, parse_platform, parse_snapshot

if TYPE_CHECKING:
    from assistant.store import Store

MAX_JSON_BYTES = 5_000_000


def read_text_file(path: Path, what: str, max_bytes: int | None = None) -> str:
    """A UTF-8 text file's contents; every failure is one line naming the file."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise UserInputError(f"{what} file {path}: larger than {max_bytes // 1_000_000} MB")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserInputError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise UserInputError(f"{what} file {path}: is a directory") from None
    except UnicodeDecodeError:
        raise UserInputError(f"{what} file {path}: not UTF-8 text") from None
    except OSError as exc:
        raise UserInputError(f"{what} file {path}: cannot read ({exc.strerror})") from None


def read_json_file(path: Path, what: str) -> Any:
    """Read a JSON file with exact decimals; every failure is one line naming the file."""
    text = read_text_file(path, what, MAX_JSON_BYTES)
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise UserInputError(f"{what} file {path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def looks_like_path(ref: str) -> bool:
    if ref.endswith(".json") or "/" in ref or "\\" in ref:
        return True
    try:
        return Path(ref).is_file()
    except (OSError, ValueError):  # a name too long or with a NUL is no file: an account id
        return False


def load_account(ref: str, store: Store | None) -> tuple[Snapshot, Platform | None]:
    """The snapshot named by `ref`, and the platform state stored with it (demo accounts), if any."""
    if looks_like_path(ref):
        data = read_json_file(Path(ref), "account")
        try:
            return parse_snapshot(data), None
        except UserInputError as exc:
            raise UserInputError(f"account file {ref}: {exc}") from None
    if store is None:
        raise UserInputError(f"no account file {ref!r} and no account store configured")
    raw = store.accounts.get(ref)
    if raw is None:
        raise UserInputError(f"unknown account {ref!r} (not a file, not in the account store; try `limit-assistant accounts list`)")
    stored_platform = store.accounts.get_platform(ref)
    return parse_snapshot(raw), parse_platform(stored_platform) if stored_platform else None


def load_platform(path: str | None) -> Platform | None:
    if path is None:
        return None
    data = read_json_file(Path(path), "platform")
    return parse_platform(data)
