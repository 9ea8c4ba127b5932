"""Every /api route and /healthz: shapes, behaviour a client relies on, and stored state."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from assistant.accounts import load_account
from assistant.services import Services
from assistant.web import create_app
from tests.helpers.web import error_of, make_settings, sse_events
from tools.engine import run_check
from tools.inputs import parse_amount

CONTRACT_KEYS = {"answer", "intent", "reason_codes", "next_steps", "citations", "handoff", "refused"}


def audit_count(services: Services) -> int:
    return sum(1 for _ in services.store.audit.since(datetime(2000, 1, 1, tzinfo=UTC)))


# -- /healthz ------------------------------------------------------------------------------------


def test_healthz_reports_components_and_demo_mode(demo_client: TestClient) -> None:
    response = demo_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["demo_mode"] is True
    assert set(body["components"]) == {"index", "store", "llm"}
    assert body["components"]["store"] == {"status": "ok", "backend": "sqlite"}
    assert body["components"]["llm"]["status"] == "off"


def test_healthz_reports_a_down_store_without_failing(tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    services = Services(make_settings(tmp_path / "d", database_url=f"sqlite:///{blocker}/db.sqlite3"))
    client = TestClient(create_app(services, surfaces=False, warm_up=False))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["components"]["store"]["status"] == "down"
    assert body["components"]["index"]["status"] == "missing"  # nothing built in a fresh dir


# -- /api/check ----------------------------------------------------------------------------------


def test_check_returns_exactly_the_engine_result_and_is_audited(demo_client: TestClient,
                                                                demo_services: Services) -> None:
    before = audit_count(demo_services)
    response = demo_client.post("/api/check", json={"account_id": "demo-below-minimum", "action": "borrow",
                                                    "amount": 300, "at": "2026-11-20T11:00:00+08:00"})
    assert response.status_code == 200
    snapshot, platform = load_account("demo-below-minimum", demo_services.store)
    expected = run_check(snapshot, "borrow", amount=parse_amount("300"),
                         at=datetime.fromisoformat("2026-11-20T11:00:00+08:00"), platform=platform,
                         policy=demo_services.policy)
    assert response.json() == json.loads(expected.to_json())
    assert response.json()["reasons"][0]["code"] == "AMOUNT_BELOW_MINIMUM"
    assert audit_count(demo_services) == before + 1


@pytest.mark.parametrize(("body", "fragment"), [
    ({"account_id": "demo-healthy", "action": "borrow", "amount": 0}, "amount"),
    ({"account_id": "demo-healthy", "action": "borrow", "amount": "abc"}, "amount"),
    ({"account_id": "demo-healthy", "action": "borrow", "amount": 12.345}, "two decimals"),
    ({"account_id": "demo-healthy", "action": "steal"}, "action"),
    ({"account_id": "demo-healthy", "action": "borrow", "at": "yesterday-ish"}, "at"),
    ({"account_id": "demo-healthy"}, "action"),
    ({"action": "borrow"}, "account_id"),
])
def test_check_rejects_bad_input_with_422(demo_client: TestClient, body: dict, fragment: str) -> None:
    response = demo_client.post("/api/check", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] in ("invalid_input", "invalid_request")
    assert fragment in error["message"]


def test_invalid_json_is_422(demo_client: TestClient) -> None:
    response = demo_client.post("/api/check", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_request"


# -- /api/chat -----------------------------------------------------------------------------------


def test_chat_returns_the_ask_object_with_conversation_fields(demo_client: TestClient) -> None:
    response = demo_client.post("/api/chat", json={"message": "有额度为什么借不出来", "account_id": "demo-overdue"})
    assert response.status_code == 200
    body = response.json()
    assert CONTRACT_KEYS <= set(body)
    assert body["intent"] == "cannot_borrow"
    assert body["reason_codes"] == ["OVERDUE_UNPAID"]
    assert body["next_steps"] == ["REPAY_OVERDUE"]
    assert body["turn"] == 1 and body["conversation_id"]
    assert body["handoff_id"] is None
    assert body["sections"] and all(s["text"] for s in body["sections"])
    assert {s["section_id"] for s in body["sections"]} >= {c["section_id"] for c in body["citations"]}
    reason = body["reasons"][0]  # the UI shows the reason as the answer states it, figures included
    assert reason["code"] == "OVERDUE_UNPAID" and reason["facts"]["overdue_amount"] == 1200
    assert reason["sentence"] in body["answer"] and "1,200" in reason["sentence"]
    assert [s["code"] for s in body["steps"]] == ["REPAY_OVERDUE"]
    assert "checks" not in body


def test_chat_follow_up_continues_the_conversation(demo_client: TestClient) -> None:
    first = demo_client.post("/api/chat", json={"message": "我想借300为什么不行", "account_id": "demo-below-minimum"}).json()
    second = demo_client.post("/api/chat", json={"message": "那3000呢", "conversation_id": first["conversation_id"]}).json()
    assert second["conversation_id"] == first["conversation_id"]
    assert second["turn"] == 2
    assert second["intent"] == first["intent"] == "cannot_borrow"
    assert "AMOUNT_BELOW_MINIMUM" in first["reason_codes"]
    assert "AMOUNT_BELOW_MINIMUM" not in second["reason_codes"]


def test_chat_streams_deltas_then_result_then_done(demo_client: TestClient) -> None:
    response = demo_client.post("/api/chat", json={"message": "为什么借不出来", "account_id": "demo-multi"},
                                headers={"Accept": "text/event-stream"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-2:] == ["result", "done"]
    assert len(names) > 3 and set(names[:-2]) == {"delta"}
    result = json.loads(events[-2][1])
    assert "".join(json.loads(data)["text"] for name, data in events if name == "delta") == result["answer"]
    assert CONTRACT_KEYS <= set(result) and result["conversation_id"]
    assert json.loads(events[-1][1]) == {"conversation_id": result["conversation_id"], "turn": result["turn"]}


def test_chat_stream_errors_are_plain_json(demo_client: TestClient) -> None:
    response = demo_client.post("/api/chat", json={"message": "  ", "account_id": "demo-overdue"},
                                headers={"Accept": "text/event-stream"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_input"


def test_message_over_2000_characters_is_422(demo_client: TestClient) -> None:
    response = demo_client.post("/api/chat", json={"message": "借" * 2001, "account_id": "demo-overdue"})
    assert response.status_code == 422
    assert "message" in error_of(response)["message"]


def test_body_over_64_kb_is_413(demo_client: TestClient) -> None:
    body = json.dumps({"message": "hi", "account_id": "demo-overdue", "pad": "x" * 70_000})
    response = demo_client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_chunked_body_over_64_kb_is_413(demo_client: TestClient) -> None:
    def chunks():
        for _ in range(70):
            yield b"x" * 1024

    response = demo_client.post("/api/check", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_unknown_conversation_is_404(demo_client: TestClient) -> None:
    response = demo_client.post("/api/chat", json={"message": "为什么借不出来", "conversation_id": "nope"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


# -- feedback, conversations, hand-off, accounts ---------------------------------------------------


def test_feedback_is_stored_and_can_be_changed(demo_client: TestClient, demo_services: Services) -> None:
    chat = demo_client.post("/api/chat", json={"message": "为什么借不出来", "account_id": "demo-overdue"}).json()
    body = {"conversation_id": chat["conversation_id"], "turn": chat["turn"], "rating": "down", "comment": "看不懂"}
    response = demo_client.post("/api/feedback", json=body)
    assert response.status_code == 200
    assert response.json() == {"conversation_id": chat["conversation_id"], "turn": 1, "rating": "down", "comment": "看不懂"}
    demo_client.post("/api/feedback", json={**body, "rating": "up", "comment": None})
    stored = demo_services.store.feedback.get(chat["conversation_id"], 1)
    assert stored is not None and stored.rating == "up" and stored.comment == "看不懂"


@pytest.mark.parametrize(("change", "status"), [({"turn": 9}, 404), ({"rating": "meh"}, 422), ({"turn": 0}, 422)])
def test_feedback_errors(demo_client: TestClient, change: dict, status: int) -> None:
    chat = demo_client.post("/api/chat", json={"message": "为什么借不出来", "account_id": "demo-overdue"}).json()
    body = {"conversation_id": chat["conversation_id"], "turn": 1, "rating": "up", **change}
    assert demo_client.post("/api/feedback", json=body).status_code == status


def test_conversation_history_lists_the_turns(demo_client: TestClient) -> None:
    first = demo_client.post("/api/chat", json={"message": "我的电话13812345678，为什么借不出来", "account_id": "demo-overdue"}).json()
    demo_client.post("/api/chat", json={"message": "什么时候能借", "conversation_id": first["conversation_id"]})
    response = demo_client.get(f"/api/conversations/{first['conversation_id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["account_id"] == "demo-overdue"
    assert [t["seq"] for t in body["turns"]] == [1, 2]
    assert body["turns"][0]["answer"] == first["answer"]
    assert "13812345678" not in body["turns"][0]["user_text"]  # stored masked
    assert demo_client.get("/api/conversations/unknown-id").status_code == 404


def test_handoff_creates_a_case_in_the_conversation_language(demo_client: TestClient, demo_services: Services) -> None:
    chat = demo_client.post("/api/chat", json={"message": "Why can't I borrow money?", "account_id": "demo-healthy-en"}).json()
    response = demo_client.post("/api/handoff", json={"conversation_id": chat["conversation_id"]})
    assert response.status_code == 200
    body = response.json()
    assert body["handoff"] is True and body["intent"] == "appeal_or_human"
    assert body["lang"] == "en" and body["turn"] == 2
    record = demo_services.store.handoffs.get(body["handoff_id"])
    assert record is not None and record.account_id == "demo-healthy-en"
    assert record.conversation_id == chat["conversation_id"]


def test_accounts_lists_demo_accounts_with_descriptions(demo_client: TestClient) -> None:
    body = demo_client.get("/api/accounts").json()
    assert body["demo_mode"] is True
    ids = [a["account_id"] for a in body["accounts"]]
    assert "demo-overdue" in ids and "acct-private-1" not in ids
    overdue = next(a for a in body["accounts"] if a["account_id"] == "demo-overdue")
    assert overdue["description_zh"] and overdue["description_en"]
    assert overdue["description_zh"] != overdue["description_en"]


def test_accounts_is_not_offered_outside_demo_mode(secure_client: TestClient) -> None:
    from tests.helpers.web import API_KEY, bearer

    assert secure_client.get("/api/accounts", headers=bearer(API_KEY)).status_code == 404


# -- errors ----------------------------------------------------------------------------------------


def test_unknown_route_and_method_are_json_errors(demo_client: TestClient) -> None:
    assert error_of(demo_client.get("/api/nothing-here"))["code"] == "not_found"
    response = demo_client.get("/api/chat")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_bug_is_a_logged_500_without_details(demo_services: Services, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(create_app(demo_services, surfaces=False, warm_up=False))
    first = client.post("/api/chat", json={"message": "为什么借不出来", "account_id": "demo-overdue"}).json()

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals 13812345678")

    monkeypatch.setattr(demo_services.assistant, "ask", broken)
    response = client.post("/api/chat", json={"message": "那呢", "conversation_id": first["conversation_id"]})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal"
    assert "secret internals" not in response.text
    assert any(first["conversation_id"] in r.getMessage() for r in caplog.records)


def test_service_unavailable_is_503_with_retry_after(demo_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.errors import ServiceUnavailable

    client = TestClient(create_app(demo_services, surfaces=False, warm_up=False))

    def down(*args, **kwargs):
        raise ServiceUnavailable("account store: the database cannot be reached")

    monkeypatch.setattr(demo_services.assistant, "ask", down)
    response = client.post("/api/chat", json={"message": "为什么借不出来", "account_id": "demo-overdue"})
    assert response.status_code == 503
    assert error_of(response)["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0


def test_rate_limit_is_429_with_retry_after(demo_services: Services) -> None:
    services = Services(demo_services.settings.model_copy(update={"rate_limit": "3/minute"}))
    client = TestClient(create_app(services, surfaces=False, warm_up=False))
    body = {"account_id": "demo-healthy", "action": "borrow"}
    statuses = [client.post("/api/check", json=body).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post("/api/check", json=body)
    assert error_of(response)["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert client.get("/healthz").status_code == 200  # health is never rate limited


def test_rate_limit_is_per_identity(secure_services: Services) -> None:
    from tests.helpers.web import API_KEY, OTHER_API_KEY, bearer

    services = Services(secure_services.settings.model_copy(update={"rate_limit": "2/minute"}))
    client = TestClient(create_app(services, surfaces=False, warm_up=False))
    body = {"account_id": "acct-private-1", "action": "borrow"}
    assert [client.post("/api/check", json=body, headers=bearer(API_KEY)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.post("/api/check", json=body, headers=bearer(OTHER_API_KEY)).status_code == 200


def test_cors_allows_only_listed_origins(secure_client: TestClient) -> None:
    allowed = secure_client.options("/api/chat", headers={"Origin": "https://shop.example",
                                                          "Access-Control-Request-Method": "POST",
                                                          "Access-Control-Request-Headers": "authorization,content-type"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    refused = secure_client.options("/api/chat", headers={"Origin": "https://evil.example",
                                                          "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in refused.headers


def test_openapi_schema_lists_the_routes(demo_client: TestClient) -> None:
    paths = demo_client.get("/openapi.json").json()["paths"]
    for path in ("/healthz", "/api/check", "/api/chat", "/api/feedback", "/api/conversations/{conversation_id}",
                 "/api/handoff", "/api/accounts", "/v1/chat/completions"):
        assert path in paths
