"""The native list query as HTTP parameters: declared once (router, OpenAPI) and read here.

The API's list endpoint and the web interface's list page read the same parameters, so both
the declarations and the reading live below them, at the HTTP edge, not in the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from counterparty.domain.fields import FieldProblem, normalize_country_code
from counterparty.domain.text import decimal_digits, fold
from counterparty.errors import FieldError, ValidationFailed
from counterparty.services.listing import (
    CHECK_STATUSES,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    SORT_FIELDS,
    ContactQuery,
)
from counterparty.web.routing import Parameter

BOOLEAN = {"type": "string", "enum": ["true", "false"]}
LIST_PARAMETERS = (
    Parameter(
        "q",
        "query",
        {"type": "string", "maxLength": 200},
        "Free text over name, first and last name, e-mail, tax, VAT and registration "
        "numbers, external_ref and city; case- and accent-insensitive; every word must "
        "match",
    ),
    Parameter("kind", "query", {"type": "string", "enum": ["company", "person"]}),
    Parameter("is_customer", "query", BOOLEAN),
    Parameter("is_supplier", "query", BOOLEAN),
    Parameter(
        "archived",
        "query",
        {"type": "string", "enum": ["false", "true", "all"], "default": "false"},
        "Active contacts only (default), archived only, or all",
    ),
    Parameter(
        "country_code",
        "query",
        {"type": "string", "maxLength": 100},
        "Country of the address: ISO 3166-1 code or a country name",
    ),
    Parameter("tag", "query", {"type": "string", "maxLength": 50}, "Exact tag"),
    Parameter("external_ref", "query", {"type": "string", "maxLength": 100}),
    Parameter(
        "check_status",
        "query",
        {"type": "string", "enum": list(CHECK_STATUSES)},
        "Worst status in the contact's checks; `invalid` lists the contacts to fix",
    ),
    Parameter(
        "updated_since",
        "query",
        {"type": "string", "format": "date-time"},
        "Only contacts changed at or after this moment",
    ),
    Parameter(
        "sort",
        "query",
        {
            "type": "string",
            "enum": ["name", "-name", "number", "-number", "updated_at", "-updated_at"],
            "default": "name",
        },
        "Order; a leading - reverses it",
    ),
    Parameter(
        "limit",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    Parameter(
        "cursor",
        "query",
        {"type": "string"},
        "next_cursor of the previous page, with the same filters and sort",
    ),
)

_NAMES = frozenset(parameter.name for parameter in LIST_PARAMETERS)


def parse_list_parameters(params: Mapping[str, str]) -> tuple[ContactQuery, str | None]:
    """Read the native list parameters; every bad one is reported, unknown ones too."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    def fail(name: str, code: str, detail: str) -> None:
        errors.append(FieldError(code=code, detail=detail, parameter=name))

    for name in params:
        if name not in _NAMES:
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
        if decimal_digits(limit) and 1 <= int(limit) <= MAX_LIMIT:
            values["limit"] = int(limit)
        else:
            fail("limit", "out_of_range", f"a whole number from 1 to {MAX_LIMIT}")
    if errors:
        raise ValidationFailed(f"{errors[0].parameter}: {errors[0].detail}", errors=errors)
    return ContactQuery(**values), params.get("cursor")
