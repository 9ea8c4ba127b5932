"""A scriptable OpenAI-compatible server on a free loopback port, for tests (no network).

Each test queues replies; every POST to /v1/chat/completions takes the next one:

    stub.reply("text")                       # a normal answer
    stub.reply(tool_calls=[("check_limit", {"action": "borrow"})])
    stub.reply(status=500)                   # an HTTP error
    stub.reply(raw="not json")               # a malformed body
    stub.reply("text", delay=5.0)            # slow mode (time-out tests)

When the queue is empty it answers with `default` (or 500 if none). Requests are recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    content: str | None = None
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    raw: str | None = None
    delay: float = 0.0


class StubLLM:
    def __init__(self) -> None:
        self.queue: deque[Scripted] = deque()
        self.default: Scripted | None = None
        self.requests: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # shutdown() waits for the serve loop's next poll: 0.5 s by default, per test.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def reply(self, content: str | None = None, **kwargs: Any) -> None:
        self.queue.append(Scripted(content=content, **kwargs))

    def start(self) -> StubLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self) -> Scripted:
        if self.queue:
            return self.queue.popleft()
        return self.default or Scripted(status=500)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    self._send(404, json.dumps({"error": {"message": "not found"}}))
                    return
                scripted = stub._next()
                deadline = time.monotonic() + scripted.delay
                while time.monotonic() < deadline and not stub._stop.is_set():
                    time.sleep(0.02)
                if scripted.raw is not None:
                    self._send(scripted.status, scripted.raw)
                elif scripted.status != 200:
                    self._send(scripted.status, json.dumps({"error": {"message": "scripted failure"}}))
                else:
                    self._send(200, json.dumps(_completion(body.get("model", "stub"), scripted)))

            def _send(self, status: int, text: str) -> None:
                data = text.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (time-out tests)

        return Handler


def _completion(model: str, scripted: Scripted) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": scripted.content}
    if scripted.tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function",
             "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)}}
            for i, (name, args) in enumerate(scripted.tool_calls)
        ]
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": message,
                     "finish_reason": "tool_calls" if scripted.tool_calls else "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }
