"""Handlers of /v1/contacts/{id}/bank-accounts and /contact-persons: one item at a time.

Every write answers with the whole contact and its new ETag, so a client can chain
conditional writes; a created item's own URL is in Location.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.contacts import (
    PATCH_MEDIA_TYPES,
    contact_id,
    contact_response,
    path_uuid,
)
from counterparty.api.writes import guarded_write, write_options
from counterparty.domain.ids import new_id
from counterparty.services.context import Actor
from counterparty.services.items import Collection
from counterparty.web.http import read_json
from counterparty.web.state import limits, services

COLLECTIONS: dict[str, Collection] = {
    "bank-accounts": "bank_accounts",
    "contact-persons": "contact_persons",
}


def _collection(request: Request) -> tuple[str, Collection]:
    segment = request.url.path.rstrip("/").split("/")[4]
    return segment, COLLECTIONS[segment]


async def add_item(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    segment, collection = _collection(request)
    item = await read_json(request, limits(request).max_body_bytes)
    item_id = new_id()
    return guarded_write(
        request,
        actor,
        lambda options: services(request).items.add(
            actor, target, collection, item, options, item_id=item_id
        )[0],
        lambda contact: contact_response(
            contact, 201, f"/v1/contacts/{contact.id}/{segment}/{item_id}"
        ),
    )


async def update_item(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    _, collection = _collection(request)
    item_id = path_uuid(request, "item_id", "item")
    patch = await read_json(request, limits(request).max_body_bytes, PATCH_MEDIA_TYPES)
    contact = services(request).items.update(
        actor, target, collection, item_id, patch, write_options(request)
    )
    return contact_response(contact)


async def remove_item(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    _, collection = _collection(request)
    item_id = path_uuid(request, "item_id", "item")
    contact = services(request).items.remove(
        actor, target, collection, item_id, write_options(request)
    )
    return contact_response(contact)
