"""An Odyssee body -> canonical values: the shared checker's type checks (worded by the OData
family), the vendor's "no value" defaults and the typed forms kept. `translate` turns a body
into canonical paths, `extensions.odyssee` members and the secret, following the tables in
`table.py` (the rows copied, the rules they name); it does not know which operation runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from counterparty.dialects.base import set_path
from counterparty.dialects.checking import check
from counterparty.dialects.fields import VendorField
from counterparty.dialects.odata.answers import worded
from counterparty.dialects.odyssee.errors import SHAPE
from counterparty.dialects.odyssee.table import AS_SENT, CREATED, NAMESPACE
from counterparty.domain.fields import country_code_for
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import control_character
from counterparty.errors import FieldError

NO_DATE = date(1980, 1, 1)  # the vendor's "no value" for dates
EXTENSION = f"extensions.{NAMESPACE}."
IDENTIFIERS = ("vat_number", "registration_number")  # kept typed while they compact the same


def normalised(row: VendorField) -> bool:
    """Whether the canonical model stores a normal form of the field (the typed one is kept)."""
    return row.format is not None or row.type == "date"


def as_sent(row: VendorField) -> bool:
    """Whether the field is kept exactly as sent under `extensions.odyssee`."""
    canonical = row.canonical
    return canonical == CREATED or (isinstance(canonical, str) and canonical.startswith(EXTENSION))


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


def checked(row: VendorField, raw: Any) -> Any:
    """The value as sent when the shared checker finds it fits the row (a text's length counted
    once trimmed; server members checked too, though ignored); None for null or the type's
    "no value" (blank text, the empty GUID, false, 1980-01-01, 0, an empty object)."""
    sent = raw.strip() if row.type == "text" and isinstance(raw, str) else raw
    problems = check((replace(row, read_only=False),), {row.name: sent}, "PATCH", strict=True)
    if problems:
        raise Problem(*worded(problems[0]))
    if isinstance(sent, str) and (code := control_character(sent)):
        # Checked here too, not only by the canonical model: some texts are never stored as
        # text (company_code looks a company up, e_password is hashed).
        detail = f"control characters ({code}) are not allowed in text; tab and line breaks are"
        raise Problem("control_character", detail)
    if raw is None:
        return None
    if row.type == "text":
        return raw if raw.strip() else None
    if row.type == "guid":
        return raw if UUID(raw).int else None
    if row.type in ("date", "datetime"):
        found = moment(raw)
        return raw if found is not None and found.date() != NO_DATE else None
    return raw or None


def to_canonical(row: VendorField, value: Any) -> Any:
    if row.type == "boolean":
        return bool(value)
    if value is None:
        return None
    if row.type == "guid":
        return str(UUID(value))
    if row.type == "date":
        found = moment(value)
        return found.date().isoformat() if found else None
    if row.format == "language":
        return primary_language(value)
    if row.format == "country":
        code = country_code_for(value)
        if code is None:
            raise Problem("invalid_country", f"'{value}' names no country we know")
        return code
    return value


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def alphanumeric(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def plain(row: VendorField, typed: str) -> bool:
    """Whether a typed value already has the form the canonical model stores (no need to
    keep it). Deliberately independent of the canonical normalisers, which may evolve."""
    if row.format == "phone":
        return re.fullmatch(r"\+[1-9]\d{6,14}", typed) is not None
    if row.format == "email":
        local, _, domain = typed.rpartition("@")
        return typed == f"{local}@{domain.lower()}".strip()
    if row.format == "language":
        return re.fullmatch(r"[a-z]{2}", typed) is not None
    if row.format == "country":
        return re.fullmatch(r"[A-Z]{2}", typed) is not None
    if row.format in IDENTIFIERS:
        return typed == alphanumeric(typed)
    return re.fullmatch(r"\d{4}-\d\d-\d\d", typed) is not None  # a date


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


def translate(
    table: tuple[VendorField, ...], body: Any, *, whole: bool, prefix: str = ""
) -> Translation:
    """Check a vendor body. `whole`: fields left out count as sent with their default."""
    entity = prefix.rstrip(".") or "contact"
    if not isinstance(body, dict):
        detail = f"expected a {entity} object"
        raise SHAPE.invalid([FieldError("invalid_type", detail, pointer=entity)])
    known = {spec.name for spec in table}
    errors = [
        FieldError(
            "unknown_field", f"'{name}' is not a property of {entity}", pointer=prefix + name
        )
        for name in body
        if name not in known and not name.startswith("@")
    ]
    out = Translation()
    for row in table:
        if row.name not in body and not whole:
            continue
        try:
            value = checked(row, body.get(row.name))
            converted = to_canonical(row, value)
        except Problem as problem:
            errors.append(FieldError(problem.code, str(problem), pointer=prefix + row.name))
            continue
        out.values[row.name] = value
        if as_sent(row):
            out.ext[row.name] = value
        elif row.name == "e_password":
            out.secret = value
        elif isinstance(row.canonical, str) and not row.read_only:
            out.canonical[row.canonical] = converted
        # the other rules (company_code, company, street_number) are the caller's and below
    if errors:
        raise SHAPE.invalid(errors)
    typed: dict[str, Any] = {}
    for row in table:
        if normalised(row) and row.name in out.values and not row.read_only:
            value = out.values[row.name]
            typed[row.name] = value if value is not None and not plain(row, value) else None
    street_given = {"street", "street_number"} & out.values.keys()
    if street_given and any(row.name == "street_number" for row in table):
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
