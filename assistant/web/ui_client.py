"""The chat UI's way into the HTTP API: the same routes the widget uses, called in-process.

The UI's callbacks run inside the server, so they call the FastAPI app directly through ASGI
instead of opening a socket to themselves. Going through the routes (not the Assistant object)
keeps one code path for auth, rate limits, conversation storage and the audit log. httpx's
ASGITransport buffers whole responses, so streaming is done here: the app runs in a task and
each body chunk is handed over as it is sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Message = MutableMapping[str, Any]
ASGIApp = Callable[[Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

log = logging.getLogger("limit_assistant.web.ui")
_END = object()


@dataclass(frozen=True)
class ApiReply:
    """A JSON reply of the API: status code and decoded body (None when not JSON)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error_message(self) -> str:
        """The API's `{"error": {"message"}}` text, or the status when there is none."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return str(self.body["error"].get("message") or self.status)
        return f"HTTP {self.status}"


@dataclass(frozen=True)
class SseEvent:
    event: str
    data: str


class InProcessApi:
    """Calls routes of one ASGI app as a given caller (bearer token, client address)."""

    def __init__(self, app: ASGIApp, *, token: str | None = None, client_host: str = "127.0.0.1") -> None:
        self.app = app
        self.token = token
        self.client_host = client_host

    async def get(self, path: str) -> ApiReply:
        """GET a JSON route."""
        status, chunks = await self._collect("GET", path, None, "application/json")
        return ApiReply(status, _json_or_none(b"".join(chunks)))

    async def post(self, path: str, body: dict[str, Any]) -> ApiReply:
        """POST JSON, read the JSON reply."""
        status, chunks = await self._collect("POST", path, body, "application/json")
        return ApiReply(status, _json_or_none(b"".join(chunks)))

    async def stream(self, path: str, body: dict[str, Any]) -> AsyncIterator[SseEvent | ApiReply]:
        """POST with `Accept: text/event-stream`; yields SSE events as they arrive.

        A non-2xx or non-SSE answer is yielded once as an ApiReply instead.
        """
        queue: asyncio.Queue[Any] = asyncio.Queue()
        task = asyncio.create_task(self._run("POST", path, body, "text/event-stream", queue))
        try:
            start = await queue.get()
            if start is _END:
                return
            status, content_type = start
            if not (200 <= status < 300 and content_type.startswith("text/event-stream")):
                yield ApiReply(status, _json_or_none(b"".join(await _drain(queue))))
                return
            parser = SseParser()
            while (chunk := await queue.get()) is not _END:
                for event in parser.feed(chunk.decode("utf-8", errors="replace")):
                    yield event
        finally:
            if not task.done():
                task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _collect(self, method: str, path: str, body: dict[str, Any] | None, accept: str) -> tuple[int, list[bytes]]:
        queue: asyncio.Queue[Any] = asyncio.Queue()
        await self._run(method, path, body, accept, queue)
        start = await queue.get()
        if start is _END:
            return 500, []
        return start[0], await _drain(queue)

    async def _run(self, method: str, path: str, body: dict[str, Any] | None, accept: str,
                   queue: asyncio.Queue[Any]) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        headers = [(b"accept", accept.encode()), (b"host", b"127.0.0.1")]
        if body is not None:
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        if self.token:
            headers.append((b"authorization", f"Bearer {self.token}".encode()))
        path_only, _, query = path.partition("?")
        scope: dict[str, Any] = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path_only, "raw_path": path_only.encode(), "root_path": "",
            "query_string": query.encode(), "headers": headers,
            "client": (self.client_host, 0), "server": ("127.0.0.1", 80),
        }
        sent_body = False
        disconnected = asyncio.Event()

        async def receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": payload, "more_body": False}
            await disconnected.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers") or []).get(b"content-type", b"").decode()
                await queue.put((message["status"], content_type))
            elif message["type"] == "http.response.body":
                if message.get("body"):
                    await queue.put(message["body"])
                if not message.get("more_body", False):
                    disconnected.set()

        try:
            await self.app(scope, receive, send)
        except Exception:  # the app already answered 500 (or never started): the caller sees that
            log.exception("in-process call %s %s failed", method, path_only)
        finally:
            disconnected.set()
            await queue.put(_END)


class SseParser:
    """Incremental Server-Sent Events parser (event + data lines, blank line ends an event)."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, text: str) -> list[SseEvent]:
        """Add received text; return the events it completed."""
        self._buffer += text.replace("\r\n", "\n").replace("\r", "\n")
        events = []
        while "\n\n" in self._buffer:
            block, self._buffer = self._buffer.split("\n\n", 1)
            event, data = "message", []
            for line in block.split("\n"):
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "event":
                    event = value
                elif field == "data":
                    data.append(value)
            if data or event != "message":
                events.append(SseEvent(event, "\n".join(data)))
        return events


def delta_text(data: str) -> str:
    """The text of a `delta` event, whether the server sent raw text or a JSON object/string."""
    try:
        value = json.loads(data)
    except ValueError:
        return data
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("text", "delta", "content"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return data


async def _drain(queue: asyncio.Queue[Any]) -> list[bytes]:
    chunks = []
    while (chunk := await queue.get()) is not _END:
        chunks.append(chunk)
    return chunks


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
