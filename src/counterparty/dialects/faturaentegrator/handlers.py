"""Handlers of /compat/faturaentegrator/api/customers: translate, call one service, shape."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.base import dialect_actor, patched
from counterparty.dialects.faturaentegrator.fields import canonical_patch, to_vendor
from counterparty.dialects.faturaentegrator.responses import allowed_methods, paginated, resource
from counterparty.dialects.faturaentegrator.rules import InvalidInput, validated
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import fold
from counterparty.errors import MethodNotAllowed, NotFound
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery
from counterparty.web.credentials import bearer_token
from counterparty.web.http import json_response, read_json
from counterparty.web.state import limits, services

DEFAULT_PER_PAGE = 15  # Laravel's Model::$perPage
MAX_PER_PAGE = 100
MAX_PAGE = 10**9
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_TERMS = 10


def authenticate(request: Request) -> Actor:
    return dialect_actor(request, bearer_token(request), "faturaentegrator")


def _number(request: Request) -> int:
    raw = request.path_params["number"]
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(f"No query results for model [App\\Models\\Customer] {raw}")
    return int(raw)


def _find(request: Request, actor: Actor) -> Contact:
    number = _number(request)
    try:
        return services(request).contacts.get_by_number(actor, number)
    except NotFound:
        raise NotFound(f"No query results for model [App\\Models\\Customer] {number}") from None


async def _body(request: Request) -> object:
    return await read_json(request, limits(request).max_body_bytes)


async def list_customers(request: Request, actor: Actor) -> Response:
    params = request.query_params
    raw_page = params.get("page", "1")
    # Laravel's paginator reads an unusable page as page 1.
    page = min(int(raw_page), MAX_PAGE) if raw_page.isdigit() and int(raw_page) >= 1 else 1
    raw_per_page = params.get("per_page", str(DEFAULT_PER_PAGE))
    search = params.get("search", "").strip()
    kind = params.get("type") or None
    messages: dict[str, list[str]] = {}
    if not (raw_per_page.isdigit() and 1 <= int(raw_per_page) <= MAX_PER_PAGE):
        messages["per_page"] = [f"The per page field must be between 1 and {MAX_PER_PAGE}."]
    if len(search) > MAX_SEARCH_LENGTH:
        messages["search"] = [
            f"The search field must not be greater than {MAX_SEARCH_LENGTH} characters."
        ]
    if kind is not None and kind not in ("person", "company"):
        messages["type"] = ["The selected type is invalid."]
    if messages:
        first = next(iter(messages.values()))[0]
        raise InvalidInput(first, messages=messages)
    per_page = int(raw_per_page)
    query = ContactQuery(
        terms=tuple(dict.fromkeys(fold(search).split()))[:MAX_SEARCH_TERMS],
        kind=kind,
        sort="number",
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    found = services(request).contacts.list_counted(actor, query)
    return json_response(paginated(request, found.contacts, found.total, page, per_page))


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
    return _save(
        request,
        actor,
        number,
        lambda current: canonical_patch(*validated(body, stored=to_vendor(current)), current),
    )


async def replace_customer(request: Request, actor: Actor) -> Response:
    """PUT: the body is the whole vendor record; vendor fields left out are cleared."""
    number = _number(request)
    changes, merged = validated(await _body(request), stored=None, complete=True)
    return _save(request, actor, number, lambda current: canonical_patch(changes, merged, current))


def _save(
    request: Request,
    actor: Actor,
    number: int,
    build: Callable[[Contact], dict[str, object]],
) -> Response:
    """One read-modify-write: the patch is built from the contact read inside the write."""
    try:
        contact = services(request).contacts.edit(
            actor, number, lambda current: patched(current, build(current))
        )
    except NotFound:
        raise NotFound(f"No query results for model [App\\Models\\Customer] {number}") from None
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
