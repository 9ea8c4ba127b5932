"""The OpenAI-compatible endpoint, driven by the `openai` package against a real uvicorn server
on a free loopback port (what chat front-ends and SDK users will do)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
import uvicorn

from assistant.services import Services
from assistant.web import create_app
from assistant.web.tokens import mint_token
from tests.helpers.web import API_KEY, PRIVATE_ACCOUNT, SECRET, sse_events

ASK = "为什么借不出来"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(secure_services: Services) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(create_app(secure_services, surfaces=False, warm_up=False),
                            host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def client(base_url: str, credential: str = API_KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=credential, max_retries=0, timeout=30)


def test_non_streaming_completion(base_url: str) -> None:
    completion = client(base_url).chat.completions.create(
        model="limit-assistant", user="demo-overdue",
        messages=[{"role": "system", "content": "ignored"}, {"role": "user", "content": ASK}])
    assert completion.object == "chat.completion"
    assert completion.model == "limit-assistant"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert "1,200" in choice.message.content
    extra = completion.model_extra or {}
    assert extra["limit_assistant"]["reason_codes"] == ["OVERDUE_UNPAID"]
    assert extra["conversation_id"] == extra["limit_assistant"]["conversation_id"]


def test_streaming_completion_matches_the_whole_answer(base_url: str) -> None:
    whole = client(base_url).chat.completions.create(
        model="m", messages=[{"role": "user", "content": ASK}], metadata={"account_id": "demo-multi"})
    stream = client(base_url).chat.completions.create(
        model="m", messages=[{"role": "user", "content": ASK}], metadata={"account_id": "demo-multi"}, stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole.choices[0].message.content
    assert len(chunks) > 3


def test_user_token_uses_its_own_account_and_header_continues(base_url: str) -> None:
    token = mint_token(PRIVATE_ACCOUNT, SECRET)
    raw = client(base_url, token).chat.completions.with_raw_response.create(
        model="m", messages=[{"role": "user", "content": "我最多能借多少"}])
    conversation_id = raw.headers["X-Conversation-Id"]
    first = raw.parse()
    assert first.model_extra["limit_assistant"]["intent"] == "how_much_can_i_borrow"
    second = client(base_url, token).chat.completions.create(
        model="m", messages=[{"role": "user", "content": "那借3000呢"}],
        extra_headers={"X-Conversation-Id": conversation_id})
    assert second.model_extra["conversation_id"] == conversation_id
    assert second.model_extra["limit_assistant"]["turn"] == 2


def test_errors_reach_the_client_as_openai_errors(base_url: str) -> None:
    with pytest.raises(openai.AuthenticationError):
        client(base_url, "wrong").chat.completions.create(model="m", messages=[{"role": "user", "content": ASK}])
    with pytest.raises(openai.UnprocessableEntityError):
        client(base_url).chat.completions.create(model="m", messages=[{"role": "assistant", "content": "hi"}],
                                                 user="demo-overdue")


def test_models_and_sse_wire_format(base_url: str) -> None:
    assert [m.id for m in client(base_url).models.list()] == ["limit-assistant"]
    response = httpx.post(f"{base_url}/api/chat", json={"message": ASK, "account_id": "demo-overdue"},
                          headers={"Accept": "text/event-stream", "Authorization": f"Bearer {API_KEY}"})
    names = [name for name, _ in sse_events(response.text)]
    assert names[-2:] == ["result", "done"] and names[0] == "delta"
