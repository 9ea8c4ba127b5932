"""Keep-alive connections are recycled (assistant.web.connections), busy workers' sooner, so
that connections opened together by one client do not stay on one worker while others idle."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from assistant.services import Services
from assistant.web import create_app
from assistant.web.connections import RECYCLE_CREDIT, ConnectionRecycleMiddleware


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"connection", b"keep-alive")]})
    await send({"type": "http.response.body", "body": b"ok"})


def test_one_request_at_a_time_recycles_every_credit_th_connection() -> None:
    client = TestClient(ConnectionRecycleMiddleware(hello, credit=3))
    headers = [client.get("/").headers.get_list("connection") for _ in range(7)]
    assert headers == [["keep-alive"], ["keep-alive"], ["close"], ["keep-alive"], ["keep-alive"], ["close"],
                       ["keep-alive"]]
    assert client.get("/").text == "ok"  # the response itself is whole


def closing_responses(middleware: ConnectionRecycleMiddleware, requests: int, in_flight: int) -> int:
    """How many of `requests` responses ask to reconnect when `in_flight` are answered together."""
    closing = 0

    async def one(gate: asyncio.Barrier) -> None:
        nonlocal closing

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await gate.wait()  # every request of the batch is in flight
            await hello(scope, receive, send)

        async def send(message: Message) -> None:
            nonlocal closing
            closing += (b"connection", b"close") in message.get("headers", [])

        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        middleware.app = app
        await middleware({"type": "http", "method": "GET", "path": "/", "headers": []}, receive, send)

    async def batches() -> None:
        for _ in range(requests // in_flight):
            gate = asyncio.Barrier(in_flight)
            await asyncio.gather(*(one(gate) for _ in range(in_flight)))

    # A thread of its own: an earlier test (playwright's sync API) may leave a loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, batches()).result()
    return closing


def test_a_worker_with_more_requests_in_flight_gives_up_connections_much_sooner() -> None:
    alone = closing_responses(ConnectionRecycleMiddleware(hello, credit=100), 240, in_flight=1)
    busy = closing_responses(ConnectionRecycleMiddleware(hello, credit=100), 240, in_flight=4)
    assert alone == 2 and busy == 60  # 4, 3, 2, 1 in flight as a batch is answered: 64 + 27 + 8 + 1


def test_the_app_recycles_its_connections(demo_services: Services) -> None:
    client = TestClient(create_app(demo_services, surfaces=False, warm_up=False))
    closing = [client.get("/healthz").headers.get("connection") == "close" for _ in range(2 * RECYCLE_CREDIT)]
    assert sum(closing) == 2 and closing[RECYCLE_CREDIT - 1] and closing[-1]
