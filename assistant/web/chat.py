"""One chat turn over HTTP: access rules, the assistant, and the JSON / SSE shapes of the answer.

Shared by /api/chat, /api/handoff and /v1/chat/completions. The answer is complete (and, with
an LLM, verified) before anything is sent; streaming then replays its text in small pieces, so
an error always arrives as an ordinary JSON error, never half-way through a stream.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import Request

from assistant.dialogue import Turn
from assistant.services import Services
from assistant.web.auth import Caller, reachable_conversation, resolve_account
from assistant.web.errors import ApiError
from tools.inputs import parse_time
from tools.snapshot import Platform, Snapshot, parse_platform

DELTA_MAX_CHARS = 24
# A piece ends at Chinese punctuation, a newline, or ASCII punctuation before a space (so "1,200"
# and "3.5" stay whole).
_PIECE = re.compile(r".+?(?:[。！？；，：\n]|[.!?;,:](?=\s)|$)", re.DOTALL)


def resolve_turn_account(caller: Caller, services: Services, *, conversation_id: str | None,
                         account_id: str | None, account: dict[str, Any] | None) -> tuple[Snapshot, Platform | None]:
    """The account a chat turn is about: the conversation's, the body's, or the token's."""
    if conversation_id is None:
        return resolve_account(caller, services, account_id=account_id, account=account)
    record = reachable_conversation(caller, services, conversation_id)
    named = account.get("account_id") if account is not None else account_id
    if named is not None and named != record.account_id:
        raise ApiError(404, "no such conversation for this account")
    return resolve_account(caller, services, account_id=None if account is not None else record.account_id,
                           account=account)


def body_platform(caller: Caller, platform: dict[str, Any] | None) -> Platform | None:
    """A `platform` object from the body: lender-wide state, so only API-key callers may set it."""
    if platform is None:
        return None
    if caller.kind != "api_key":
        raise ApiError(403, "a `platform` object is accepted from API-key callers only")
    return parse_platform(platform)


def ask(services: Services, caller: Caller, request: Request, message: str, *,
        conversation_id: str | None, account_id: str | None = None,
        account: dict[str, Any] | None = None, at: str | None = None,
        platform: dict[str, Any] | None = None) -> Turn:
    """Run one turn for `caller` (blocking: call it from a worker thread)."""
    request.state.conversation_id = conversation_id
    snapshot, stored_platform = resolve_turn_account(caller, services, conversation_id=conversation_id,
                                                     account_id=account_id, account=account)
    explicit_platform = body_platform(caller, platform)
    request_time = parse_time(at) if at is not None else None
    turn = services.assistant.ask(message, snapshot, platform=explicit_platform or stored_platform,
                                  at=request_time, conversation_id=conversation_id)
    request.state.conversation_id = turn.conversation_id
    return turn


def chat_payload(turn: Turn) -> dict[str, Any]:
    """The /api/chat JSON object: the answer's parts (the contract's ask object first) and the
    conversation's id and turn number. The rule trace stays in the audit log."""
    data = turn.result.parts_view()
    data.update(conversation_id=turn.conversation_id, turn=turn.seq)
    return data


def answer_pieces(text: str, max_chars: int = DELTA_MAX_CHARS) -> Iterator[str]:
    """The answer cut at punctuation into pieces of at most `max_chars`; joined, they are `text`."""
    for match in _PIECE.finditer(text):
        piece = match.group(0)
        for start in range(0, len(piece), max_chars):
            yield piece[start:start + max_chars]


async def sse_events(payload: dict[str, Any]) -> AsyncIterator[dict[str, str]]:
    """`delta` events with the answer's text, then `result` with the whole object, then `done`."""
    for piece in answer_pieces(payload["answer"]):
        yield {"event": "delta", "data": json.dumps({"text": piece}, ensure_ascii=False)}
    yield {"event": "result", "data": json.dumps(payload, ensure_ascii=False)}
    yield {"event": "done", "data": json.dumps({"conversation_id": payload["conversation_id"], "turn": payload["turn"]})}


def wants_event_stream(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")
