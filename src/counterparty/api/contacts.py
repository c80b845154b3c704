"""Handlers of /v1/contacts: parse, call one service function, shape the response."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from counterparty.domain.contact import Contact
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.listing import parse_list_parameters
from counterparty.web.credentials import bearer_token
from counterparty.web.http import JSON, json_response, read_json
from counterparty.web.state import actor_for, limits, services

MERGE_PATCH = "application/merge-patch+json"
PATCH_MEDIA_TYPES = (MERGE_PATCH, JSON)


class ContactList(BaseModel):
    data: list[Contact]
    next_cursor: str | None
    has_more: bool


def native_actor(request: Request) -> Actor:
    return actor_for(request, bearer_token(request), "api")


def _contact_id(request: Request) -> UUID:
    raw = request.path_params["contact_id"]
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"no contact with id {raw}") from None


def _contact_response(contact: Contact, status: int = 200, location: bool = False) -> Response:
    headers = {"ETag": f'"{contact.version}"'}
    if location:
        headers["Location"] = f"/v1/contacts/{contact.id}"
    return json_response(contact, status=status, headers=headers)


async def list_contacts(request: Request, actor: Actor) -> Response:
    query, cursor = parse_list_parameters(request.query_params)
    page = services(request).contacts.list(actor, query, cursor)
    headers = {}
    if page.next_cursor is not None:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        headers["Link"] = f'<{next_url}>; rel="next"'
    listing = ContactList.model_construct(
        data=page.contacts, next_cursor=page.next_cursor, has_more=page.next_cursor is not None
    )
    return json_response(listing, headers=headers)


async def create_contact(request: Request, actor: Actor) -> Response:
    document = await read_json(request, limits(request).max_body_bytes)
    contact = services(request).contacts.create(actor, document)
    return _contact_response(contact, status=201, location=True)


async def get_contact(request: Request, actor: Actor) -> Response:
    return _contact_response(services(request).contacts.get(actor, _contact_id(request)))


async def get_contact_by_number(request: Request, actor: Actor) -> Response:
    raw = request.path_params["number"]
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(f"no contact has number {raw}")
    return _contact_response(services(request).contacts.get_by_number(actor, int(raw)))


async def replace_contact(request: Request, actor: Actor) -> Response:
    contact_id = _contact_id(request)
    document = await read_json(request, limits(request).max_body_bytes)
    return _contact_response(services(request).contacts.replace(actor, contact_id, document))


async def patch_contact(request: Request, actor: Actor) -> Response:
    contact_id = _contact_id(request)
    patch = await read_json(request, limits(request).max_body_bytes, PATCH_MEDIA_TYPES)
    return _contact_response(services(request).contacts.patch(actor, contact_id, patch))


async def delete_contact(request: Request, actor: Actor) -> Response:
    services(request).contacts.delete(actor, _contact_id(request))
    return Response(status_code=204)


async def archive_contact(request: Request, actor: Actor) -> Response:
    contact = services(request).contacts.set_archived(actor, _contact_id(request), True)
    return _contact_response(contact)


async def unarchive_contact(request: Request, actor: Actor) -> Response:
    contact = services(request).contacts.set_archived(actor, _contact_id(request), False)
    return _contact_response(contact)
