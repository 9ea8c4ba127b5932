"""Hypothesis strategies: valid nested snapshots and platforms as raw JSON-able dicts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

BASE = datetime(2026, 11, 18, 10, 0, tzinfo=timezone(timedelta(hours=8)))
OFFSETS = [timedelta(hours=8), timedelta(0), timedelta(hours=-5), timedelta(hours=5, minutes=30)]


def money(max_cents: int = 30_000_000) -> st.SearchStrategy[float | int]:
    """Yuan with at most two decimals, as a JSON number (int or float)."""
    return st.integers(0, max_cents).flatmap(
        lambda cents: st.sampled_from([cents / 100] + ([cents // 100] if cents % 100 == 0 else [])))


@st.composite
def instants(draw, around: datetime = BASE, days: int = 400) -> datetime:
    seconds = draw(st.integers(-days * 86400, days * 86400))
    return around + timedelta(seconds=seconds)


@st.composite
def times(draw, around: datetime = BASE, days: int = 400) -> str:
    """An ISO time, with a random offset or naive (naive = Shanghai)."""
    moment = draw(instants(around, days))
    if draw(st.booleans()):
        return moment.replace(tzinfo=None).isoformat()  # BASE is +08:00, so naive = Shanghai
    return moment.astimezone(timezone(draw(st.sampled_from(OFFSETS)))).isoformat()


def dates(days: int = 800) -> st.SearchStrategy[str]:
    return st.integers(-days, days).map(lambda n: (date(2026, 11, 18) + timedelta(days=n)).isoformat())


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, an explicit null, or (via `_drop_missing`) an absent field."""
    return st.one_of(st.just(_MISSING), st.none(), strategy)


_MISSING = object()


def _drop_missing(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not _MISSING}


def objects(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: maybe(v) for k, v in fields.items()}).map(_drop_missing)


def _with_required(required: dict[str, st.SearchStrategy[Any]],
                   optional: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.tuples(st.fixed_dictionaries(required), optional).map(lambda p: {**p[1], **p[0]})


# A list entry needs the fields without which it means nothing (the engine's reading).
repayments = st.lists(_with_required(
    {"amount": money(), "paid_at": times(days=40),
     "channel": st.sampled_from(["balance", "bank_card", "bank_transfer"]),
     "status": st.sampled_from(["posted", "pending", "failed"])},
    objects(id=st.text("abc123", min_size=1, max_size=4), posted_at=times(days=40)),
), max_size=4)

limit_history = st.lists(_with_required(
    {"at": times(days=200), "from": money(), "to": money()},
    objects(reason=st.sampled_from(["reassessment", "overdue", "inactivity", "policy",
                                    "increase_approved", "closed"])),
), max_size=4)


BOUNDARY_MONEY = [0, 0.01, 499.99, 500, 3000, 4000, 20000, 50000, 50000.01, 80000, 100000,
                  100000.01, 150000]


def healthy_or(healthy: dict[str, Any], strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Often a healthy section, so that allowed results and caps get exercised too."""
    return st.one_of(st.just(healthy), strategy)


@st.composite
def snapshots(draw) -> dict[str, Any]:
    """Any snapshot section 1 allows: every optional field present, null or absent."""
    raw = {"account_id": draw(st.text("abcdef0123456789-", min_size=1, max_size=12)),
           "as_of": draw(times(days=3))}
    limit_money = st.one_of(st.sampled_from(BOUNDARY_MONEY), money())
    optional = objects(
        status=st.sampled_from(["active", "active", "active", "not_opened", "frozen", "closed"]),
        status_reason=st.sampled_from(["overdue", "risk_control", "fraud_suspected",
                                       "user_request", "inactivity", "policy", "court_order"]),
        status_changed_at=times(),
        customer=healthy_or({"age": 30}, objects(
            age=st.integers(0, 110), id_document_expiry=dates(),
            face_verification_required=st.booleans())),
        overdue=healthy_or({}, objects(amount=money(500_000), days=st.integers(0, 400),
                                       count_12m=st.integers(0, 12))),
        activity=healthy_or({}, objects(loans_today=st.integers(0, 6),
                                        applications_24h=st.integers(0, 9),
                                        last_application_at=times(days=3))),
        repayments=repayments,
        bank_card=healthy_or({"status": "valid"}, objects(
            status=st.sampled_from(["valid", "expired", "frozen", "name_mismatch", "missing"]),
            last4=st.text("0123456789", min_size=4, max_size=4))),
        risk=healthy_or({}, objects(
            hold=st.booleans(),
            reason=st.sampled_from(["policy_tightening", "abnormal_activity",
                                    "model_reassessment", "device_change"]),
            review_until=times(days=30))),
        compliance=healthy_or({}, objects(review_pending=st.booleans(),
                                          expected_by=times(days=30))),
        credit=healthy_or({"debt_to_income": 0.3}, objects(
            debt_to_income=st.integers(0, 200).map(lambda n: n / 100),
            external_lenders=st.integers(0, 12), income_verified_at=dates(500))),
        limit_history=limit_history,
        limit_increase=objects(last_request_at=times(days=60),
                               last_result=st.sampled_from(["approved", "denied", "pending"])),
        opened_at=dates(),
    )
    raw.update(draw(optional))
    # the limit is usually there (a missing or null limit reads as 0 available)
    raw["limit"] = draw(st.one_of(
        _with_required({"available": limit_money}, objects(total=limit_money, used=money())),
        _with_required({"available": limit_money}, objects(total=limit_money, used=money())),
        st.none(), objects(total=limit_money, used=money(), available=limit_money)))
    if draw(st.booleans()):
        raw["unknown_field"] = {"ignored": True}
    return raw


@st.composite
def windows(draw) -> dict[str, str]:
    start = draw(instants(days=3))
    end = start + timedelta(minutes=draw(st.integers(1, 600)))
    return {"start": start.isoformat(), "end": end.isoformat()}


platforms = st.one_of(st.none(), objects(
    maintenance=st.lists(windows(), max_size=3),
    funding_quota_remaining=st.one_of(st.sampled_from(BOUNDARY_MONEY), money(20_000_000))))

amounts = st.one_of(
    st.none(),
    st.sampled_from(["300", "499.99", "500", "3000", "5000", "20000", "20000.01", "50000",
                     "50000.01", "100000", "100000.01"]),
    st.integers(1, 20_000_000).map(lambda cents: f"{cents / 100:.2f}"))
at_offsets = st.one_of(st.none(), st.integers(0, 3 * 86400))  # seconds after as_of
actions = st.sampled_from(["borrow", "limit_status", "limit_increase"])
