"""The operations of /compat/idoklad: translate, call one service, shape the answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects import aspnet, aspnet_routing, datacontract, oauth2
from counterparty.dialects.base import edit_numbered, numbered
from counterparty.dialects.fields import Verb
from counterparty.dialects.idoklad.auth import GRANT
from counterparty.dialects.idoklad.inbound import Changes, canonical_patch, read_contact
from counterparty.dialects.idoklad.listing import LIST_PARAMETERS, list_page, read_listing
from counterparty.dialects.idoklad.outbound import template, to_vendor
from counterparty.dialects.idoklad.table import NAMESPACE, TABLE
from counterparty.dialects.openapi import Published
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import decimal_digits
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.writes import writable_document
from counterparty.web.http import json_response
from counterparty.web.routing import Operation, Parameter
from counterparty.web.state import services

JSON_TYPES = aspnet.JSON_TYPES
MODELS = "http://schemas.datacontract.org/2004/07/Doklad.Api.ApiModels"
BASE_MODELS = f"{MODELS}.BaseModels"
PATCH_TYPES = (*JSON_TYPES, "application/merge-patch+json")


def _not_found(number: object) -> NotFound:
    return NotFound(f"Contact with Id '{number}' was not found.")


def _number(request: Request) -> int:
    raw = str(request.path_params["id"])
    if not decimal_digits(raw) or len(raw) > 10 or int(raw) > 2**31 - 1:
        raise _not_found(raw)
    return int(raw)


def _find(request: Request, actor: Actor) -> Contact:
    return numbered(request, actor, _number(request), _not_found)


async def _changes(request: Request, verb: Verb) -> Changes:
    """The body as JSON, or as DataContract XML (`application/xml`, `text/xml`)."""
    media = PATCH_TYPES if verb == "PATCH" else JSON_TYPES
    return read_contact(await datacontract.read_request(request, TABLE, media), verb)


def _answer(request: Request, contact: Contact) -> Response:
    """ContactApiModel as JSON, or as DataContract XML when Accept prefers it."""
    return datacontract.answer(request, "ContactApiModel", to_vendor(contact), MODELS, BASE_MODELS)


async def list_contacts(request: Request, actor: Actor) -> Response:
    listing = read_listing(request.query_params)
    return json_response(list_page(services(request).contacts, actor, listing))


async def default_contact(request: Request, _actor: Actor) -> Response:
    """The template a new contact is built from: nothing filled in but the country."""
    return _answer(request, template(datetime.now(UTC)))


async def get_contact(request: Request, actor: Actor) -> Response:
    return _answer(request, _find(request, actor))


async def create_contact(request: Request, actor: Actor) -> Response:
    changes = await _changes(request, "POST")
    document = merge_patch({}, canonical_patch(changes, "POST", {}))
    return _answer(request, services(request).contacts.create(actor, document))


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
        return canonical_patch(changes, verb, writable_document(current))

    return _answer(request, edit_numbered(request, actor, number, change, _not_found))


async def delete_contact(request: Request, actor: Actor) -> Response:
    services(request).contacts.delete(actor, _find(request, actor).id)
    return Response(status_code=204)


TAG = NAMESPACE
CONTACT = "/v2.0/Contacts/{id:int}"  # an Int32 route constraint: Contacts/Default is its own
ID = Parameter("id", "path", {"type": "integer", "minimum": 1}, "The contact's Id")
WRITE_ERRORS = (400, 401, 404, 409, 413, 415)
ENDPOINTS: tuple[Operation, ...] = (
    GRANT.operation("idokladToken", TAG),
    Operation("GET", "/v2.0/Contacts", list_contacts, "idokladListContacts",
              "List contacts, a page at a time", tag=TAG, errors=(400, 401),
              parameters=LIST_PARAMETERS),
    Operation("POST", "/v2.0/Contacts", create_contact, "idokladCreateContact",
              "Create a contact", tag=TAG, body_media_types=(*JSON_TYPES, *datacontract.XML_TYPES),
              errors=(400, 401, 409, 413, 415)),
    # Before CONTACT, which would otherwise take "Default" for an id.
    Operation("GET", "/v2.0/Contacts/Default", default_contact, "idokladDefaultContact",
              "The template for a new contact", tag=TAG, errors=(401,)),
    Operation("GET", CONTACT, get_contact, "idokladGetContact", "Fetch a contact", tag=TAG,
              errors=(401, 404), parameters=(ID,)),
    Operation("PUT", CONTACT, replace_contact, "idokladReplaceContact",
              "Update a contact: the vendor fields left out are reset", tag=TAG,
              body_media_types=JSON_TYPES, errors=WRITE_ERRORS, parameters=(ID,)),
    Operation("PATCH", CONTACT, update_contact, "idokladUpdateContact",
              "Update some fields of a contact", tag=TAG, body_media_types=PATCH_TYPES,
              errors=WRITE_ERRORS, parameters=(ID,)),
    Operation("DELETE", CONTACT, delete_contact, "idokladDeleteContact", "Delete a contact",
              tag=TAG, status=204, response_description="Deleted", errors=(401, 404, 409),
              parameters=(ID,)),
)  # fmt: skip

OPERATIONS = (*ENDPOINTS, *aspnet_routing.fallback_operations(ENDPOINTS, NAMESPACE))

PUBLISHED = Published(
    title="iDoklad API v2: contacts",
    table=TABLE,
    security=GRANT.security(f"/compat/{NAMESPACE}"),
    error={"anyOf": [aspnet.ERROR_SCHEMA, oauth2.ERROR_SCHEMA]},
    answers={"idokladListContacts": "page", "idokladToken": "token"},
    widen=aspnet.blank_widened,
    page=lambda entity: {"type": "object", "required": ["Data", "TotalItems", "TotalPages"],
                         "properties": {"Data": {"type": "array", "items": entity},
                                        "TotalItems": {"type": "integer"},
                                        "TotalPages": {"type": "integer"}}},
    extra=oauth2.SCHEMAS,
)  # fmt: skip
