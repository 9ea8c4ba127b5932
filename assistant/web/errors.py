"""Every error the API returns is JSON `{"error": {"code", "message"}}` — never a stack trace.

| status | code | when |
|---|---|---|
| 401 | `unauthorized` | missing (when required), forged, tampered or expired credentials |
| 403 | `forbidden` | a valid caller asking for an account it may not reach |
| 404 | `not_found` | unknown route, account or conversation (another account's looks the same) |
| 405 | `method_not_allowed` | |
| 413 | `payload_too_large` | request body above the limit |
| 422 | `invalid_request` / `invalid_input` | schema validation / bad amount, time, snapshot … |
| 429 | `rate_limited` | with `Retry-After` (seconds) |
| 503 | `unavailable` | store, index or LLM temporarily unreachable, with `Retry-After` |
| 500 | `internal` | a bug: logged with the conversation id, no details returned |
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import ConfigError, ServiceUnavailable, UserInputError
from assistant.store.errors import NotFoundError
from assistant.store.masking import mask_pii

log = logging.getLogger("limit_assistant.web")

UNAVAILABLE_RETRY_AFTER_SECONDS = 5

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error the caller must act on, with its HTTP status and stable code."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _STATUS_CODES.get(status, "error")
        self.message = message
        self.headers = headers or {}


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
    where = ".".join(loc) or "body"
    if first.get("type") == "json_invalid":
        return "body: invalid JSON"
    return f"{where}: {first.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    """Map every expected exception to a JSON error response."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(NotFoundError)
    async def _not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, "not_found", str(exc))

    @app.exception_handler(UserInputError)
    async def _user_input(_: Request, exc: UserInputError) -> JSONResponse:
        return error_response(422, "invalid_input", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _validation_message(exc))

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable) -> JSONResponse:
        log.warning("service unavailable on %s: %s", request.url.path, mask_pii(str(exc)))
        return error_response(503, "unavailable", "temporarily unavailable, please retry later",
                              {"Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECONDS)})

    @app.exception_handler(ConfigError)
    async def _config(request: Request, exc: ConfigError) -> JSONResponse:
        log.error("configuration error on %s: %s", request.url.path, exc)
        return error_response(503, "unavailable", "the service is not configured correctly",
                              {"Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECONDS)})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))


class CatchAllMiddleware:
    """The last line: a bug becomes a logged 500 `internal` error, never a traceback.

    A pure ASGI middleware (not an exception handler on `Exception`) so the error is logged once,
    here, with the conversation id the route put in `scope["state"]`, and not re-raised to the
    server.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            conversation_id = (scope.get("state") or {}).get("conversation_id")
            log.exception("unexpected error on %s %s (conversation %s)",
                          scope.get("method"), scope.get("path"), conversation_id or "-")
            if started:  # the response is under way (a stream): all we can do is stop it
                return
            response = error_response(500, "internal", "internal error; it has been logged")
            await response(scope, receive, send)
