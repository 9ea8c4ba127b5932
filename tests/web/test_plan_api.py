"""POST /api/plan: the body and credentials of /api/check, section 9's plan, audited, in OpenAPI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from assistant.accounts import load_account
from assistant.services import Services
from tests.helpers.web import (
    API_KEY,
    OTHER_PRIVATE_ACCOUNT,
    PRIVATE_ACCOUNT,
    bearer,
    error_of,
    private_snapshot,
    user_headers,
)
from tools.plan import plan

PLAN_KEYS = ["goal", "reachable", "earliest_at", "amount_now", "amount_at_goal", "steps", "blocked_by",
             "policy_version", "checked_at"]


def audit_actions(services: Services) -> list[str]:
    return [r.action for r in services.store.audit.since(datetime(2000, 1, 1, tzinfo=UTC))]


def test_plan_is_exactly_the_planner_result_and_is_audited(demo_client: TestClient,
                                                           demo_services: Services) -> None:
    before = audit_actions(demo_services).count("plan")
    response = demo_client.post("/api/plan", json={"account_id": "demo-multi", "action": "borrow", "amount": 5000})
    assert response.status_code == 200
    snapshot, platform = load_account("demo-multi", demo_services.store)
    expected = plan(snapshot, platform, demo_services.policy, Decimal(5000), None)
    body = response.json()
    assert body == json.loads(expected.to_json()) and list(body) == PLAN_KEYS
    assert [s["step"] for s in body["steps"]] == ["UPDATE_ID_DOCUMENT", "WAIT_UNTIL"]
    assert body["earliest_at"] == "2026-11-23T09:00:00+08:00"
    assert audit_actions(demo_services).count("plan") == before + 1


def test_action_may_be_left_out_and_at_is_honoured(demo_client: TestClient) -> None:
    body = demo_client.post("/api/plan", json={"account_id": "demo-daily-limit",
                                               "at": "2026-11-20T15:00:00"}).json()
    assert body["goal"] == {"action": "borrow", "amount": None}
    assert body["checked_at"] == "2026-11-20T15:00:00+08:00"
    assert body["earliest_at"].endswith("00:10:00+08:00")


@pytest.mark.parametrize(("body", "fragment"), [
    ({"account_id": "demo-healthy", "amount": 0}, "amount"),
    ({"account_id": "demo-healthy", "amount": "abc"}, "amount"),
    ({"account_id": "demo-healthy", "amount": 12.345}, "two decimals"),
    ({"account_id": "demo-healthy", "action": "limit_status"}, "action"),
    ({"account_id": "demo-healthy", "at": "yesterday-ish"}, "at"),
    ({"amount": 5000}, "account_id"),
])
def test_bad_input_is_422(demo_client: TestClient, body: dict, fragment: str) -> None:
    response = demo_client.post("/api/plan", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] in ("invalid_input", "invalid_request") and fragment in error["message"]


def test_demo_mode_refuses_what_check_refuses(demo_client: TestClient) -> None:
    for body in ({"account_id": PRIVATE_ACCOUNT}, {"account": private_snapshot("x")}):
        plan_response = demo_client.post("/api/plan", json=body)
        check_response = demo_client.post("/api/check", json={**body, "action": "borrow"})
        assert plan_response.status_code == check_response.status_code == 403
        assert error_of(plan_response) == error_of(check_response)


def test_credentials_as_for_check(secure_client: TestClient) -> None:
    assert secure_client.post("/api/plan", json={"account_id": PRIVATE_ACCOUNT}).status_code == 401
    mine = secure_client.post("/api/plan", json={}, headers=user_headers(PRIVATE_ACCOUNT))
    assert mine.status_code == 200 and mine.json()["reachable"] is True
    for body in ({"account_id": OTHER_PRIVATE_ACCOUNT}, {"account": private_snapshot(PRIVATE_ACCOUNT)},
                 {"platform": {"funding_quota_remaining": 0}}):
        response = secure_client.post("/api/plan", json=body, headers=user_headers(PRIVATE_ACCOUNT))
        assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
    inline = private_snapshot("acct-inline") | {"overdue": {"amount": 800, "days": 3}}
    by_key = secure_client.post("/api/plan", json={"account": inline, "amount": 3000,
                                                   "platform": {"funding_quota_remaining": 1000000}},
                                headers=bearer(API_KEY))
    assert by_key.status_code == 200
    assert [(s["step"], s["amount"]) for s in by_key.json()["steps"]] == [("REPAY_OVERDUE", 800)]


def test_openapi_documents_the_plan(demo_client: TestClient) -> None:
    schema = demo_client.get("/openapi.json").json()
    operation = schema["paths"]["/api/plan"]["post"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PlanResponse"}
    plan_schema = schema["components"]["schemas"]["PlanResponse"]
    assert list(plan_schema["properties"]) == PLAN_KEYS
    assert set(schema["components"]["schemas"]["PlanStepOut"]["properties"]) == {
        "step", "kind", "at", "amount", "clears", "certain"}
    assert "422" in operation["responses"]
