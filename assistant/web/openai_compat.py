"""POST /v1/chat/completions in the OpenAI wire format, so OpenAI clients and chat front-ends
can talk to the assistant (also GET /v1/models, which several front-ends call first).

- The question is the **last `user` message** (text, or the text parts of a content list);
  earlier messages are ignored: the dialogue history lives in the server's conversation.
- The account: a **user token** caller's own account (a different `metadata.account_id` → 403);
  an **API key** (or an anonymous demo-mode caller) names it with `metadata.account_id`, else
  the `user` field. `model` is echoed back and otherwise ignored.
- Conversation continuity: send the `X-Conversation-Id` header (or `metadata.conversation_id`)
  returned by the previous reply — every reply carries the `X-Conversation-Id` header and a
  `conversation_id` field. Without it each request starts a new conversation.
- The reply's extra field `limit_assistant` (non-stream, and on the final stream chunk) holds
  the full /api/chat object (reason codes, next steps, citations …). `usage` counts characters,
  not tokens: the assistant runs no tokenizer.
- Streaming (`stream: true`) sends `chat.completion.chunk` events: the role, the answer in
  pieces, a final chunk with `finish_reason: "stop"`, then `data: [DONE]`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import EventSourceResponse

from assistant.web import chat
from assistant.web.api import ERRORS
from assistant.web.auth import Caller
from assistant.web.deps import CallerDep, ServicesDep
from assistant.web.errors import ApiError
from assistant.web.limits import MAX_MESSAGE_CHARS
from assistant.web.schemas import ChatCompletionResponse, ModelsResponse

MODEL_NAME = "limit-assistant"
CONVERSATION_HEADER = "X-Conversation-Id"

router = APIRouter(prefix="/v1", tags=["openai"], responses=ERRORS)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str = Field(max_length=32)
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str | None = Field(default=None, max_length=128)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    user: str | None = Field(default=None, max_length=128)
    metadata: dict[str, Any] | None = None


def last_user_text(messages: list[ChatMessage]) -> str:
    """The text of the last user message; 422 if there is none."""
    for message in reversed(messages):
        if message.role != "user":
            continue
        if isinstance(message.content, str):
            text = message.content
        else:
            text = "".join(str(part.get("text", "")) for part in message.content or [] if part.get("type") == "text")
        if len(text) > MAX_MESSAGE_CHARS:
            raise ApiError(422, f"message: at most {MAX_MESSAGE_CHARS} characters", code="invalid_input")
        return text
    raise ApiError(422, "messages: no user message to answer", code="invalid_request")


def _metadata(body: ChatCompletionRequest, key: str) -> str | None:
    value = (body.metadata or {}).get(key)
    return str(value) if value is not None else None


def account_for(caller: Caller, body: ChatCompletionRequest) -> str | None:
    """The account a completion is about (see the module docstring)."""
    named = _metadata(body, "account_id")
    if caller.kind == "user":
        return named  # None → the token's account; another one → 403 in resolve_account
    return named or body.user


@router.get("/models", response_model=ModelsResponse, summary="The one model this server offers")
async def models(caller: CallerDep) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "limit-assistant"}]}


@router.post("/chat/completions", response_model=ChatCompletionResponse,
             summary="OpenAI-compatible chat completion (stream or not)",
             responses={200: {"content": {"text/event-stream": {}}}})
async def chat_completions(request: Request, body: ChatCompletionRequest, caller: CallerDep,
                           services: ServicesDep) -> Any:
    question = last_user_text(body.messages)
    conversation_id = request.headers.get(CONVERSATION_HEADER) or _metadata(body, "conversation_id")
    turn = await run_in_threadpool(chat.ask, services, caller, request, question,
                                   conversation_id=conversation_id, account_id=account_for(caller, body))
    payload = chat.chat_payload(turn)
    completion = _Completion(body.model or MODEL_NAME, payload)
    headers = {CONVERSATION_HEADER: turn.conversation_id}
    if body.stream:
        return EventSourceResponse(completion.chunks(), ping=15, headers={**headers, "Cache-Control": "no-store"})
    return JSONResponse(completion.whole(question), headers=headers)


class _Completion:
    def __init__(self, model: str, payload: dict[str, Any]) -> None:
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.model = model
        self.payload = payload

    def whole(self, question: str) -> dict[str, Any]:
        answer = self.payload["answer"]
        return {
            "id": self.id, "object": "chat.completion", "created": self.created, "model": self.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": len(question), "completion_tokens": len(answer),
                      "total_tokens": len(question) + len(answer)},
            "conversation_id": self.payload["conversation_id"],
            "limit_assistant": self.payload,
        }

    def _chunk(self, delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> dict[str, str]:
        data = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
                **extra}
        return {"data": json.dumps(data, ensure_ascii=False)}

    async def chunks(self) -> AsyncIterator[dict[str, str]]:
        yield self._chunk({"role": "assistant", "content": ""}, conversation_id=self.payload["conversation_id"])
        for piece in chat.answer_pieces(self.payload["answer"]):
            yield self._chunk({"content": piece})
        yield self._chunk({}, "stop", conversation_id=self.payload["conversation_id"], limit_assistant=self.payload)
        yield {"data": "[DONE]"}
