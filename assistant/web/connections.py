"""Keep-alive connections are recycled, busy workers' sooner, so several workers share the load.

uvicorn's workers accept from one shared listening socket, and the first worker to wake takes
every connection waiting there (its event loop accepts until the queue is empty). Clients that
open their keep-alive connections together — a proxy's upstream pool, an SDK's pool, the load
client of bench/api.py — so often sit on one worker while the other idles, and stay there:
bench/api.py measured a CPU split of 5.8 s to 1.7 s between two workers, 241 answers/s.

A response that ends with `Connection: close` (what nginx's `keepalive_requests` does) makes the
client reconnect, and whichever worker accepts first gets the new connection — either one, at
random (the accept happens in the event loop's C code, whoever wakes first). Recycling after a
fixed count, or in proportion to a worker's connections, only reshuffles them: they end up
spread as at random, 5 / 3 of 8 on average. Here a worker recycles in proportion to the cube of
its requests in flight (with closed-loop clients, its connections; capped at `BUSY_CAP`): with
one at a time every `RECYCLE_CREDIT`-th response, with four every 25th, with six every 7th. The
crowded worker gives connections up several times faster than it gets them back, so they settle
near an even spread instead of a random one, and a bad spread at start-up does not last. The
cost is one TCP handshake per that many responses; nothing is cut off, the response is whole.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

RECYCLE_CREDIT = 1600
BUSY_CAP = 6  # beyond this many in flight, recycle no faster (every 7th response)


class ConnectionRecycleMiddleware:
    """Ask a client to reconnect once the cubes of this worker's requests in flight, summed over
    its responses, reach `credit`."""

    def __init__(self, app: ASGIApp, credit: int = RECYCLE_CREDIT) -> None:
        self.app = app
        self.credit = credit
        # One event loop per worker runs this middleware: no lock needed.
        self.in_flight = 0
        self.earned = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, self._sender(send))
        finally:
            self.in_flight -= 1

    def _sender(self, send: Send) -> Send:
        async def recycling_send(message: Message) -> None:
            if message["type"] == "http.response.start" and self._recycle_now():
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        return recycling_send

    def _recycle_now(self) -> bool:
        self.earned += min(self.in_flight, BUSY_CAP) ** 3
        if self.earned < self.credit:
            return False
        self.earned = 0
        return True
