"""JSON for the store: money survives exactly.

Every JSON column goes through these two functions (they are the engine's
`json_serializer`/`json_deserializer`). Non-integral numbers are read back as `Decimal`, so a
snapshot's `1200.10` comes back as `Decimal("1200.10")`-equal and never as a binary float that a
later comparison could get wrong. `Decimal` values are written as JSON numbers when a float shows
them exactly (every amount with at most two decimals in a realistic range), otherwise as strings,
which the snapshot parser still reads as decimals: nothing is ever rounded.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from pydantic import BaseModel


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _decimal_to_json(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def _decimal_to_json(value: Decimal) -> int | float | str:
    if not value.is_finite():
        raise TypeError(f"cannot store the number {value} as JSON")
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


class Encoded(str):
    """JSON text its producer has already written (e.g. a decision record's canonical JSON, made
    for its hash): a JSON column stores it as it is instead of serialising the value again."""

    __slots__ = ()


def dumps(value: Any, *, indent: int | None = None) -> str:
    """Serialise to JSON text (UTF-8 characters kept, Decimal exact, datetimes ISO 8601);
    `Encoded` text is already JSON and is returned unchanged."""
    if type(value) is Encoded and indent is None:
        return value
    return json.dumps(value, ensure_ascii=False, default=_default, indent=indent, allow_nan=False)


loads = partial(json.loads, parse_float=Decimal)
"""Parse JSON text, reading non-integral numbers as `Decimal`."""

