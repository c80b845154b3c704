"""The WACS contact operations: parse, call one service function, shape the DTO."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import partial
from typing import Any
from urllib.parse import quote
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects import aspnet, aspnet_routing
from counterparty.dialects.base import edit_numbered, numbered
from counterparty.dialects.openapi import Published
from counterparty.dialects.wacs.inbound import read_body, to_patch
from counterparty.dialects.wacs.listing import INT32_MAX, list_query
from counterparty.dialects.wacs.outbound import to_dto
from counterparty.dialects.wacs.table import BODY, NAMESPACE, TABLE
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.errors import ContactInUse, NotFound
from counterparty.services.context import Actor
from counterparty.web.http import json_response, read_json
from counterparty.web.routing import Operation, Parameter
from counterparty.web.state import limits, services


def _number(request: Request) -> int:
    raw = request.path_params["id"]
    if not re.fullmatch(r"-?[0-9]{1,10}", raw) or not -INT32_MAX - 1 <= int(raw) <= INT32_MAX:
        raise aspnet.invalid("id", f"The value '{raw}' is not valid for id; send an integer.")
    return int(raw)


def _not_found(number: int) -> NotFound:
    return NotFound(f"No contact with ID {number} was found.")


def _load(request: Request, actor: Actor) -> Contact:
    return numbered(request, actor, _number(request), _not_found)


def _parent_id(request: Request, actor: Actor, number: int | None) -> UUID | None:
    if not number:  # null, or 0 as a .NET client sends for "no parent"
        return None
    try:
        return services(request).contacts.get_by_number(actor, number).id
    except NotFound:
        raise aspnet.invalid(f"{BODY}.ParentID", f"No contact with ID {number} exists.") from None


def _numbers(request: Request, actor: Actor, contacts: Iterable[Contact]) -> dict[UUID, int]:
    """Contact id -> number for the given contacts and their parents."""
    contacts = list(contacts)
    known = {contact.id: contact.number for contact in contacts}
    for contact in contacts:
        parent = contact.parent_id
        if parent is not None and parent not in known:
            try:
                known[parent] = services(request).contacts.get(actor, parent).number
            except NotFound:  # deleted in the meantime
                continue
    return known


def _dto(request: Request, actor: Actor, contact: Contact) -> dict[str, Any]:
    numbers = _numbers(request, actor, [contact])
    return to_dto(contact, numbers.get(contact.parent_id) if contact.parent_id else None)


async def _body(request: Request) -> dict[str, Any]:
    body = await read_json(request, limits(request).max_body_bytes, aspnet.JSON_TYPES)
    return read_body(body)


async def create_contact(request: Request, actor: Actor) -> Response:
    values = await _body(request)
    parent_id = _parent_id(request, actor, values["ParentID"])
    document = merge_patch({}, to_patch(values, None, parent_id))
    contact = services(request).contacts.create(actor, document)
    version = quote(request.path_params.get("version", "1"), safe="")
    location = f"/compat/wacs/api/v{version}/Contacts/GetContact/{contact.number}"
    return json_response(_dto(request, actor, contact), 201, {"Location": location})


async def update_contact(request: Request, actor: Actor) -> Response:
    number = _number(request)  # a bad id is refused before the body is read
    values = await _body(request)
    parent_id = _parent_id(request, actor, values["ParentID"])

    change = partial(to_patch, values, parent_id=parent_id)
    contact = edit_numbered(request, actor, number, change, _not_found)
    return json_response(_dto(request, actor, contact))


async def get_contact(request: Request, actor: Actor) -> Response:
    return json_response(_dto(request, actor, _load(request, actor)))


async def delete_contact(request: Request, actor: Actor) -> Response:
    contact = _load(request, actor)
    try:
        services(request).contacts.delete(actor, contact.id)
    except ContactInUse as error:
        found = (_child_number(request, actor, child) for child in error.referenced_by)
        listed = sorted(number for number in found if number)
        raise ContactInUse(
            f"Contact {contact.number} cannot be deleted: it is the ParentID of contact(s) "
            f"{', '.join(map(str, listed))}; change or delete those first.",
            referenced_by=[str(number) for number in listed],
        ) from None
    return Response(status_code=204)


def _child_number(request: Request, actor: Actor, child: str) -> int:
    try:
        return services(request).contacts.get(actor, UUID(child)).number
    except NotFound:  # moved away in the meantime
        return 0


async def list_contacts(request: Request, actor: Actor) -> Response:
    query = list_query(request)
    found = services(request).contacts.list_counted(actor, query)
    numbers = _numbers(request, actor, found.contacts)
    body = [
        to_dto(contact, numbers.get(contact.parent_id) if contact.parent_id else None)
        for contact in found.contacts
    ]
    headers = {
        "X-Total-Count": str(found.total),
        "X-Total-Pages": str(math.ceil(found.total / query.limit)),
    }
    return json_response(body, headers=headers)


BASE = "/api/v{version}/Contacts"
VERSION = Parameter("version", "path", {"type": "string"}, "API version, e.g. 1", True)
ID = Parameter(
    "id",
    "path",
    {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    "The contact's ID",
    True,
)
MEDIA = aspnet.JSON_TYPES
ENDPOINTS: tuple[Operation, ...] = (
    Operation("POST", f"{BASE}/CreateContact", create_contact, "wacsCreateContact",
              "Create a contact", body_media_types=MEDIA, status=201,
              errors=(400, 401, 409, 413, 415), parameters=(VERSION,)),
    Operation("PUT", f"{BASE}/UpdateContact/{{id}}", update_contact, "wacsUpdateContact",
              "Replace the WACS fields of a contact", body_media_types=MEDIA,
              errors=(400, 401, 404, 409, 413, 415), parameters=(VERSION, ID)),
    Operation("GET", f"{BASE}/GetContact/{{id}}", get_contact, "wacsGetContact",
              "Fetch a contact", errors=(400, 401, 404), parameters=(VERSION, ID)),
    Operation("GET", f"{BASE}/GetContacts", list_contacts, "wacsGetContacts",
              "List contacts, a page at a time", errors=(400, 401), parameters=(VERSION,)),
    Operation("DELETE", f"{BASE}/DeleteContact/{{id}}", delete_contact, "wacsDeleteContact",
              "Delete a contact", status=204, errors=(400, 401, 404, 409),
              parameters=(VERSION, ID)),
)  # fmt: skip

OPERATIONS = (*ENDPOINTS, *aspnet_routing.fallback_operations(ENDPOINTS, NAMESPACE))

PUBLISHED = Published(
    title="WACS: contacts",
    table=TABLE,
    security={"type": "apiKey", "in": "query", "name": "key"},
    error=aspnet.ERROR_SCHEMA,
    answers={"wacsGetContacts": "page"},
    widen=aspnet.coerced_schema,
)
