"""The JSON API under /api (CONTRACT.md section 7): check, chat, feedback, conversations,
hand-off, demo accounts. Blocking work (store, engine, assistant) runs in worker threads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse

from assistant.decisions import staff_view
from assistant.web import chat
from assistant.web.auth import reachable_conversation, resolve_account
from assistant.web.deps import CallerDep, ServicesDep
from assistant.web.errors import ApiError
from assistant.web.schemas import (
    AccountsResponse,
    ChatRequest,
    ChatResponse,
    CheckRequest,
    CheckResponse,
    ConversationResponse,
    DecisionsResponse,
    ErrorResponse,
    FeedbackRequest,
    FeedbackResponse,
    HandoffRequest,
    PlanRequest,
    PlanResponse,
)
from tools.engine import run_check
from tools.inputs import parse_amount, parse_time
from tools.plan import plan
from tools.result import jsonable

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 413, 422, 429, 503)
}

router = APIRouter(prefix="/api", responses=ERRORS)


@router.post("/check", response_model=CheckResponse, summary="Run a limit check (CONTRACT section 3)")
def check(body: CheckRequest, caller: CallerDep,
          services: ServicesDep) -> JSONResponse:
    """The check result exactly as the engine returns it; audited with its trace."""
    snapshot, stored_platform = resolve_account(caller, services, account_id=body.account_id, account=body.account)
    platform = chat.body_platform(caller, body.platform) or stored_platform
    amount = parse_amount(body.amount) if body.amount is not None else None
    at = parse_time(body.at) if body.at is not None else None
    result = run_check(snapshot, body.action, amount=amount, at=at, platform=platform, policy=services.policy)
    data = result.to_data()
    services.store.audit.record(
        account_id=snapshot.account_id, action=result.action, policy_version=result.policy_version,
        request={"source": "api", "caller": caller.kind, "amount": jsonable(amount),
                 "at": at.isoformat() if at else None, "as_of": snapshot.as_of.isoformat()},
        result=data,
    )
    return JSONResponse(data)


@router.post("/plan", response_model=PlanResponse,
             summary="The fastest way back to borrowing: the recourse plan (CONTRACT section 9)")
def plan_route(body: PlanRequest, caller: CallerDep, services: ServicesDep) -> JSONResponse:
    """Same body and credentials as /api/check (`action` may be left out: a plan's goal is a
    borrow). What to do, in what order, and from when a borrow of `amount` (or of any amount
    from the minimum) is possible; audited like a check."""
    snapshot, stored_platform = resolve_account(caller, services, account_id=body.account_id, account=body.account)
    platform = chat.body_platform(caller, body.platform) or stored_platform
    amount = parse_amount(body.amount) if body.amount is not None else None
    at = parse_time(body.at) if body.at is not None else None
    result = plan(snapshot, platform, services.policy, amount, at)
    data = result.to_data()
    services.store.audit.record(
        account_id=snapshot.account_id, action="plan", policy_version=result.policy_version,
        request={"source": "api", "caller": caller.kind, "amount": jsonable(amount),
                 "at": at.isoformat() if at else None, "as_of": snapshot.as_of.isoformat()},
        result=data,
    )
    return JSONResponse(data)


@router.post("/chat", response_model=ChatResponse,
             summary="Ask the assistant (JSON, or SSE with Accept: text/event-stream)",
             responses={200: {"content": {"text/event-stream": {}}}})
async def chat_route(request: Request, body: ChatRequest, caller: CallerDep,
                     services: ServicesDep) -> Any:
    """One turn. Streaming sends `event: delta` pieces of the final answer (`{"text"}`), then
    `event: result` (the whole JSON object), then `event: done`."""
    turn = await run_in_threadpool(
        chat.ask, services, caller, request, body.message, conversation_id=body.conversation_id,
        account_id=body.account_id, account=body.account, at=body.at, platform=body.platform)
    payload = chat.chat_payload(turn)
    if chat.wants_event_stream(request):
        return EventSourceResponse(chat.sse_events(payload), ping=15,
                                   headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    return JSONResponse(payload)


@router.post("/feedback", response_model=FeedbackResponse, summary="Like or dislike one answer")
def feedback(body: FeedbackRequest, caller: CallerDep,
             services: ServicesDep) -> FeedbackResponse:
    """Store (or replace) the rating of one turn of the caller's own conversation."""
    reachable_conversation(caller, services, body.conversation_id)
    record = services.store.feedback.add(body.conversation_id, body.turn, body.rating, body.comment)
    return FeedbackResponse(conversation_id=record.conversation_id, turn=record.turn_seq,
                            rating=record.rating, comment=record.comment)


