"""Handlers of /compat/idoklad/v2.0/Contacts: translate, call one service, shape the answer."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.base import patched
from counterparty.dialects.idoklad.auth import TOKEN_PATH, token_endpoint
from counterparty.dialects.idoklad.bodies import Changes, Verb, canonical_patch, read_contact
from counterparty.dialects.idoklad.codes import COUNTRY_CODES, CZECHIA
from counterparty.dialects.idoklad.listing import list_page, read_listing
from counterparty.dialects.idoklad.mapping import to_vendor
from counterparty.domain.contact import Address, Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.errors import MethodNotAllowed, NotFound
from counterparty.services.context import Actor
from counterparty.services.writes import writable_document
from counterparty.web.http import JSON, json_response, read_json
from counterparty.web.state import limits, services

JSON_TYPES = (JSON, "text/json")  # ASP.NET's JSON formatter reads both
PATCH_TYPES = (*JSON_TYPES, "application/merge-patch+json")


def _number(request: Request) -> int:
    raw = request.path_params["id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise NotFound(f"Contact with Id '{raw}' was not found.")
    return int(raw)


def _find(request: Request, actor: Actor) -> Contact:
    try:
        return services(request).contacts.get_by_number(actor, _number(request))
    except NotFound:
        raise NotFound(f"Contact with Id '{request.path_params['id']}' was not found.") from None


async def _changes(request: Request, verb: Verb) -> Changes:
    accepted = PATCH_TYPES if verb == "PATCH" else JSON_TYPES
    return read_contact(await read_json(request, limits(request).max_body_bytes, accepted), verb)


async def list_contacts(request: Request, actor: Actor) -> Response:
    listing = read_listing(request.query_params)
    return json_response(list_page(services(request).contacts, actor, listing))


async def default_contact(_request: Request, _actor: Actor) -> Response:
    """The template a new contact is built from: nothing filled in but the country."""
    now = datetime.now(UTC)
    blank = Contact.model_construct(
        id=UUID(int=0),
        number=0,
        version=0,
        created_at=now,
        updated_at=now,
        address=Address(country_code=COUNTRY_CODES[CZECHIA]),
    )
    return json_response(to_vendor(blank))


async def get_contact(request: Request, actor: Actor) -> Response:
    return json_response(to_vendor(_find(request, actor)))


async def create_contact(request: Request, actor: Actor) -> Response:
    changes = await _changes(request, "POST")
    document = merge_patch({}, canonical_patch(changes, "POST", {}))
    return json_response(to_vendor(services(request).contacts.create(actor, document)))


async def update_contact(request: Request, actor: Actor) -> Response:
    """PATCH: the fields sent change, the others stay."""
    return await _save(request, actor, "PATCH")


async def replace_contact(request: Request, actor: Actor) -> Response:
    """PUT: the fields of the vendor's PUT model that the body leaves out are reset."""
    return await _save(request, actor, "PUT")


async def _save(request: Request, actor: Actor, verb: Verb) -> Response:
    number = _number(request)
    changes = await _changes(request, verb)

    def change(current: Contact) -> dict[str, Any]:
        # Built on the document read in the write's own transaction: DefaultBankAccount
        # rewrites the account list, which must not overwrite a concurrent change to it.
        return patched(current, canonical_patch(changes, verb, writable_document(current)))

    try:
        saved = services(request).contacts.edit(actor, number, change)
    except NotFound:
        raise NotFound(f"Contact with Id '{number}' was not found.") from None
    return json_response(to_vendor(saved))


async def delete_contact(request: Request, actor: Actor) -> Response:
    services(request).contacts.delete(actor, _find(request, actor).id)
    return Response(status_code=204)


Handler = Callable[[Request, Actor], Awaitable[Response]]
# The vendor's routes again, for no_route: ASP.NET matches paths without regard to case.
ROUTES: tuple[tuple[re.Pattern[str], dict[str, Handler]], ...] = (
    (re.compile(r"v2\.0/Contacts", re.I), {"GET": list_contacts, "POST": create_contact}),
    (re.compile(r"v2\.0/Contacts/Default", re.I), {"GET": default_contact}),
    (
        re.compile(r"v2\.0/Contacts/(?P<id>[^/]+)", re.I),
        {
            "GET": get_contact,
            "PUT": replace_contact,
            "PATCH": update_contact,
            "DELETE": delete_contact,
        },
    ),
    (re.compile(re.escape(TOKEN_PATH.lstrip("/")), re.I), {"POST": token_endpoint}),
)


async def no_route(request: Request, actor: Actor) -> Response:
    """Any other path or method under the prefix: the vendor's route in other letter case,
    else 404 or 405 as ASP.NET answers them."""
    path = request.path_params["path"]
    method = "GET" if request.method == "HEAD" else request.method
    for pattern, handlers in ROUTES:
        if found := pattern.fullmatch(path):
            if method not in handlers:
                raise MethodNotAllowed(
                    f"The requested resource does not support http method '{request.method}'."
                )
            request.scope["path_params"] = found.groupdict()
            return await handlers[method](request, actor)
    raise NotFound(f"No HTTP resource was found that matches the request URI '{request.url}'.")
