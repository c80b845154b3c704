"""Handlers of /v1/contacts: parse, call one service function, shape the response."""

from __future__ import annotations

from uuid import UUID

import orjson
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.writes import guarded_write, with_duplicates, write_options
from counterparty.domain.contact import MAX_NUMBER, Contact
from counterparty.domain.documents import StoredContact
from counterparty.domain.text import decimal_digits
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.web.conditional import etag, not_modified
from counterparty.web.credentials import bearer_token
from counterparty.web.http import JSON, json_response, next_link, read_json
from counterparty.web.list_query import parse_list_parameters
from counterparty.web.state import actor_for, limits, services

MERGE_PATCH = "application/merge-patch+json"
PATCH_MEDIA_TYPES = (MERGE_PATCH, JSON)


class ContactList(BaseModel):
    data: list[Contact]
    next_cursor: str | None
    has_more: bool


def native_actor(request: Request) -> Actor:
    return actor_for(request, bearer_token(request), "api")


def path_uuid(request: Request, name: str, what: str) -> UUID:
    raw = request.path_params[name]
    if isinstance(raw, UUID):  # the router matched it as one
        return raw
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"no {what} with id {raw}") from None


def contact_id(request: Request) -> UUID:
    return path_uuid(request, "contact_id", "contact")


def contact_response(contact: Contact, status: int = 200, location: str | None = None) -> Response:
    headers = {"ETag": etag(contact.version)}
    if location:
        headers["Location"] = location
    return json_response(contact, status=status, headers=headers)


def _read_response(request: Request, stored: StoredContact) -> Response:
    headers = {"ETag": etag(stored.version)}
    if stored.resolved_id is not None:  # a merged contact: the survivor answers
        headers["Content-Location"] = f"/v1/contacts/{stored.resolved_id}"
    if not_modified(request, stored.version):
        return Response(status_code=304, headers=headers)
    return Response(stored.json, media_type=JSON, headers=headers)


async def list_contacts(request: Request, actor: Actor) -> Response:
    query, cursor = parse_list_parameters(request.query_params)
    page = services(request).contacts.list(actor, query, cursor)
    # The page is joined from the stored documents, in ContactList's shape.
    body = b"".join(
        (
            b'{"data":[',
            b",".join(item.document for item in page.listed),
            b'],"next_cursor":',
            orjson.dumps(page.next_cursor),
            b',"has_more":',
            b"false" if page.next_cursor is None else b"true",
            b"}",
        )
    )
    return Response(body, media_type=JSON, headers=next_link(request, page.next_cursor))


async def create_contact(request: Request, actor: Actor) -> Response:
    document = await read_json(request, limits(request).max_body_bytes)
    return guarded_write(
        request,
        actor,
        lambda options: services(request).contacts.create(
            actor, document, options=options, chosen_id_allowed=False
        ),
        lambda contact: contact_response(contact, 201, f"/v1/contacts/{contact.id}"),
        conditional=False,
    )


async def get_contact(request: Request, actor: Actor) -> Response:
    return _read_response(request, services(request).contacts.read(actor, contact_id(request)))


async def get_contact_by_number(request: Request, actor: Actor) -> Response:
    raw = request.path_params["number"]
    if not decimal_digits(raw) or len(raw) > 19 or int(raw) > MAX_NUMBER:
        raise NotFound(f"no contact has number {raw}")
    return _read_response(request, services(request).contacts.read_by_number(actor, int(raw)))


async def replace_contact(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    document = await read_json(request, limits(request).max_body_bytes)
    options = write_options(request)
    contact = services(request).contacts.replace(actor, target, document, options=options)
    return with_duplicates(contact_response(contact), options)


async def patch_contact(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    patch = await read_json(request, limits(request).max_body_bytes, PATCH_MEDIA_TYPES)
    options = write_options(request)
    contact = services(request).contacts.patch(actor, target, patch, options=options)
    return with_duplicates(contact_response(contact), options)


async def delete_contact(request: Request, actor: Actor) -> Response:
    services(request).contacts.delete(actor, contact_id(request), options=write_options(request))
    return Response(status_code=204)


async def archive_contact(request: Request, actor: Actor) -> Response:
    return _set_archived(request, actor, True)


async def unarchive_contact(request: Request, actor: Actor) -> Response:
    return _set_archived(request, actor, False)


async def erase_contact(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    return guarded_write(
        request,
        actor,
        lambda options: services(request).erasure.erase(actor, target, options=options),
        lambda erased: Response(status_code=204) if erased is None else contact_response(erased),
    )


def _set_archived(request: Request, actor: Actor, archived: bool) -> Response:
    target = contact_id(request)
    return guarded_write(
        request,
        actor,
        lambda options: services(request).contacts.set_archived(
            actor, target, archived, options=options
        ),
        contact_response,
    )
