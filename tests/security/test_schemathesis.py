"""Schema-driven fuzzing (issue 9 item 2): schemathesis generates requests for every operation of
`/openapi.json` of a real uvicorn server on a free loopback port, and checks that no response is
a 5xx and that status codes, content types and bodies conform to the published schema.

Requests carry an API key (so they reach the routes, not only the 401 of the auth layer); the
generated bodies name accounts the store may or may not hold. Examples per operation are
bounded (SECURITY_FUZZ_SCALE scales them) and derandomized for CI stability.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

schemathesis = pytest.importorskip("schemathesis")
uvicorn = pytest.importorskip("uvicorn")

from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assistant.services import Services
from assistant.web import create_app
from tests.helpers.fuzzing import fuzz_settings, tried
from tests.helpers.security import API_KEY, OWNER, make_settings, seed_private_accounts

# A body that is not UTF-8 gets FastAPI's own 400, which the schema does not document: a known
# product bug with its own test below, so this one status is let through the conformance check.
UNDOCUMENTED_400 = "There was an error parsing the body"


def documented_status_code(ctx, response, case):  # type: ignore[no-untyped-def]
    """schemathesis' status_code_conformance, minus the known undocumented 400."""
    if response.status_code == 400 and UNDOCUMENTED_400 in response.text:
        return None
    return status_code_conformance(ctx, response, case)


CHECKS = [not_a_server_error, documented_status_code, content_type_conformance, response_schema_conformance]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> Iterator[str]:
    """A uvicorn server (secured deployment) in a thread of this process, on a free loopback port."""
    services = Services(make_settings(knowledge_dir, tmp_path_factory.mktemp("schemathesis-db"),
                                      secret="schemathesis-secret", api_keys=API_KEY))
    seed_private_accounts(services)
    port = _free_port()
    config = uvicorn.Config(create_app(services, surfaces=False, warm_up=False), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def api_schema(server_url: str):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_url(f"{server_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@fuzz_settings(40)
def test_every_operation_conforms_and_never_5xx(case) -> None:  # type: ignore[no-untyped-def]
    tried(f"schemathesis:{case.operation.label}")
    # Half the generated bodies that name an account name a stored one, so that 200 answers
    # (and their documented response schema) are exercised too, not only 404s.
    if isinstance(case.body, dict) and "account_id" in case.body and len(repr(case.body)) % 2 == 0:
        case.body["account_id"] = OWNER
    response = case.call_and_validate(headers={"Authorization": f"Bearer {API_KEY}"}, checks=CHECKS, timeout=30)
    tried(f"status:schemathesis {response.status_code}")  # a tally, not an input


@pytest.mark.parametrize("path", ["/api/chat", "/api/check", "/api/feedback", "/api/handoff", "/v1/chat/completions"])
def test_a_body_that_is_not_utf8_gets_a_documented_status(server_url: str, path: str) -> None:
    tried("http:non-utf8-body")
    response = httpx.post(server_url + path, content=b'{"message": "\xff\xfe"}',
                          headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"})
    documented = httpx.get(server_url + "/openapi.json").json()["paths"][path]["post"]["responses"]
    assert 400 <= response.status_code < 500 and response.json()["error"]["code"]
    assert str(response.status_code) in documented, (response.status_code, sorted(documented))
