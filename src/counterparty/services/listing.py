"""Listing contacts: the query, its parameters, and tamper-proof keyset cursors."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import orjson

from counterparty.domain.fields import FieldProblem, normalize_country_code
from counterparty.domain.text import fold
from counterparty.errors import FieldError, InvalidCursor, ValidationFailed
from counterparty.services.tokens import seal, unseal

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 10
SortField = Literal["name", "number", "updated_at"]
SORT_FIELDS: tuple[SortField, ...] = ("name", "number", "updated_at")
CHECK_STATUSES = ("invalid", "pending", "unverified", "valid")
LIST_PARAMETERS = (
    "q",
    "kind",
    "is_customer",
    "is_supplier",
    "archived",
    "country_code",
    "tag",
    "external_ref",
    "updated_since",
    "check_status",
    "sort",
    "limit",
    "cursor",
)


@dataclass(frozen=True)
class ContactQuery:
    """Filters (all must hold), an order and a page size; `after` is the keyset position."""

    terms: tuple[str, ...] = ()
    kind: str | None = None
    is_customer: bool | None = None
    is_supplier: bool | None = None
    archived: bool | None = False  # None: archived and active alike
    country_code: str | None = None
    tag: str | None = None
    external_ref: str | None = None
    updated_since: datetime | None = None
    check_status: str | None = None  # worst status in `checks`: "invalid" lists what needs fixing
    sort: SortField = "name"
    descending: bool = False
    limit: int = DEFAULT_LIMIT
    after: tuple[Any, UUID] | None = field(default=None, compare=False)
    offset: int = field(default=0, compare=False)  # for vendor APIs that page by number

    def fingerprint(self) -> str:
        """Everything but the page size and position: a cursor only continues its own query."""
        shape = replace(self, limit=0, after=None, offset=0)
        described = orjson.dumps(shape.__dict__, default=str, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(described).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Listed:
    """A contact on a list page: its stored JSON and the values it is ordered by."""

    id: UUID
    number: int
    name_key: str
    updated_at: datetime
    document: bytes


def sort_value(listed: Listed, sort: SortField) -> Any:
    """The value a contact is ordered by; the repository indexes the same value."""
    if sort == "name":
        return listed.name_key
    if sort == "number":
        return listed.number
    return listed.updated_at.isoformat()


def parse_list_parameters(params: Mapping[str, str]) -> tuple[ContactQuery, str | None]:
    """Read the native list parameters; every bad one is reported, unknown ones too."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    def fail(name: str, code: str, detail: str) -> None:
        errors.append(FieldError(code=code, detail=detail, parameter=name))

    for name in params:
        if name not in LIST_PARAMETERS:
            fail(name, "unknown_parameter", f"'{name}' is not a parameter of this list")
    if q := params.get("q", "").strip():
        if len(q) > MAX_QUERY_LENGTH:
            fail("q", "too_long", f"at most {MAX_QUERY_LENGTH} characters")
        values["terms"] = tuple(dict.fromkeys(fold(q).split()))[:MAX_QUERY_TERMS]
    if (kind := params.get("kind")) is not None:
        if kind in ("company", "person"):
            values["kind"] = kind
        else:
            fail("kind", "invalid_choice", "'company' or 'person'")
    for name in ("is_customer", "is_supplier"):
        if (raw := params.get(name)) is not None:
            if raw in ("true", "false"):
                values[name] = raw == "true"
            else:
                fail(name, "invalid_type", "'true' or 'false'")
    if (archived := params.get("archived")) is not None:
        choices = {"false": False, "true": True, "all": None}
        if archived in choices:
            values["archived"] = choices[archived]
        else:
            fail("archived", "invalid_choice", "'false' (default), 'true' or 'all'")
    if (country := params.get("country_code")) is not None:
        try:
            values["country_code"] = normalize_country_code(country)
        except FieldProblem as problem:
            fail("country_code", problem.code, str(problem))
    for name, longest in (("tag", 50), ("external_ref", 100)):
        if (text := params.get(name)) is not None:
            if len(text.strip()) > longest:
                fail(name, "too_long", f"at most {longest} characters")
            values[name] = text.strip()
    if (status := params.get("check_status")) is not None:
        if status in CHECK_STATUSES:
            values["check_status"] = status
        else:
            fail("check_status", "invalid_choice", "one of " + ", ".join(CHECK_STATUSES))
    if (since := params.get("updated_since")) is not None:
        try:
            moment = datetime.fromisoformat(since.replace(" ", "+"))
            values["updated_since"] = (
                moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
            )
        except ValueError:
            fail("updated_since", "invalid_format", "an ISO 8601 date-time")
    if (sort := params.get("sort")) is not None:
        name = sort.removeprefix("-")
        if name in SORT_FIELDS:
            values["sort"] = name
            values["descending"] = sort.startswith("-")
        else:
            fail("sort", "invalid_choice", "one of name, number, updated_at; prefix - to reverse")
    if (limit := params.get("limit")) is not None:
        if limit.isdigit() and 1 <= int(limit) <= MAX_LIMIT:
            values["limit"] = int(limit)
        else:
            fail("limit", "out_of_range", f"a whole number from 1 to {MAX_LIMIT}")
    if errors:
        raise ValidationFailed(f"{errors[0].parameter}: {errors[0].detail}", errors=errors)
    return ContactQuery(**values), params.get("cursor")


def encode_cursor(secret: bytes, query: ContactQuery, last: Listed) -> str:
    return seal(secret, [query.fingerprint(), sort_value(last, query.sort), str(last.id)])


def decode_cursor(secret: bytes, token: str, query: ContactQuery) -> ContactQuery:
    """The query positioned after the cursor; a cursor that was altered or belongs to
    another query or tenant is refused."""
    payload = unseal(secret, token)
    if len(payload) != 3 or payload[0] != query.fingerprint():
        raise InvalidCursor("the cursor belongs to a list with other filters or another order")
    _, value, last_id = payload
    return replace(query, after=(value, UUID(last_id)))
