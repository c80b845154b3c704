"""The one checker of vendor values: each row's type, length, pattern and required rules.

It reports problems as data (member, code, row); each family words them as its framework does
(Laravel's "The email field must be a string.", ASP.NET's "The field KvK must be a string with a
maximum length of 8.", OData's targets).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from counterparty.dialects.fields import VendorField, Verb

TYPE, TOO_LONG, PATTERN, REQUIRED = "type", "too_long", "pattern", "required"


@dataclass(frozen=True)
class Problem:
    name: str  # the vendor member, dotted inside objects
    code: str  # TYPE, TOO_LONG, PATTERN, REQUIRED
    row: VendorField


def _moment(value: Any) -> bool:
    try:
        datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        return False
    return True


def _guid(value: Any) -> bool:
    try:
        UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def _integer(value: Any, bits: int | None) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return bits is None or -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)


def has_type(row: VendorField, value: Any) -> bool:
    """Whether a (non-null) value is of the row's type."""
    kind = row.type
    if kind == "text":
        return isinstance(value, str)
    if kind == "integer":
        return _integer(value, row.bits)
    if kind == "decimal":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("date", "datetime"):
        return _moment(value)
    if kind == "guid":
        return isinstance(value, str) and _guid(value)
    if kind == "list":
        item = VendorField(row.name, row.items or "text", row.canonical)
        return isinstance(value, list) and all(v is None or has_type(item, v) for v in value)
    return isinstance(value, Mapping)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check(
    table: tuple[VendorField, ...], values: Mapping[str, Any], verb: Verb, prefix: str = ""
) -> list[Problem]:
    """Every problem of the members sent (`values`, by vendor name), in table order."""
    problems: list[Problem] = []
    for row in table:
        if row.read_only or verb not in row.writes:
            continue
        name, value = prefix + row.name, values.get(row.name)
        if value is None:
            pass
        elif not has_type(row, value):
            problems.append(Problem(name, TYPE, row))
            continue
        elif row.max_length is not None and len(value) > row.max_length:
            problems.append(Problem(name, TOO_LONG, row))
            continue
        elif row.pattern is not None and value.strip() and not re.fullmatch(row.pattern, value):
            problems.append(Problem(name, PATTERN, row))
            continue
        needed = verb in row.required
        if row.required_if is not None:
            other, wanted = row.required_if
            needed = needed or (verb != "PATCH" and values.get(other) == wanted)
        if needed and blank(value):
            problems.append(Problem(name, REQUIRED, row))
    return problems