@router.get("/conversations/{conversation_id}", response_model=ConversationResponse,
            summary="The turns of one of the caller's conversations")
def conversation(conversation_id: str, caller: CallerDep,
                 services: ServicesDep) -> JSONResponse:
    record = reachable_conversation(caller, services, conversation_id)
    turns = services.store.conversations.turns(conversation_id)
    return JSONResponse(jsonable({
        "conversation_id": record.id,
        "account_id": record.account_id,
        "lang": record.state.get("lang") or record.lang,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "turns": [
            {"seq": t.seq, "user_text": t.user_text, "answer": t.answer, "intent": t.intent,
             "reason_codes": t.reason_codes, "next_steps": t.next_steps, "citations": t.citations,
             "handoff": t.handoff, "refused": t.refused, "created_at": t.created_at, "checks": t.checks}
            for t in turns
        ],
    }))


@router.get("/decisions/{conversation_id}", response_model=DecisionsResponse,
            summary="Decision records of a conversation (staff: API key only)")
def decisions(conversation_id: str, caller: CallerDep, services: ServicesDep) -> JSONResponse:
    """Every answered turn's decision record: inputs as received with their hashes, request
    time, policy, code and model versions, checks with traces, plan, answer. For compliance
    staff: API-key callers only (403 for user tokens and callers without credentials); the
    customer's message is PII-masked as in exports (docs/SECURITY.md)."""
    if caller.kind != "api_key":
        raise ApiError(403, "decision records are for staff: an API key is required")
    record = reachable_conversation(caller, services, conversation_id)
    rows = services.store.decisions.for_conversation(record.id)
    return JSONResponse(jsonable({"conversation_id": record.id, "account_id": record.account_id,
                                  "decisions": [staff_view(row) for row in rows]}))


@router.post("/handoff", response_model=ChatResponse, summary="Hand the conversation to a person")
def handoff(request: Request, body: HandoffRequest, caller: CallerDep,
            services: ServicesDep) -> JSONResponse:
    """Runs the assistant's appeal_or_human path in the conversation's language: a limit_status
    check for the agent's summary, a hand-off record, and an answer saying so (`handoff_id`)."""
    record = reachable_conversation(caller, services, body.conversation_id)
    request.state.conversation_id = record.id
    snapshot, platform = chat.resolve_turn_account(caller, services, conversation_id=record.id,
                                                   account_id=None, account=body.account)
    at = parse_time(body.at) if body.at is not None else None
    turn = services.assistant.handoff(snapshot, record.id, platform=platform, at=at)
    return JSONResponse(chat.chat_payload(turn))


@router.get("/accounts", response_model=AccountsResponse, summary="Demo accounts (demo mode only)")
def accounts(caller: CallerDep,
             services: ServicesDep) -> AccountsResponse:
    """The demo accounts with one-line zh/en descriptions, for the UI's account picker."""
    if not services.settings.demo_mode:
        raise ApiError(404, "demo accounts are listed in demo mode only")
    rows = services.store.accounts.list(demo_only=True)
    return AccountsResponse(demo_mode=True, accounts=[
        {"account_id": a.account_id, "description": a.describe("zh"), "description_zh": a.describe("zh"),
         "description_en": a.describe("en")} for a in rows])  # type: ignore[misc]
