"""Laravel's shapes: API resources, the length-aware paginator, and JSON error bodies."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.base import vendor_field_for
from counterparty.dialects.faturaentegrator.fields import CANONICAL_TO_VENDOR, to_vendor
from counterparty.dialects.faturaentegrator.rules import InvalidInput, Messages, label, summary
from counterparty.domain.contact import Contact
from counterparty.web.http import json_response
from counterparty.web.statuses import status_for

# Laravel's fixed messages where it does not show the exception's own.
FIXED_MESSAGES = {401: "Unauthenticated.", 500: "Server Error", 503: "Service Unavailable"}

ROUTE_METHODS = (
    (re.compile(r"^api/customers$"), ("GET", "HEAD", "POST")),
    (re.compile(r"^api/customers/[^/]+$"), ("GET", "HEAD", "PUT", "PATCH", "DELETE")),
)


def allowed_methods(route: str) -> tuple[str, ...]:
    """The methods a vendor route answers ("api/customers/7"); () for no such route."""
    return next((methods for pattern, methods in ROUTE_METHODS if pattern.match(route)), ())


def laravel_time(moment: datetime) -> str:
    """Carbon's JSON form: "2024-05-01T09:30:00.000000Z"."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def resource(contact: Contact) -> dict[str, Any]:
    """One customer as the vendor's API resource: id, the vendor fields, timestamps."""
    return {
        "id": contact.number,
        **to_vendor(contact),
        "created_at": laravel_time(contact.created_at),
        "updated_at": laravel_time(contact.updated_at),
    }


def paginated(
    request: Request, contacts: list[Contact], total: int, page: int, per_page: int
) -> dict[str, Any]:
    """Laravel's LengthAwarePaginator through a resource collection (without meta.links)."""
    last_page = max(math.ceil(total / per_page), 1)
    first_index = (page - 1) * per_page + 1

    def url(number: int | None) -> str | None:
        if number is None:
            return None
        return str(request.url.include_query_params(page=number))

    return {
        "data": [resource(contact) for contact in contacts],
        "links": {
            "first": url(1),
            "last": url(last_page),
            "prev": url(page - 1 if page > 1 else None),
            "next": url(page + 1 if page < last_page else None),
        },
        "meta": {
            "current_page": page,
            "from": first_index if contacts else None,
            "last_page": last_page,
            "path": str(request.url.replace(query="")).rstrip("?"),
            "per_page": per_page,
            "to": first_index + len(contacts) - 1 if contacts else None,
            "total": total,
        },
    }


def render_error(error: Exception, request: Request) -> Response:
    """Every failure as Laravel renders it for `Accept: application/json`."""
    if isinstance(error, errors.ValidationFailed):
        messages = error.messages if isinstance(error, InvalidInput) else _vendor_messages(error)
        return json_response({"message": summary(messages), "errors": messages}, status=422)
    status = status_for(error)  # unexpected exceptions were logged by web.routing.bind
    message = FIXED_MESSAGES.get(status) or str(error) or "Error"
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 405:
        route = request.url.path.split("/compat/faturaentegrator/", 1)[-1]
        headers["Allow"] = ", ".join(allowed_methods(route))
    return json_response({"message": message}, status=status, headers=headers)


def _vendor_messages(error: errors.ValidationFailed) -> Messages:
    """Canonical field errors under the vendor's field names."""
    messages: Messages = {}
    for item in error.errors:
        name = vendor_field_for(item.pointer or "", CANONICAL_TO_VENDOR, item.parameter) or "body"
        messages.setdefault(name, []).append(f"The {label(name)} field is invalid: {item.detail}")
    return messages or {"body": [error.detail]}
