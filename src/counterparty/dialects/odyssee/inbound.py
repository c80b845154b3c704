"""An Odyssee body -> canonical values: type checks, the vendor's "no value" defaults and the
typed forms kept. `translate` turns a body into canonical paths, `extensions.odyssee` members
and the secret, following the tables in `table.py`; it does not know which operation runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from counterparty.dialects.base import set_path
from counterparty.dialects.odyssee.errors import invalid
from counterparty.dialects.odyssee.table import (
    AS_SENT,
    BOOL,
    COUNTRY,
    CREATED,
    DATE,
    DATETIME,
    EMAIL,
    EXT,
    GUID,
    IDENTIFIER,
    LANGUAGE,
    NORMALISED,
    NUMBER,
    PHONE,
    READ_ONLY,
    SECRET,
    STREET_NUMBER,
    TEXTUAL,
    Field,
)
from counterparty.domain.fields import country_code_for
from counterparty.domain.merge_patch import merge_patch
from counterparty.errors import FieldError

NO_DATE = date(1980, 1, 1)  # the vendor's "no value" for dates


class Problem(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def moment(text: str) -> datetime | None:
    """A date or date-time as Odyssee writes them (7 fraction digits, `Z` or an offset)."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def primary_language(text: str) -> str:
    """Primary subtag: "nl-BE" and "NL" give "nl" (the canonical language is ISO 639-1)."""
    return text.strip().replace("_", "-").split("-")[0].lower()


def check(spec: Field, raw: Any) -> Any:
    """The value as sent when it fits the field; None for null or the type's default."""
    if raw is None:
        return None
    kind = spec.kind
    if kind in TEXTUAL:
        if not isinstance(raw, str):
            raise Problem("invalid_type", "expected a string")
        if spec.max_length is not None and len(raw.strip()) > spec.max_length:
            raise Problem("too_long", f"at most {spec.max_length} characters")
        return raw if raw.strip() else None
    if kind == GUID:
        try:
            parsed = UUID(raw) if isinstance(raw, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise Problem(
                "invalid_format", "expected a GUID like 93498506-9dde-4593-b844-e3c51c0e2bc2"
            )
        return raw if parsed.int else None
    if kind == BOOL:
        if not isinstance(raw, bool):
            raise Problem("invalid_type", "expected true or false")
        return raw or None
    if kind in (DATE, DATETIME):
        found = moment(raw) if isinstance(raw, str) else None
        if found is None:
            raise Problem(
                "invalid_format", "expected a date or date-time like 2024-05-31T08:30:00.000Z"
            )
        return raw if found.date() != NO_DATE else None
    if kind == NUMBER:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise Problem("invalid_type", "expected a number")
        return raw or None
    if not isinstance(raw, dict):
        raise Problem("invalid_type", "expected an object")
    return raw or None


def to_canonical(spec: Field, value: Any) -> Any:
    if spec.kind == BOOL:
        return bool(value)
    if value is None:
        return None
    if spec.kind == GUID:
        return str(UUID(value))
    if spec.kind == DATE:
        found = moment(value)
        return found.date().isoformat() if found else None
    if spec.kind == LANGUAGE:
        return primary_language(value)
    if spec.kind == COUNTRY:
        code = country_code_for(value)
        if code is None:
            raise Problem("invalid_country", f"'{value}' names no country we know")
        return code
    return value


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def alphanumeric(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def plain(spec: Field, typed: str) -> bool:
    """Whether a typed value already has the form the canonical model stores (no need to
    keep it). Deliberately independent of the canonical normalisers, which may evolve."""
    if spec.kind == PHONE:
        return re.fullmatch(r"\+[1-9]\d{6,14}", typed) is not None
    if spec.kind == EMAIL:
        local, _, domain = typed.rpartition("@")
        return typed == f"{local}@{domain.lower()}".strip()
    if spec.kind == LANGUAGE:
        return re.fullmatch(r"[a-z]{2}", typed) is not None
    if spec.kind == COUNTRY:
        return re.fullmatch(r"[A-Z]{2}", typed) is not None
    if spec.kind == IDENTIFIER:
        return typed == alphanumeric(typed)
    return re.fullmatch(r"\d{4}-\d\d-\d\d", typed) is not None  # DATE


@dataclass
class Translation:
    """A vendor body in canonical terms. `values` holds the checked vendor values of the
    fields it covers; None in `canonical` or `ext` clears the member."""

    values: dict[str, Any] = field(default_factory=dict)
    canonical: dict[str, Any] = field(default_factory=dict)  # dotted path -> value
    ext: dict[str, Any] = field(default_factory=dict)  # extensions.odyssee members
    secret: str | None = None

    def document(self, *, keep_nulls: bool) -> dict[str, Any]:
        document: dict[str, Any] = {}
        for path, value in self.canonical.items():
            if value is not None or keep_nulls:
                set_path(document, path, value)
        return document


def translate(table: tuple[Field, ...], body: Any, *, whole: bool, prefix: str = "") -> Translation:
    """Check a vendor body. `whole`: fields left out count as sent with their default."""
    entity = prefix.rstrip(".") or "contact"
    if not isinstance(body, dict):
        raise invalid([FieldError("invalid_type", f"expected a {entity} object", pointer=entity)])
    known = {spec.name for spec in table}
    errors = [
        FieldError(
            "unknown_field", f"'{name}' is not a property of {entity}", pointer=prefix + name
        )
        for name in body
        if name not in known and not name.startswith("@")
    ]
    out = Translation()
    for spec in table:
        if spec.name not in body and not whole:
            continue
        try:
            value = check(spec, body.get(spec.name))
            converted = to_canonical(spec, value)
        except Problem as problem:
            errors.append(FieldError(problem.code, str(problem), pointer=prefix + spec.name))
            continue
        out.values[spec.name] = value
        if spec.path in (EXT, CREATED):
            out.ext[spec.name] = value
        elif spec.path == SECRET:
            out.secret = value
        elif not spec.path.startswith("@"):
            out.canonical[spec.path] = converted
    if errors:
        raise invalid(errors)
    typed: dict[str, Any] = {}
    for spec in table:
        if spec.kind in NORMALISED and spec.name in out.values and spec.path not in READ_ONLY:
            value = out.values[spec.name]
            typed[spec.name] = value if value is not None and not plain(spec, value) else None
    street_given = {"street", "street_number"} & out.values.keys()
    if street_given and any(spec.path == STREET_NUMBER for spec in table):
        street, number = out.values.get("street"), out.values.get("street_number")
        joined = " ".join(part.strip() for part in (street, number) if part)
        out.canonical["address.street"] = joined or None
        typed["street"], typed["street_number"] = (street, number) if number else (None, None)
    if typed:
        out.ext[AS_SENT] = typed
    return out


def extension(current: dict[str, Any], changes: dict[str, Any], *, whole: bool) -> dict[str, Any]:
    """The `extensions.odyssee` object after a write (a whole write starts from nothing)."""
    merged = merge_patch({} if whole else current, changes)
    if not merged.get(AS_SENT):
        merged.pop(AS_SENT, None)
    return {name: value for name, value in merged.items() if value not in (None, {})}


def patch_between(old: Any, new: Any) -> Any:
    """The JSON Merge Patch that turns `old` into `new`."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return new
    patch: dict[str, Any] = {name: None for name in old if name not in new}
    for name, value in new.items():
        if old.get(name) != value:
            patch[name] = patch_between(old.get(name), value)
    return patch
