"""Request size limits: a body above MAX_BODY_BYTES is refused with 413 before any parsing.

Applied to the API prefixes only; mounted apps (the UI) keep their own rules. A declared
`Content-Length` above the limit is refused at once; a chunked body is counted as it arrives.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.limits import MAX_MESSAGE_CHARS
from assistant.web.errors import error_response

MAX_BODY_BYTES = 64 * 1024
__all__ = ["MAX_BODY_BYTES", "MAX_MESSAGE_CHARS", "BodySizeLimitMiddleware"]
LIMITED_PREFIXES = ("/api/", "/v1/")


class BodySizeLimitMiddleware:
    """Read the whole body (up to the limit) before the app sees it; too large → 413."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "payload_too_large",
                                  f"request body is larger than {self.max_bytes // 1024} KB")
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay
