"""`limit-assistant notice CONVERSATION_ID --turn N [--format html|txt] [--lang zh|en]`.

The written notice of one turn's decision: date, request, outcome, at most four principal
reasons in the customer's own figures, data used, the plan, and the human-review route (with
the case number when the conversation was handed to a person). Built from the decision record.
"""

from __future__ import annotations

import sys

import typer

from assistant.cli._app import app, handle_errors
from assistant.errors import UserInputError
from assistant.notices import FORMATS, LANGS, notice
from assistant.services import Services


@app.command("notice")
@handle_errors
def notice_command(
    conversation_id: str = typer.Argument(..., help="The conversation (printed by `ask`)."),
    turn: int = typer.Option(..., "--turn", help="The turn whose decision the notice states."),
    fmt: str = typer.Option("txt", "--format", help="txt | html (self-contained, prints on A4)."),
    lang: str | None = typer.Option(None, "--lang", help="zh | en (default: the answer's language)."),
) -> None:
    """Print the written notice of a decision: reasons, data used, plan and human review."""
    if fmt not in FORMATS:
        raise UserInputError(f"--format: must be one of {', '.join(FORMATS)}, not {fmt[:20]!r}")
    if lang is not None and lang not in LANGS:
        raise UserInputError(f"--lang: must be one of {', '.join(LANGS)}, not {lang[:20]!r}")
    services = Services()
    store = services.store
    if len(conversation_id) > 64 or store.conversations.get(conversation_id) is None:
        raise UserInputError(f"unknown conversation {conversation_id[:64]!r}")
    record = store.decisions.get(conversation_id, turn)
    if record is None:
        raise UserInputError(f"--turn {turn}: this conversation has no decision record for that turn")
    sys.stdout.write(notice(record, services.section_book, lang=lang, fmt=fmt))
