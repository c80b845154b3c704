"""OData 4.0 answers: one entity or a collection with its `@odata.*` annotations, and the error
shape, as responses and as the JSON schemas of a dialect's published document.

    {"error": {"code": "validation_failed", "message": "lastname: ...",
               "details": [{"code": "required", "target": "lastname", "message": "..."}]}}

`code` is counterparty's stable error code; `target` names the vendor's member or query option.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.errors import (
    Conflict,
    CounterpartyError,
    DuplicateValue,
    FieldError,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from counterparty.web.http import json_response
from counterparty.web.statuses import status_for

HEADERS = {"OData-Version": "4.0"}
_KEY = re.compile(r"(?:guid)?'?([0-9A-Fa-f-]{32,36})'?")  # Set(<guid>), Set(guid'<guid>')


def entity_key(raw: str, entity_set: str) -> UUID:
    """The GUID key of `Set(<key>)` in any of OData's spellings; another key names nothing."""
    match = _KEY.fullmatch(raw)
    try:
        return UUID(match.group(1)) if match else UUID(raw)
    except ValueError:
        raise NotFound(f"no {entity_set} with key {raw}") from None


def minimal(request: Request, url: str, status: int) -> Response | None:
    """The 204 a client that asks `Prefer: return=minimal` gets for a written entity at `url`
    (None when it did not ask); `Location` too when the write created it."""
    if "return=minimal" not in request.headers.get("prefer", "").replace(" ", "").lower():
        return None
    headers = {**HEADERS, "OData-EntityId": url, "Preference-Applied": "return=minimal"}
    return Response(status_code=204, headers=headers | ({"Location": url} if status == 201 else {}))


@dataclass
class Invalid(ValidationFailed):
    """Field errors whose pointers already are the vendor's members or query options;
    `unprocessable` makes it a 422 (the vendor's rule decides), otherwise a 400."""

    unprocessable: bool = False


def invalid(errors: Sequence[FieldError], *, unprocessable: bool = False) -> Invalid:
    """The failure for `errors`, worded after the first."""
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    detail = f"{first.pointer}: {first.detail}{more}"
    return Invalid(detail, errors=list(errors), unprocessable=unprocessable)


def entity_response(
    context: str, payload: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return json_response(
        {"@odata.context": context, **payload}, status, {**HEADERS, **(headers or {})}
    )


@dataclass(frozen=True)
class ErrorShape:
    """What a vendor decides about its errors: its members' names for canonical pointers,
    its 400-or-422 rule (`in_vendor_terms`), its credentials message and its realm."""

    in_vendor_terms: Callable[[ValidationFailed], Invalid]
    vendor_name: Callable[[str], str]  # a canonical pointer -> the vendor's member
    credentials_needed: str
    realm: str


def _describe(error: Exception, shape: ErrorShape) -> tuple[int, str, str, list[dict[str, Any]]]:
    if isinstance(error, ValidationFailed):
        vendor = shape.in_vendor_terms(error)
        details = [
            {"code": item.code, "target": item.pointer or "", "message": item.detail}
            for item in vendor.errors
        ]
        return 422 if vendor.unprocessable else 400, error.code, vendor.detail, details
    if isinstance(error, DuplicateValue):
        target = error.pointer
        if target.startswith("/"):
            target = shape.vendor_name(target)
        detail = {"code": error.code, "target": target, "message": error.detail}
        return 409, error.code, error.detail, [detail]
    if isinstance(error, Unauthenticated):
        return 401, error.code, shape.credentials_needed, []
    if isinstance(error, Conflict):
        return 409, error.code, error.detail, []  # OData has no preconditions of its own here
    if isinstance(error, CounterpartyError):
        return status_for(error), error.code, error.detail, []
    message = "the service failed unexpectedly; the request id identifies it in our logs"
    return 500, "internal_error", message, []


def render_error(error: Exception, _request: Request, shape: ErrorShape) -> Response:
    status, code, message, details = _describe(error, shape)
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    headers = dict(HEADERS)
    if status == 401:
        headers["WWW-Authenticate"] = f'Basic realm="{shape.realm}"'
    return json_response({"error": body}, status=status, headers=headers)


_TEXT = {"type": "string"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": _TEXT, "message": _TEXT, "details": {"type": "array", "items": {
            "type": "object", "required": ["code", "target", "message"],
            "properties": {"code": _TEXT, "target": _TEXT, "message": _TEXT}}}},
    }},
}  # fmt: skip


def single(entity: dict[str, Any]) -> dict[str, Any]:
    """One entity as answered: its members and `@odata.context`."""
    context = {"type": "object", "required": ["@odata.context"],
               "properties": {"@odata.context": _TEXT}}  # fmt: skip
    return {"allOf": [entity, context]}


def collection(entity: dict[str, Any]) -> dict[str, Any]:
    """A page of an entity set: `value`, the context, the count when asked, the next link."""
    return {
        "type": "object",
        "required": ["@odata.context", "value"],
        "properties": {
            "@odata.context": _TEXT,
            "@odata.count": {"type": "integer", "minimum": 0},
            "@odata.nextLink": _TEXT,
            "value": {"type": "array", "items": entity},
        },
    }
