"""Keep-alive connections are recycled, so several workers share the load they carry.

uvicorn's workers accept from one shared listening socket, and the first worker to wake takes
every connection waiting there (its event loop accepts until the queue is empty). Clients that
open their keep-alive connections together — a proxy's upstream pool, an SDK's pool, the load
client of bench/api.py — so often sit on one worker while the other idles, and stay there:
bench/api.py measured a CPU split of 5.8 s to 1.7 s between two workers, 241 answers/s.

Every `requests_per_connection`-th response of a worker carries `Connection: close` (what
nginx's `keepalive_requests` does): the client reconnects, and the worker that accepts first —
usually the one with spare time, waiting in its event loop — gets the connection. A busy worker
answers more requests, so it also closes more connections: the load drifts to the idle one. The
cost is one TCP handshake per that many requests; nothing is cut off, the response is whole.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS_PER_CONNECTION = 25


class ConnectionRecycleMiddleware:
    """Ask the client to reconnect after every `requests_per_connection` responses of this worker."""

    def __init__(self, app: ASGIApp, requests_per_connection: int = REQUESTS_PER_CONNECTION) -> None:
        self.app = app
        self.requests_per_connection = requests_per_connection
        self.answered = 0  # this worker's HTTP requests (one event loop: no lock needed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.answered += 1
        if self.answered % self.requests_per_connection:
            await self.app(scope, receive, send)
            return

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing_send)
