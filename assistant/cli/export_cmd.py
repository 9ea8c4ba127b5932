"""`limit-assistant export --since DATE [--until DATE] --format jsonl|csv [--out FILE]`.

For compliance reviews: every audited check (request, result with its trace, policy version),
every conversation turn, hand-off and feedback created in [since, until), as flat rows:

    kind, id, created_at, account_id, conversation_id, turn, action_or_intent, policy_version,
    reason_codes, next_steps, text, answer, detail

`kind` is audit | decision | turn | handoff | feedback; `detail` is the rest (audit: request and
result; decision: the decision record of docs/SECURITY.md, its inputs, versions and hashes;
turn: checks and citations; hand-off: summary and status; feedback: rating and comment) — an
object in JSONL, a JSON string in CSV. Every text is PII-masked (ID, phone and card numbers).
A bare `--until` date includes that whole day (Asia/Shanghai); times without an offset are
Asia/Shanghai.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import typer

from assistant.cli._app import app, fail, handle_errors
from assistant.decisions import staff_view
from assistant.services import Services
from assistant.store.masking import mask_pii
from tools.inputs import parse_time
from tools.result import jsonable

COLUMNS = ("kind", "id", "created_at", "account_id", "conversation_id", "turn", "action_or_intent",
           "policy_version", "reason_codes", "next_steps", "text", "answer", "detail")
FORMATS = ("jsonl", "csv")


def masked(value: Any) -> Any:
    """`value` with every string PII-masked, recursively."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def parse_bound(text: str, field: str, *, end_of_day: bool = False) -> datetime:
    """A date or date-time; a bare date means its start, or (for --until) the next midnight."""
    moment = parse_time(text, field)
    bare_date = len(text.strip()) == 10
    return moment + timedelta(days=1) if end_of_day and bare_date else moment


def _row(kind: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(kind=kind, **fields)
    return masked(jsonable(row))


def export_rows(services: Services, since: datetime, until: datetime) -> Iterator[dict[str, Any]]:
    """Audit entries, decision records, then turns, hand-offs and feedback in the window, each
    oldest first."""
    store = services.store
    for entry in store.audit.since(since, until):
        yield _row("audit", id=entry.id, created_at=entry.created_at, account_id=entry.account_id,
                   conversation_id=entry.conversation_id, action_or_intent=entry.action,
                   policy_version=entry.policy_version, reason_codes=[r.get("code") for r in entry.result.get("reasons", [])],
                   next_steps=[s.get("code") for s in entry.result.get("next_steps", [])],
                   detail={"request": entry.request, "result": entry.result})
    for record in store.decisions.since(since, until):
        view = staff_view(record)
        answer = view.pop("answer")
        yield _row("decision", id=record.id, created_at=record.created_at,
                   account_id=view["snapshot"].get("account_id"), conversation_id=record.conversation_id,
                   turn=record.turn_seq, action_or_intent=answer.get("intent"), policy_version=record.policy_version,
                   reason_codes=answer.get("reason_codes"), next_steps=answer.get("next_steps"),
                   text=view.pop("message"), answer=answer.get("answer"), detail=view)
    yield from _store_rows(services, since, until)


def _store_rows(services: Services, since: datetime, until: datetime) -> Iterator[dict[str, Any]]:
    # The repositories have no time-window listing for these tables; read-only selects on the
    # store's schema do it here (reported to the store's owner).
    from sqlalchemy import select

    from assistant.store.schema import Conversation, Feedback, Handoff, Turn
    from assistant.store.transactions import transaction

    with transaction(services.store.sessions) as session:
        turns = select(Turn, Conversation.account_id).join(Conversation, Conversation.id == Turn.conversation_id)
        turns = turns.where(Turn.created_at >= since, Turn.created_at < until).order_by(Turn.created_at, Turn.id)
        for turn, account_id in session.execute(turns):
            yield _row("turn", id=turn.id, created_at=turn.created_at, account_id=account_id,
                       conversation_id=turn.conversation_id, turn=turn.seq, action_or_intent=turn.intent,
                       policy_version=next((c.get("policy_version") for c in turn.checks or []), None),
                       reason_codes=turn.reason_codes, next_steps=turn.next_steps, text=turn.user_text,
                       answer=turn.answer, detail={"checks": turn.checks, "citations": turn.citations,
                                                   "handoff": turn.handoff, "refused": turn.refused})
        handoffs = select(Handoff).where(Handoff.created_at >= since, Handoff.created_at < until)
        for handoff in session.scalars(handoffs.order_by(Handoff.created_at)):
            yield _row("handoff", id=handoff.id, created_at=handoff.created_at, account_id=handoff.account_id,
                       conversation_id=handoff.conversation_id, turn=handoff.turn_seq,
                       reason_codes=handoff.summary.get("reason_codes"), next_steps=handoff.summary.get("next_steps"),
                       policy_version=handoff.summary.get("policy_version"),
                       detail={"summary": handoff.summary, "status": handoff.status})
        feedback = select(Feedback).where(Feedback.updated_at >= since, Feedback.updated_at < until)
        for item in session.scalars(feedback.order_by(Feedback.updated_at)):
            yield _row("feedback", id=item.id, created_at=item.created_at, conversation_id=item.conversation_id,
                       turn=item.turn_seq, text=item.comment, detail={"rating": item.rating, "updated_at": item.updated_at})


def write_rows(rows: Iterator[dict[str, Any]], out: IO[str], fmt: str) -> int:
    """Write rows as JSONL or CSV; returns how many."""
    count = 0
    writer = csv.DictWriter(out, fieldnames=COLUMNS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for row in rows:
        if writer is not None:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                             for k, v in row.items()})
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


@app.command()
@handle_errors
def export(
    since: str = typer.Option(..., "--since", help="Start (inclusive): date or ISO 8601 time."),
    until: str | None = typer.Option(None, "--until", help="End (exclusive; a bare date includes that day)."),
    fmt: str = typer.Option(..., "--format", help="jsonl | csv"),
    out: Path | None = typer.Option(None, "--out", help="Output file (default: stdout)."),
) -> None:
    """Export the audit log, decision records, conversations, hand-offs and feedback for a
    compliance review."""
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    start = parse_bound(since, "--since")
    end = parse_bound(until, "--until", end_of_day=True) if until else datetime.now(start.tzinfo) + timedelta(days=1)
    if end <= start:
        raise fail("--until must be after --since")
    services = Services()
    rows = export_rows(services, start, end)
    if out is None:
        count = write_rows(rows, sys.stdout, fmt)
    else:
        try:
            with out.open("w", encoding="utf-8", newline="") as handle:
                count = write_rows(rows, handle, fmt)
        except OSError as exc:
            raise fail(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(f"exported {count} rows ({start.isoformat()} to {end.isoformat()})", err=True)
