"""Laravel API conventions: validation messages, `{"message", "errors"}` bodies, API resources,
the length-aware paginator and the router's 404/405. Used by Fatura Entegratör.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.checking import PATTERN, REQUIRED, TOO_LONG, TYPE, Problem, word
from counterparty.dialects.fields import VendorField, vendor_name
from counterparty.dialects.openapi import error_schema
from counterparty.errors import ValidationFailed
from counterparty.web.http import json_response, link_to
from counterparty.web.statuses import status_for

Messages = dict[str, list[str]]
# Laravel's fixed messages where it does not show the exception's own.
FIXED_MESSAGES = {
    401: "Unauthenticated.",
    429: "Too Many Attempts.",
    500: "Server Error",
    503: "Service Unavailable",
}
ERROR_SCHEMA = error_schema("message", "errors")


def widened(row: VendorField, schema: dict[str, Any]) -> dict[str, Any]:
    """A request member as Laravel reads it: blank text is null (ConvertEmptyStringsToNull,
    TrimStrings); the one format the vendor checks is its `email` rule."""
    if row.format == "email":
        schema = {**schema, "format": "email"}
    if row.type != "text" or row.required:
        return schema
    return {"anyOf": [schema, {"type": "string", "pattern": r"^\s*$"}]}


def page_schema(entity: dict[str, Any]) -> dict[str, Any]:
    """A LengthAwarePaginator through a resource collection."""
    link = {"type": ["string", "null"]}
    number = {"type": ["integer", "null"]}
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": entity},
            "links": {"type": "object", "properties": {
                "first": link, "last": link, "prev": link, "next": link}},
            "meta": {"type": "object", "properties": {
                "current_page": number, "from": number, "last_page": number,
                "path": {"type": "string"}, "per_page": number, "to": number, "total": number}},
        },
        "required": ["data", "links", "meta"],
    }  # fmt: skip


@dataclass
class InvalidInput(ValidationFailed):
    """A validation failure in Laravel's terms: `messages` are keyed by vendor field."""

    messages: Messages = field(default_factory=dict)


def label(name: str) -> str:
    """How Laravel names an attribute in a message: "tax_number" -> "tax number"."""
    return name.replace("_", " ")


RULES = {  # Laravel's validation messages
    TYPE: "The {label} field must be a string.",
    TOO_LONG: "The {label} field must not be greater than {max_length} characters.",
    PATTERN: "The {label} field format is invalid.",
    REQUIRED: "The {label} field is required.",
    REQUIRED + "_if": "The {label} field is required when {other} is {wanted}.",
}


def message(problem: Problem, overrides: Mapping[tuple[str, str], str]) -> str:
    """Laravel's wording of one problem; `overrides` by (member, code) for rules such as `in:`
    or `digits_between:` that the table's pattern stands for."""
    return overrides.get((problem.name, problem.code)) or word(problem, RULES)


def summary(messages: Messages) -> str:
    """Laravel's top-level message: the first error, and how many more there are."""
    count = sum(len(found) for found in messages.values())
    first = next(iter(messages.values()))[0] if messages else "The given data was invalid."
    if count <= 1:
        return first
    more = count - 1
    return f"{first} (and {more} more error{'s' if more > 1 else ''})"


def invalid(messages: Messages) -> InvalidInput:
    return InvalidInput(summary(messages), messages=messages)


def canonical_messages(error: ValidationFailed, names: Mapping[str, str]) -> Messages:
    """Canonical field errors under the vendor's field names (the table's inverse)."""
    messages: Messages = {}
    for item in error.errors:
        name = vendor_name(item.pointer or "", names, item.parameter or "") or "body"
        messages.setdefault(name, []).append(f"The {label(name)} field is invalid: {item.detail}")
    return messages or {"body": [error.detail]}


def render_error(
    error: Exception,
    request: Request,
    names: Mapping[str, str],
    allowed_methods: Callable[[str], Sequence[str]],
    prefix: str,
) -> Response:
    """Every failure as Laravel renders it for `Accept: application/json`."""
    if isinstance(error, errors.ValidationFailed):
        found = error.messages if isinstance(error, InvalidInput) else None
        messages = found or canonical_messages(error, names)
        return json_response({"message": summary(messages), "errors": messages}, status=422)
    # Laravel has no preconditions: a version conflict is a 409, like its other conflicts.
    status = status_for(error, {errors.PreconditionFailed: 409})  # the unexpected were logged
    text = FIXED_MESSAGES.get(status) or str(error) or "Error"
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.url.path.split(prefix, 1)[-1]))
    return json_response({"message": text}, status=status, headers=headers)


def laravel_time(moment: datetime) -> str:
    """Carbon's JSON form: "2024-05-01T09:30:00.000000Z"."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def paginated(
    request: Request, data: list[Any], total: int, page: int, per_page: int
) -> dict[str, Any]:
    """Laravel's LengthAwarePaginator through a resource collection (without meta.links)."""
    last_page = max(math.ceil(total / per_page), 1)
    first_index = (page - 1) * per_page + 1

    def url(number: int | None) -> str | None:
        return (
            None
            if number is None
            else link_to(request, request.url.include_query_params(page=number))
        )

    return {
        "data": data,
        "links": {
            "first": url(1),
            "last": url(last_page),
            "prev": url(page - 1 if page > 1 else None),
            "next": url(page + 1 if page < last_page else None),
        },
        "meta": {
            "current_page": page,
            "from": first_index if data else None,
            "last_page": last_page,
            "path": link_to(request, request.url.replace(query="")),
            "per_page": per_page,
            "to": first_index + len(data) - 1 if data else None,
            "total": total,
        },
    }
