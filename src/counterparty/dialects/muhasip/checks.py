"""The check of a Muhasip body: the shared checker, then the `variables` rule's own check, in
Muhasip's names and wording."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from counterparty.dialects.checking import (
    REQUIRED,
    TOO_LONG,
    TYPE,
    UNKNOWN,
    Problem,
    check,
    unknown_members,
)
from counterparty.dialects.fields import VendorField, by_name
from counterparty.dialects.muhasip.inbound import custom_key
from counterparty.dialects.muhasip.table import TABLE, VARIABLE
from counterparty.domain.text import decimal_digits
from counterparty.domain.validation import json_pointer
from counterparty.errors import FieldError

# --- the check: the shared checker, then the `variables` rule's own, in Muhasip's names -----
# Muhasip (mongoose) refuses members it does not have and coerces nothing. Problems are
# listed in the table's order, unknown members first at each level; a list that is too long
# is reported as such and not looked into.

_CODES: Final = {TYPE: "invalid_type", TOO_LONG: "too_long", REQUIRED: "required",
                 UNKNOWN: "invalid_country"}  # fmt: skip
_EXPECTED: Final = {
    "text": "expected a string", "boolean": "expected true or false", "list": "expected a list",
    "object": "expected an object", "scalar": "a string, a number, true, false or null",
}  # fmt: skip
# (row's member, code) -> Muhasip's (code, detail) where its wording is the row's own
_KEY_NEEDED: Final = ("required", "a variable needs a key (a non-empty string)")
_KEY_LENGTH: Final = by_name(VARIABLE)["key"].max_length or 0
_TITLE: Final = ("invalid_type", f"a string of at most {by_name(VARIABLE)['title'].max_length} "
                 "characters")  # fmt: skip
_OWN_WORDING: Final = {
    ("variables.key", TYPE): _KEY_NEEDED, ("variables.key", REQUIRED): _KEY_NEEDED,
    ("variables.title", TYPE): _TITLE, ("variables.title", TOO_LONG): _TITLE,
}  # fmt: skip


Path = tuple[str | int, ...]  # a member's place in the body (list indexes as ints)
Found = tuple[Path, FieldError]


def _error(path: Path, code: str, detail: str) -> Found:
    return path, FieldError(code, detail, pointer=json_pointer(path))


def _path(name: str) -> Path:
    """A checker's dotted name as a path (table members hold no dots)."""
    return tuple(int(part) if decimal_digits(part) else part for part in name.split("."))


def check_body(body: Any) -> list[FieldError]:
    if not isinstance(body, Mapping):
        return [FieldError("invalid_type", "the body must be a JSON object", pointer="")]
    found = [
        _error(path, "unknown_field", f"'{path[-1]}' is not a member here")
        for path in unknown_members(TABLE, body)
    ]
    found += [_worded(problem) for problem in check(TABLE, body, "PUT", strict=True)]
    found += _duplicate_keys(TABLE, body)
    return [error for _, error in sorted(found, key=lambda item: _table_order(item[0]))]


def _worded(problem: Problem) -> Found:
    """A problem of the shared checker in Muhasip's codes and wording."""
    path, row, value = _path(problem.name), problem.row, problem.value
    members = [part for part in path if isinstance(part, str)]
    own = _OWN_WORDING.get((".".join(members[-2:]), problem.code))
    is_item = isinstance(path[-1], int)
    if is_item and row.type == "text":  # an item of `ibans`, the one list of texts
        own = ("invalid_type", f"an IBAN of 1 to {row.max_length} characters")
    if own is not None:
        return _error(path, *own)
    code, detail = _CODES[problem.code], ""
    if problem.code == TYPE:  # an item here is one of a list of objects
        detail = _EXPECTED["object" if is_item else row.type]
    if problem.code == TOO_LONG and row.type == "list":
        code, detail = "too_many_items", f"at most {row.max_length} items"
    elif problem.code == TOO_LONG:
        detail = f"at most {row.max_length} characters"
    elif problem.code == UNKNOWN:
        detail = f"'{value}' is not a country name we know"
    elif problem.code == REQUIRED and value is not None:  # sent, but blank
        detail = f"'{row.name}' may not be empty"
    elif problem.code == REQUIRED:
        detail = f"'{row.name}' is required"
    return _error(path, code, detail)


def _table_order(path: Path) -> tuple[int, ...]:
    """A member's place: its row's position at each level (list indexes as they are), -1 for
    a member the table does not have."""
    rows: tuple[VendorField, ...] = TABLE
    place: list[int] = []
    for part in path:
        if isinstance(part, int):
            place.append(part)
            continue
        names = [row.name for row in rows]
        position = names.index(part) if part in names else -1
        place.append(position)
        rows = rows[position].members if position >= 0 else ()
    return tuple(place)


def _listed(value: Any, row: VendorField) -> list[Any]:
    """The items of a list the checker looked into (a list, not too long), else none."""
    fits = isinstance(value, list) and len(value) <= (row.max_length or len(value))
    return value if fits else []


def _duplicate_keys(
    rows: tuple[VendorField, ...], values: Mapping[str, Any], at: Path = ()
) -> list[Found]:
    """What the `variables` rule checks beyond the columns: keys that stay distinct as
    custom-field keys, in each list of variables the checker looked into."""
    found: list[Found] = []
    for row in rows:
        seen: set[str] = set()
        for index, item in enumerate(_listed(values.get(row.name), row) if row.members else []):
            if not isinstance(item, Mapping):
                continue
            found += _duplicate_keys(row.members, item, (*at, row.name, index))
            key = item.get("key") if row.members is VARIABLE else None
            if isinstance(key, str) and key.strip() and len(key) <= _KEY_LENGTH:
                if custom_key(key) in seen:
                    detail = f"another variable already has the key '{key}'"
                    found.append(_error((*at, row.name, index, "key"), "duplicate_key", detail))
                seen.add(custom_key(key))
    return found
