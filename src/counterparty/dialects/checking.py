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
from decimal import Decimal
from typing import Any
from uuid import UUID

from counterparty.dialects.fields import WRITES, VendorField, Verb
from counterparty.domain.fields import country_code_for

TYPE, TOO_LONG, PATTERN, REQUIRED, RANGE = "type", "too_long", "pattern", "required", "range"
UNKNOWN = "unknown"  # a `known` text that names no value of its format
_KNOWN = {"country": country_code_for}  # the formats a `known` row can be checked against


@dataclass(frozen=True)
class Problem:
    name: str  # the vendor member, dotted inside objects
    code: str  # TYPE, TOO_LONG, PATTERN, REQUIRED, RANGE, UNKNOWN
    row: VendorField
    value: Any = None  # what was sent, for a wording that repeats it


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
    """A whole number: JSON does not tell 24.0 from 24."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
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
    if kind == "scalar":
        return isinstance(value, str | int | float)
    if kind in ("date", "datetime"):
        return _moment(value)
    if kind == "guid":
        return isinstance(value, str) and _guid(value)
    if kind == "list" and (row.members or row.item_length):  # `check` looks into each item
        return isinstance(value, list)
    if kind == "list":
        item = VendorField(row.name, row.items or "text", row.canonical)
        return isinstance(value, list) and all(v is None or has_type(item, v) for v in value)
    return isinstance(value, Mapping)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _out_of_bounds(row: VendorField, value: Any) -> bool:
    if row.bounds is not None and not row.bounds[0] <= value <= row.bounds[1]:
        return True
    return row.decimals is not None and bool((Decimal(str(value)) * 10**row.decimals) % 1)


def check(
    table: tuple[VendorField, ...],
    values: Mapping[str, Any],
    verb: Verb,
    prefix: str = "",
    *,
    strict: bool = False,
) -> list[Problem]:
    """Every problem of the members sent (`values`, by vendor name), in table order. A blank
    text is no value, as frameworks that convert empty strings to null take it; a `strict`
    vendor, which converts nothing, takes it as a value of the wrong type except for a text."""
    problems: list[Problem] = []
    for row in table:
        if row.read_only or verb not in row.writes:
            continue
        name = prefix + row.name
        value: Any = values.get(row.name)
        if value is None or (blank(value) and (not strict or row.type in ("text", "scalar"))):
            pass  # no value: nothing to check but whether one was required
        elif not has_type(row, value):
            problems.append(Problem(name, TYPE, row, value))
            continue
        elif (
            row.max_length is not None
            and isinstance(value, str | list)
            and len(value) > row.max_length
        ):
            problems.append(Problem(name, TOO_LONG, row, value))
            continue
        elif row.pattern and value.strip() and not re.fullmatch(row.pattern, value.strip()):
            problems.append(Problem(name, PATTERN, row, value))
            continue
        elif _out_of_bounds(row, value):
            problems.append(Problem(name, RANGE, row, value))
            continue
        elif row.known and row.format in _KNOWN and not _KNOWN[row.format](value):
            problems.append(Problem(name, UNKNOWN, row, value))
            continue
        elif row.type == "list" and (row.members or row.item_length):
            problems += _items(row, value, verb, name, strict)
        needed = verb in row.required or (not row.blank and row.name in values)
        if row.required_if is not None:
            other, wanted = row.required_if
            needed = needed or (verb != "PATCH" and values.get(other) == wanted)
        if needed and blank(value):
            problems.append(Problem(name, REQUIRED, row, value))
    return problems


def _items(
    row: VendorField, items: list[Any], verb: Verb, name: str, strict: bool
) -> list[Problem]:
    """The problems of a list's items: objects checked against the row's `members`, texts
    each as a member that must have a value of at most `item_length` characters."""
    problems: list[Problem] = []
    for index, item in enumerate(items):
        if row.item_length is not None:
            text = VendorField(str(index), "text", row.canonical, row.item_length, required=WRITES)
            problems += check((text,), {text.name: item}, verb, f"{name}.", strict=strict)
        elif isinstance(item, Mapping):
            problems += check(row.members, item, verb, f"{name}.{index}.", strict=strict)
        else:
            problems.append(Problem(f"{name}.{index}", TYPE, row, item))
    return problems


def unknown_members(
    table: tuple[VendorField, ...], values: Any, at: tuple[str | int, ...] = ()
) -> list[tuple[str | int, ...]]:
    """The members sent that the table does not have, as paths (inside the lists of objects
    `check` looks into), for a vendor that refuses them rather than ignoring them. Paths, not
    dotted names: a member the table does not have may hold any character."""
    if not isinstance(values, Mapping):
        return []
    rows = {row.name: row for row in table}
    found: list[tuple[str | int, ...]] = [(*at, name) for name in values if name not in rows]
    for name, row in rows.items():
        items = values.get(name)
        if (
            row.type == "list" and row.members and isinstance(items, list)
            and (row.max_length is None or len(items) <= row.max_length)
        ):  # fmt: skip
            for index, item in enumerate(items):
                found += unknown_members(row.members, item, (*at, name, index))
    return found


def word(problem: Problem, templates: Mapping[str, str]) -> str:
    """A problem in a framework's wording: `templates` by code (TYPE, TOO_LONG, ...; the code
    plus "_if" for a conditional requirement), filled from the problem and its row."""
    row = problem.row
    other, wanted = row.required_if or ("", "")
    code = problem.code
    if code == REQUIRED and row.required_if and not row.required:
        code = REQUIRED + "_if"
    if code == TYPE:
        code = f"{TYPE}_{row.type}" if f"{TYPE}_{row.type}" in templates else TYPE
    low, high = row.bounds or (None, None)
    return templates[code].format(
        path=problem.name, name=problem.name.rsplit(".", 1)[-1],
        label=problem.name.replace("_", " "), max_length=row.max_length, pattern=row.pattern,
        low=low, high=high, other=other.replace("_", " "), wanted=wanted,
    )  # fmt: skip
