"""The operations of /compat/faturaentegrator/api/customers: translate, call one service, shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects import laravel
from counterparty.dialects.base import edit_numbered, fallback_operations, numbered
from counterparty.dialects.faturaentegrator.errors import NOT_FOUND, allowed_methods
from counterparty.dialects.faturaentegrator.inbound import canonical_patch, validated
from counterparty.dialects.faturaentegrator.listing import MAX_PER_PAGE, list_query
from counterparty.dialects.faturaentegrator.outbound import resource
from counterparty.dialects.faturaentegrator.table import TABLE
from counterparty.dialects.openapi import Published
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import decimal_digits
from counterparty.errors import MethodNotAllowed, NotFound
from counterparty.services.context import Actor
from counterparty.web.http import json_response, read_json
from counterparty.web.routing import Operation, Parameter
from counterparty.web.state import limits, services

TAG = "faturaentegrator"
MAX_NUMBER = 2**31 - 1  # no contact has a larger number


def _number(request: Request) -> int:
    raw = request.path_params["number"]
    if not decimal_digits(raw) or len(raw) > 18 or int(raw) > MAX_NUMBER:
        raise _not_found(raw)
    return int(raw)


def _not_found(number: object) -> NotFound:
    return NotFound(NOT_FOUND.format(number))


def _find(request: Request, actor: Actor) -> Contact:
    return numbered(request, actor, _number(request), _not_found)


async def _body(request: Request) -> object:
    return await read_json(request, limits(request).max_body_bytes)


async def list_customers(request: Request, actor: Actor) -> Response:
    page, query = list_query(request.query_params)
    found = services(request).contacts.list_counted(actor, query)
    data = [resource(contact) for contact in found.contacts]
    return json_response(laravel.paginated(request, data, found.total, page, query.limit))


async def create_customer(request: Request, actor: Actor) -> Response:
    changes, merged = validated(await _body(request), stored=None, complete=True)
    document = merge_patch({}, canonical_patch(changes, merged, current=None))
    contact = services(request).contacts.create(actor, document)
    return json_response({"data": resource(contact)}, status=201)


async def show_customer(request: Request, actor: Actor) -> Response:
    return json_response({"data": resource(_find(request, actor))})


async def update_customer(request: Request, actor: Actor) -> Response:
    """PATCH: only the fields sent change, and only they are checked."""
    number = _number(request)
    body = await _body(request)

    def build(current: Contact) -> dict[str, Any]:
        return canonical_patch(*validated(body, stored=resource(current)), current)

    return _save(request, actor, number, build)


async def replace_customer(request: Request, actor: Actor) -> Response:
    """PUT: the body is the whole vendor record; vendor fields left out are cleared."""
    number = _number(request)
    changes, merged = validated(await _body(request), stored=None, complete=True)
    return _save(request, actor, number, lambda current: canonical_patch(changes, merged, current))


def _save(
    request: Request, actor: Actor, number: int, build: Callable[[Contact], dict[str, Any]]
) -> Response:
    contact = edit_numbered(request, actor, number, build, _not_found)
    return json_response({"data": resource(contact)})


async def delete_customer(request: Request, actor: Actor) -> Response:
    services(request).contacts.delete(actor, _find(request, actor).id)
    return Response(status_code=204)


async def no_route(request: Request, _: Actor) -> Response:
    """Any other method or path under the prefix, answered as Laravel's router would."""
    route = request.path_params["path"]
    if allowed := allowed_methods(route):
        raise MethodNotAllowed(
            f"The {request.method} method is not supported for route {route}. "
            f"Supported methods: {', '.join(allowed)}."
        )
    raise NotFound(f"The route {route} could not be found.")


CUSTOMER = "/api/customers/{number}"
ID = Parameter("number", "path", {"type": "integer", "minimum": 1}, "The customer's id")
WRITE_ERRORS = (400, 401, 404, 409, 413, 415, 422)
LIST_PARAMETERS = (
    Parameter("page", "query", {"type": "string", "default": "1"},
              "The page number; anything else reads as 1, as Laravel's paginator does"),
    Parameter("per_page", "query",
              {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 15}),
    Parameter("search", "query", {"type": "string", "maxLength": 200}),
    Parameter("type", "query", {"type": "string", "enum": ["person", "company"]}),
)  # fmt: skip
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/api/customers", list_customers, "faturaentegratorListCustomers",
              "List customers, a page at a time", tag=TAG, errors=(401, 422),
              parameters=LIST_PARAMETERS),
    Operation("POST", "/api/customers", create_customer, "faturaentegratorCreateCustomer",
              "Create a customer", tag=TAG, status=201, errors=(400, 401, 409, 413, 415, 422)),
    Operation("GET", CUSTOMER, show_customer, "faturaentegratorGetCustomer", "Fetch a customer",
              tag=TAG, errors=(401, 404), parameters=(ID,)),
    Operation("PATCH", CUSTOMER, update_customer, "faturaentegratorUpdateCustomer",
              "Change some fields of a customer", tag=TAG, errors=WRITE_ERRORS, parameters=(ID,)),
    Operation("PUT", CUSTOMER, replace_customer, "faturaentegratorReplaceCustomer",
              "Replace a customer's vendor fields", tag=TAG, errors=WRITE_ERRORS,
              parameters=(ID,)),
    Operation("DELETE", CUSTOMER, delete_customer, "faturaentegratorDeleteCustomer",
              "Delete a customer", tag=TAG, status=204, response_description="Deleted",
              errors=(401, 404, 409), parameters=(ID,)),
    # Last: everything else under the prefix, so that it too answers in the vendor's shape.
    *fallback_operations(no_route, TAG, TAG),
)  # fmt: skip

PUBLISHED = Published(
    title="Fatura Entegratör: customers",
    table=TABLE,
    security={"type": "http", "scheme": "bearer"},
    error=laravel.ERROR_SCHEMA,
    answers={"faturaentegratorListCustomers": "page"},
    envelope=lambda entity: {"type": "object", "properties": {"data": entity},
                             "required": ["data"]},
    page=laravel.page_schema,
    widen=laravel.widened,
)  # fmt: skip
