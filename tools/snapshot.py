"""The account snapshot and platform state (CONTRACT.md section 1), as validated pydantic models.

Unknown fields are ignored, a JSON null is the same as a missing field, defaults are the
contract's, money is Decimal and every datetime is converted to Asia/Shanghai. A snapshot
without a `limit` object reads as nothing available (limit 0): we never assume credit exists.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from tools.errors import UserInputError
from tools.inputs import EARLIEST_YEAR, LATEST_YEAR, to_local

# Yuan with at most two decimals (fen), as the contract fixes money.
_M = TypeVar("_M", bound=BaseModel)
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, decimal_places=2)]
Count = Annotated[int, Field(ge=0)]
LocalDatetime = Annotated[datetime, AfterValidator(to_local)]


def _plausible_year(day: date) -> date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return day


# A date the engine does arithmetic on (opened_at + 90 days); an ID expiry may be 9999-12-31.
PlausibleDate = Annotated[date, AfterValidator(_plausible_year)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _null_means_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data


class Customer(_Model):
    age: Annotated[int, Field(ge=0, le=150)] | None = None
    id_document_expiry: date | None = None
    face_verification_required: bool = False


class Limit(_Model):
    total: Money = Decimal(0)
    used: Money = Decimal(0)
    available: Money = Decimal(0)


class Overdue(_Model):
    amount: Money = Decimal(0)
    days: Count = 0
    count_12m: Count = 0


class Activity(_Model):
    loans_today: Count = 0
    applications_24h: Count = 0
    last_application_at: LocalDatetime | None = None


class Repayment(_Model):
    id: str | None = None
    amount: Money
    paid_at: LocalDatetime
    channel: Literal["balance", "bank_card", "bank_transfer"]
    status: Literal["posted", "pending", "failed"]
    posted_at: LocalDatetime | None = None


class BankCard(_Model):
    status: Literal["valid", "expired", "frozen", "name_mismatch", "missing"] = "valid"
    last4: str | None = None


class Risk(_Model):
    hold: bool = False
    reason: Literal["policy_tightening", "abnormal_activity", "model_reassessment", "device_change"] | None = None
    review_until: LocalDatetime | None = None


class Compliance(_Model):
    review_pending: bool = False
    expected_by: LocalDatetime | None = None


class Credit(_Model):
    debt_to_income: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None = None
    external_lenders: Count | None = None
    income_verified_at: date | None = None


class LimitChange(_Model):
    at: LocalDatetime
    from_: Money = Field(alias="from")
    to: Money
    reason: Literal["reassessment", "overdue", "inactivity", "policy", "increase_approved", "closed"] | None = None


class LimitIncrease(_Model):
    last_request_at: LocalDatetime | None = None
    last_result: Literal["approved", "denied", "pending"] | None = None


class Snapshot(_Model):
    """One customer's account as the lender's core system exports it."""

    account_id: Annotated[str, Field(min_length=1, max_length=128)]
    as_of: LocalDatetime
    status: Literal["active", "not_opened", "frozen", "closed"] = "active"
    status_reason: (
        Literal["overdue", "risk_control", "fraud_suspected", "user_request", "inactivity", "policy", "court_order"]
        | None
    ) = None
    status_changed_at: LocalDatetime | None = None
    customer: Customer = Customer()
    limit: Limit = Limit()
    overdue: Overdue = Overdue()
    activity: Activity = Activity()
    repayments: tuple[Repayment, ...] = ()
    bank_card: BankCard = BankCard()
    risk: Risk = Risk()
    compliance: Compliance = Compliance()
    credit: Credit = Credit()
    limit_history: tuple[LimitChange, ...] = ()
    limit_increase: LimitIncrease = LimitIncrease()
    opened_at: PlausibleDate | None = None


class MaintenanceWindow(_Model):
    start: LocalDatetime
    end: LocalDatetime

    @model_validator(mode="after")
    def _ordered(self) -> MaintenanceWindow:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Platform(_Model):
    """Lender-wide state passed beside the snapshot."""

    maintenance: tuple[MaintenanceWindow, ...] = ()
    funding_quota_remaining: Money | None = None


# ---- validation errors as one line naming the field ---------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "is required",
    "decimal_max_places": "must have at most two decimals (fen)",
    "decimal_parsing": "must be a number",
    "decimal_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "datetime_parsing": "must be an ISO 8601 date-time, e.g. 2026-11-20T10:00:00+08:00",
    "datetime_type": "must be an ISO 8601 date-time, e.g. 2026-11-20T10:00:00+08:00",
    "datetime_from_date_parsing": "must be an ISO 8601 date-time, e.g. 2026-11-20T10:00:00+08:00",
    "date_parsing": "must be a date, e.g. 2026-11-20",
    "date_type": "must be a date, e.g. 2026-11-20",
    "date_from_datetime_inexact": "must be a date without a time, e.g. 2026-11-20",
    "date_from_datetime_parsing": "must be a date, e.g. 2026-11-20",
    "string_type": "must be a string",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
}


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + ("from" if part == "from_" else part)
    return path or "snapshot"


def _describe(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"must be a number ≥ {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be a number ≤ {ctx.get('le')}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return _MESSAGES.get(kind, error["msg"])


def _validated(model: type[_M], data: Any, what: str) -> _M:
    """`data` as `model`, or one UserInputError naming the first bad field."""
    if not isinstance(data, dict):
        raise UserInputError(f"{what}: must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = _field_path(tuple(error["loc"]))
        # Snapshot fields are named from the top ("limit.available"), platform ones with their object.
        name = field if what == "snapshot" else f"{what}.{field}"
        raise UserInputError(f"{name}: {_describe(error)}") from None


def parse_snapshot(data: Any) -> Snapshot:
    """Validate a snapshot dict; bad input raises UserInputError('limit.available: must be a number ≥ 0')."""
    if isinstance(data, Snapshot):
        return data
    return _validated(Snapshot, data, "snapshot")


def parse_platform(data: Any) -> Platform:
    """Validate the platform object; None means no extra windows and no funding limit."""
    if data is None:
        return Platform()
    if isinstance(data, Platform):
        return data
    return _validated(Platform, data, "platform")
