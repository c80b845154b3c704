"""The operations of /compat/muhasip/accounting/contacts: parse, call one service, shape the
reply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.base import patched
from counterparty.dialects.fields import VendorField
from counterparty.dialects.muhasip.checks import check_body
from counterparty.dialects.muhasip.errors import summary
from counterparty.dialects.muhasip.inbound import (
    Translation,
    creation_document,
    replacement_patch,
    translate,
)
from counterparty.dialects.muhasip.listing import PAGE_MEMBERS, PARAMETERS, list_query, paginate
from counterparty.dialects.muhasip.outbound import ok, render
from counterparty.dialects.muhasip.table import TABLE
from counterparty.dialects.openapi import Published, Schema
from counterparty.domain.contact import Contact
from counterparty.services.context import Actor
from counterparty.web.http import read_json
from counterparty.web.routing import Handler, Operation, Parameter
from counterparty.web.state import limits, services


def _contact_id(request: Request) -> UUID:
    raw = request.path_params["id"]
    try:
        return UUID(raw)
    except ValueError:
        raise errors.NotFound(f"no contact with _id {raw}") from None


async def _checked_body(request: Request) -> Mapping[str, Any]:
    body = await read_json(request, limits(request).max_body_bytes)
    if problems := check_body(body):
        raise errors.ValidationFailed(summary(problems), errors=problems)
    assert isinstance(body, Mapping)
    return body


async def list_contacts(request: Request, actor: Actor) -> Response:
    page, size, query = list_query(request.query_params)
    found = services(request).contacts.list_counted(actor, query)
    docs = [render(contact, actor.tenant_id) for contact in found.contacts]
    return ok(paginate(docs, found.total, page, size))


async def create_contact(request: Request, actor: Actor) -> Response:
    translation = translate(await _checked_body(request), current=None)
    try:
        contact = services(request).contacts.create(actor, creation_document(translation))
    except errors.ValidationFailed as error:
        raise translation.vendor_errors(error) from None
    return ok(render(contact, actor.tenant_id))


async def get_contact(request: Request, actor: Actor) -> Response:
    contact = services(request).contacts.get(actor, _contact_id(request))
    return ok(render(contact, actor.tenant_id))


async def update_contact(request: Request, actor: Actor) -> Response:
    """The patch is built, inside the write, from the contact as it is there (lists are
    merged with what it holds), so a change that lands in between is never undone."""
    contact_id = _contact_id(request)
    body = await _checked_body(request)
    built: list[Translation] = []

    def change(current: Contact) -> dict[str, Any]:
        built[:] = [translate(body, current)]
        return patched(current, replacement_patch(built[0], current))

    try:
        contact = services(request).contacts.edit(actor, contact_id, change)
    except errors.ValidationFailed as error:
        raise built[-1].vendor_errors(error) if built else error from None
    return ok(render(contact, actor.tenant_id))


async def delete_contact(request: Request, actor: Actor) -> Response:
    """Answers with the contact as it was, like mongoose's findOneAndDelete."""
    contact_id = _contact_id(request)
    contacts = services(request).contacts
    contact: Contact = contacts.get(actor, contact_id)
    contacts.delete(actor, contact_id)
    return ok(render(contact, actor.tenant_id))


def archiving(archived: bool) -> Handler:
    """`archive` and `unArchive`: the contact's state set, the contact answered."""

    async def handle(request: Request, actor: Actor) -> Response:
        contact = services(request).contacts.set_archived(actor, _contact_id(request), archived)
        return ok(render(contact, actor.tenant_id))

    return handle


CONTACT_ID = Parameter(
    "id", "path", {"type": "string", "format": "uuid"}, "The contact's `_id` (canonical id)"
)


WRITE_ERRORS = (400, 401, 404, 409, 413, 415)
PATH = "/accounting/contacts"
TAG = "muhasip"
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", PATH, list_contacts, "muhasipListContacts", "Index", tag=TAG,
              errors=(400, 401), parameters=PARAMETERS),
    Operation("POST", PATH, create_contact, "muhasipCreateContact", "Create", tag=TAG,
              errors=(400, 401, 409, 413, 415)),
    Operation("GET", PATH + "/{id}", get_contact, "muhasipGetContact", "Details", tag=TAG,
              errors=(401, 404), parameters=(CONTACT_ID,)),
    Operation("PUT", PATH + "/{id}", update_contact, "muhasipUpdateContact", "Update", tag=TAG,
              errors=WRITE_ERRORS, parameters=(CONTACT_ID,)),
    Operation("DELETE", PATH + "/{id}", delete_contact, "muhasipDeleteContact", "Delete",
              tag=TAG, errors=(401, 404, 409), parameters=(CONTACT_ID,)),
    Operation("PATCH", PATH + "/{id}/archive", archiving(True), "muhasipArchiveContact",
              "Archive", tag=TAG, errors=(401, 404), parameters=(CONTACT_ID,)),
    Operation("PATCH", PATH + "/{id}/unArchive", archiving(False), "muhasipUnarchiveContact",
              "unArchive", tag=TAG, errors=(401, 404), parameters=(CONTACT_ID,)),
)  # fmt: skip


def _envelope(result: Schema) -> Schema:
    return {"type": "object", "required": ["status", "result"],
            "properties": {"status": {"const": True}, "result": result}}  # fmt: skip


ERROR_SCHEMA: Schema = {
    "type": "object",
    "required": ["status", "message"],
    "properties": {
        "status": {"const": False}, "message": {"type": "string"}, "code": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": ["string", "null"]}, "code": {"type": "string"},
            "message": {"type": "string"}}}},
    },
}  # fmt: skip


def _widened(row: VendorField, schema: Schema) -> Schema:
    """A person's `_id` may be any text: a known UUID keeps the person, anything else (a
    Muhasip ObjectId) is dropped and makes a new one, so it is never stored."""
    return {"type": "string"} if row.name == "_id" else schema


PUBLISHED = Published(
    title="Muhasip: Cariler (contacts)",
    table=TABLE,
    security={"type": "http", "scheme": "basic"},
    error=ERROR_SCHEMA,
    answers={"muhasipListContacts": "page"},
    envelope=_envelope,
    page=lambda entity: _envelope({
        "type": "object", "required": list(PAGE_MEMBERS),
        "properties": {**PAGE_MEMBERS, "docs": {"type": "array", "items": entity}}}),
    widen=_widened,
    closed=True,
)  # fmt: skip
