"""Handlers of the WACS contact endpoints: parse, call one service function, shape the DTO."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.base import dialect_actor, patched
from counterparty.dialects.wacs.fields import BODY, INT32, invalid, read_body
from counterparty.dialects.wacs.mapping import to_dto, to_patch
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import fold
from counterparty.errors import ContactInUse, NotFound
from counterparty.services.context import Actor
from counterparty.services.listing import MAX_QUERY_LENGTH, MAX_QUERY_TERMS, ContactQuery
from counterparty.web.credentials import bearer_token
from counterparty.web.http import JSON, json_response, read_json
from counterparty.web.state import limits, services

MEDIA_TYPES = (JSON, "text/json")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def query_value(request: Request, name: str) -> str | None:
    """A query parameter matched without regard to case, as ASP.NET binds them."""
    folded = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == folded:
            return value
    return None


def authenticate(request: Request) -> Actor:
    """The API key from `?key=` (as documented) or else an `Authorization: Bearer` header."""
    presented = query_value(request, "key") or bearer_token(request)
    return dialect_actor(request, presented, "wacs")


def _number(request: Request) -> int:
    raw = request.path_params["id"]
    if not re.fullmatch(r"-?\d{1,10}", raw) or not INT32[0] <= int(raw) <= INT32[1]:
        raise invalid("id", f"The value '{raw}' is not valid for id; send an integer.")
    return int(raw)


def _load(request: Request, actor: Actor) -> Contact:
    return services(request).contacts.get_by_number(actor, _number(request))


def _parent_id(request: Request, actor: Actor, number: int | None) -> UUID | None:
    if not number:  # null, or 0 as a .NET client sends for "no parent"
        return None
    try:
        return services(request).contacts.get_by_number(actor, number).id
    except NotFound:
        raise invalid(f"{BODY}.ParentID", f"No contact with ID {number} exists.") from None


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
    return read_body(await read_json(request, limits(request).max_body_bytes, MEDIA_TYPES))


async def create_contact(request: Request, actor: Actor) -> Response:
    values = await _body(request)
    parent_id = _parent_id(request, actor, values["ParentID"])
    document = merge_patch({}, to_patch(values, None, parent_id))
    contact = services(request).contacts.create(actor, document)
    version = request.path_params.get("version", "1")
    location = f"/compat/wacs/api/v{version}/Contacts/GetContact/{contact.number}"
    return json_response(_dto(request, actor, contact), 201, {"Location": location})


async def update_contact(request: Request, actor: Actor) -> Response:
    number = _number(request)  # a bad id is refused before the body is read
    values = await _body(request)
    parent_id = _parent_id(request, actor, values["ParentID"])

    def change(current: Contact) -> dict[str, Any]:
        return patched(current, to_patch(values, current, parent_id))

    contact = services(request).contacts.edit(actor, number, change)
    return json_response(_dto(request, actor, contact))


async def get_contact(request: Request, actor: Actor) -> Response:
    return json_response(_dto(request, actor, _load(request, actor)))


async def delete_contact(request: Request, actor: Actor) -> Response:
    contact = _load(request, actor)
    try:
        services(request).contacts.delete(actor, contact.id)
    except ContactInUse as error:
        listed: list[int] = []
        for child in error.referenced_by:
            try:
                listed.append(services(request).contacts.get(actor, UUID(child)).number)
            except NotFound:  # moved away in the meantime
                continue
        listed.sort()
        raise ContactInUse(
            f"Contact {contact.number} cannot be deleted: it is the ParentID of contact(s) "
            f"{', '.join(map(str, listed))}; change or delete those first.",
            referenced_by=[str(number) for number in listed],
        ) from None
    return Response(status_code=204)


def _int_parameter(request: Request, name: str, default: int, maximum: int) -> int:
    raw = query_value(request, name)
    if raw is None or not raw.strip():
        return default
    if not raw.strip().isdigit() or not 1 <= int(raw) <= maximum:
        raise invalid(name, f"The value '{raw}' is not valid for {name}; send 1 to {maximum}.")
    return int(raw)


def _list_query(request: Request) -> ContactQuery:
    page = _int_parameter(request, "page", 1, INT32[1])
    size = _int_parameter(request, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    search = (query_value(request, "search") or "").strip()
    if len(search) > MAX_QUERY_LENGTH:
        raise invalid("search", f"The search may be at most {MAX_QUERY_LENGTH} characters.")
    archived = (query_value(request, "includeArchived") or "false").strip().lower()
    if archived not in ("true", "false"):
        raise invalid("includeArchived", "The value is not valid for includeArchived.")
    return ContactQuery(
        terms=tuple(dict.fromkeys(fold(search).split()))[:MAX_QUERY_TERMS],
        archived=None if archived == "true" else False,
        external_ref=(query_value(request, "externalId") or "").strip() or None,
        sort="number",
        limit=size,
        offset=(page - 1) * size,
    )


async def list_contacts(request: Request, actor: Actor) -> Response:
    query = _list_query(request)
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
