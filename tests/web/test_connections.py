"""Keep-alive connections are recycled (assistant.web.connections), so that connections opened
together by one client do not stay on one worker while the others idle."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from assistant.services import Services
from assistant.web import create_app
from assistant.web.connections import REQUESTS_PER_CONNECTION, ConnectionRecycleMiddleware


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"connection", b"keep-alive")]})
    await send({"type": "http.response.body", "body": b"ok"})


def test_every_nth_response_asks_the_client_to_reconnect() -> None:
    client = TestClient(ConnectionRecycleMiddleware(hello, requests_per_connection=3))
    headers = [client.get("/").headers.get_list("connection") for _ in range(7)]
    assert headers == [["keep-alive"], ["keep-alive"], ["close"], ["keep-alive"], ["keep-alive"], ["close"],
                       ["keep-alive"]]
    assert client.get("/").text == "ok"  # the response itself is whole


def test_the_app_recycles_its_connections(demo_services: Services) -> None:
    client = TestClient(create_app(demo_services, surfaces=False, warm_up=False))
    closing = [client.get("/healthz").headers.get("connection") == "close"
               for _ in range(2 * REQUESTS_PER_CONNECTION)]
    assert sum(closing) == 2 and closing[REQUESTS_PER_CONNECTION - 1] and closing[-1]
