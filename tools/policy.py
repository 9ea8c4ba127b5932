"""The lending policy: every threshold a rule uses, loaded from a replaceable YAML file."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tools.errors import ConfigError
from tools.yamlfile import SafeLoader

DEFAULT_POLICY_FILE = Path(__file__).resolve().parent / "policy" / "default-2026.11.yaml"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DrawPolicy(_Section):
    min_amount: Decimal
    max_amount: Decimal
    max_draws_per_day: int


class ApplicationPolicy(_Section):
    max_in_window: int
    window_hours: int


class EligibilityPolicy(_Section):
    min_age: int
    max_age: int


class IdDocumentPolicy(_Section):
    expiring_within_days: int


class DebtPolicy(_Section):
    max_debt_to_income: Decimal
    max_external_lenders: int


class IncomeVerificationPolicy(_Section):
    amount_above: Decimal
    max_age_days: int


class MaintenancePolicy(_Section):
    daily_start: time
    daily_end: time


class RepaymentPostingPolicy(_Section):
    bank_card_hours: int
    bank_transfer_time: time
    business_days: tuple[int, ...] = Field(min_length=1)


class RepaymentFailedPolicy(_Section):
    lookback_days: int


class LimitIncreasePolicy(_Section):
    cooldown_days: int
    min_account_age_days: int
    max_overdue_count_12m: int
    reduction_lookback_days: int


class Policy(_Section):
    """Policy "2026.11" and its replacements. Thresholds only; the rules live in `tools.rules`."""

    policy_version: str
    timezone: str = "Asia/Shanghai"
    draw: DrawPolicy
    applications: ApplicationPolicy
    eligibility: EligibilityPolicy
    id_document: IdDocumentPolicy
    debt: DebtPolicy
    income_verification: IncomeVerificationPolicy
    maintenance: MaintenancePolicy
    repayment_posting: RepaymentPostingPolicy
    repayment_failed: RepaymentFailedPolicy
    limit_increase: LimitIncreasePolicy

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        _zone(value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The lender's time zone: the engine reads calendar days, midnights, maintenance
        windows and posting times in it (a time without an offset is still Asia/Shanghai's,
        CONTRACT section 1)."""
        return _zone(self.timezone)

    def value(self, dotted_key: str) -> Any:
        """The raw value at a dotted key such as ``draw.min_amount``."""
        node: Any = self
        for part in dotted_key.split("."):
            if not isinstance(node, BaseModel) or part not in type(node).model_fields:
                raise KeyError(dotted_key)
            node = getattr(node, part)
        return node

    def render(self, dotted_key: str) -> str:
        """How documents and answers print a policy value: 100,000 · 0.70 · 23:50."""
        return format_policy_value(self.value(dotted_key))


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def format_policy_value(value: Any) -> str:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return f"{value:.2f}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_0-9]+)+)\s*\}\}")


def render_placeholders(text: str, policy: Policy) -> str:
    """Replace ``{{draw.min_amount}}`` with the policy's value; an unknown key is an error."""

    def substitute(match: re.Match[str]) -> str:
        try:
            return policy.render(match.group(1))
        except KeyError:
            raise ConfigError(f"unknown policy placeholder {{{{{match.group(1)}}}}}") from None

    return PLACEHOLDER.sub(substitute, text)


def _yaml_decimal_loader() -> type[yaml.SafeLoader]:
    """A YAML loader that reads floats as Decimal, so 0.70 stays exactly 0.70."""

    class DecimalLoader(SafeLoader):  # type: ignore[misc,valid-type]
        pass

    def construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
        return Decimal(loader.construct_scalar(node))  # type: ignore[arg-type]

    DecimalLoader.add_constructor("tag:yaml.org,2002:float", construct_decimal)
    return DecimalLoader


def load_policy(path: Path | str | None = None) -> Policy:
    """Load and validate a policy file; a bad file is one `ConfigError` naming the key (the
    operator's to fix, never the customer's)."""
    if path is None:
        return _default_policy()  # no path resolution on the hot path (bench/engine.py)
    return _load_policy_cached(str(Path(path).resolve()))


@lru_cache(maxsize=1)
def _default_policy() -> Policy:
    return _load_policy_cached(str(DEFAULT_POLICY_FILE))


@lru_cache(maxsize=8)
def _load_policy_cached(path: str) -> Policy:
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_yaml_decimal_loader())
    except OSError as exc:
        raise ConfigError(f"policy file {path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"policy file {path}: not valid YAML ({exc})") from None
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "policy"
        raise ConfigError(f"policy file {path}: {key}: {err['msg']}") from None
