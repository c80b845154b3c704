"""The operations of `api/Contact`, `api/Contact({key})`, `Contact/$count` and `$metadata`:
the reads and the delete are the OData family's service of the `Contact` set; the writes
translate, call the services and answer through it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.base import patched
from counterparty.dialects.odata import answers, csdl
from counterparty.dialects.odata.answers import Invalid
from counterparty.dialects.odata.query import ENTITY_OPTIONS, read_options
from counterparty.dialects.odata.service import Service, filter_parameter, list_parameters
from counterparty.dialects.odyssee.company import Link, by_id, company_write, link
from counterparty.dialects.odyssee.errors import NAME, SHAPE
from counterparty.dialects.odyssee.inbound import Translation, extension, translate
from counterparty.dialects.odyssee.listing import CONTACTS
from counterparty.dialects.odyssee.table import COMPANY_FIELDS, CONTACT
from counterparty.dialects.openapi import Published
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch_between
from counterparty.errors import DuplicateValue, FieldError
from counterparty.services.contacts import ContactService, PreparedWrite
from counterparty.services.context import Actor
from counterparty.web.http import read_json
from counterparty.web.routing import Operation
from counterparty.web.state import limits, services

SERVICE = Service(
    "/compat/odyssee/api/",
    CONTACTS,
    csdl.metadata(
        "Odyssee",
        [csdl.entity_type("contact", CONTACT, navigation=[("company", "company")]),
         csdl.entity_type("company", COMPANY_FIELDS)],
        {"Contact": "contact"},
    ),
)  # fmt: skip
MEDIA_TYPES = ("application/json", "text/json")


def _checked_link(
    contacts: ContactService, actor: Actor, given: Translation, *, whole: bool
) -> Link:
    """The company link, with a missing lastname reported in the same answer."""
    missing = []
    if (whole or "lastname" in given.values) and not given.values.get("lastname"):
        missing.append(FieldError("required", "lastname is required", pointer="lastname"))
    try:
        found = link(contacts, actor, given, required=whole)
    except Invalid as error:
        values_invalid = not error.unprocessable
        raise SHAPE.invalid([*missing, *error.errors], values_invalid=values_invalid) from None
    if missing:
        raise SHAPE.invalid(missing)
    return found


def _secrets(given: Translation) -> dict[str, str] | None:
    # An empty or absent e_password leaves the stored one as it is: it is never read back,
    # so a client that resends what it read must not erase it.
    return {"e_password": given.secret} if given.secret else None


async def create_contact(request: Request, actor: Actor) -> Response:
    options = read_options(request.query_params, CONTACTS, ENTITY_OPTIONS)
    body = await read_json(request, limits(request).max_body_bytes, MEDIA_TYPES)
    contacts = services(request).contacts
    given = translate(CONTACT, body, whole=True)
    new_id, _ = given.canonical.pop("id"), given.canonical.pop("parent_id")
    if new_id and by_id(contacts, actor, UUID(new_id)) is not None:
        detail = f"id: a contact with id {new_id} exists"
        raise DuplicateValue(detail, pointer="id", existing_id=new_id)
    found = _checked_link(contacts, actor, given, whole=True)
    document = given.document(keep_nulls=False)
    document.update(kind="person", id=new_id)
    if ext := extension({}, given.ext, whole=True):
        document["extensions"] = {"odyssee": ext}
    parent_id = found.plan.target if found.plan else found.parent_id
    document["parent_id"] = str(parent_id) if parent_id else None
    with SHAPE.vendor_terms():
        person = contacts.prepare_create(actor, document, secrets=_secrets(given))
    contact = _write_with_company(contacts, actor, found, person)
    return SERVICE.written(request, actor, contact, options, status=201, expand=bool(found.plan))


def _write_with_company(
    contacts: ContactService, actor: Actor, found: Link, person: PreparedWrite
) -> Contact:
    """The person's write, after its embedded company's (if any) in the same transaction: the
    company is not written when the person's write fails."""
    writes = [SHAPE.when_run(person)]
    if found.plan is not None:
        writes.insert(0, company_write(contacts, actor, found.plan))
    return contacts.write_together(actor, writes)[-1]


async def _update(request: Request, actor: Actor, *, whole: bool) -> Response:
    options = read_options(request.query_params, CONTACTS, ENTITY_OPTIONS)
    contact_id = SERVICE.key(request)
    body = await read_json(request, limits(request).max_body_bytes, MEDIA_TYPES)
    contacts = services(request).contacts
    given = translate(CONTACT, body, whole=whole)
    body_id = given.canonical.pop("id", None)
    given.canonical.pop("parent_id", None)
    if body_id and UUID(body_id) != contact_id:
        detail = "the id in the body differs from the key in the URL"
        raise SHAPE.invalid([FieldError("key_mismatch", detail, pointer="id")])
    found = _checked_link(contacts, actor, given, whole=whole)
    patch = given.document(keep_nulls=True)
    if whole or {"firstname", "lastname"} & given.values.keys():
        patch["name"] = None  # the canonical name follows "firstname lastname"
    if found.plan is not None:
        patch["parent_id"] = str(found.plan.target)
    elif found.named:
        patch["parent_id"] = str(found.parent_id) if found.parent_id else None

    def change(current: Contact) -> dict[str, Any]:
        now = SERVICE.member(current).extensions.get("odyssee", {})
        wanted = extension(now, given.ext, whole=whole)
        extensions = {"odyssee": merge_patch_between(now, wanted) if wanted else None}
        changes = {**patch, "extensions": extensions} if wanted != now else patch
        return patched(current, changes)

    with SHAPE.vendor_terms():
        person = contacts.prepare_edit(actor, contact_id, change, secrets=_secrets(given))
    contact = _write_with_company(contacts, actor, found, person)
    return SERVICE.written(request, actor, contact, options, status=200, expand=bool(found.plan))


async def replace_contact(request: Request, actor: Actor) -> Response:
    return await _update(request, actor, whole=True)


async def patch_contact(request: Request, actor: Actor) -> Response:
    return await _update(request, actor, whole=False)


KEY = SERVICE.key_parameter
FILTER_EXAMPLE = "lastname eq 'Peeters'"
LIST_PARAMETERS = list_parameters(CONTACTS, FILTER_EXAMPLE, "lastname desc,firstname")
ENTITY = "/api/Contact({key})"
WRITE_ERRORS = (400, 404, 409, 413, 415, 422)
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/api/$metadata", SERVICE.describe, "odysseeMetadata",
              "The CSDL document of the service (OData 4.0)", tag=NAME),
    Operation("GET", "/api/Contact/$count", SERVICE.count, "odysseeCountContacts",
              "How many contacts the $filter keeps", tag=NAME, errors=(400,),
              parameters=(filter_parameter(CONTACTS, FILTER_EXAMPLE),)),
    Operation("GET", "/api/Contact", SERVICE.collection, "odysseeListContacts",
              "List contacts, 20 per page ($top, $skip, $filter, $orderby, $count, $expand)",
              tag=NAME, errors=(400,), parameters=LIST_PARAMETERS),
    Operation("POST", "/api/Contact", create_contact, "odysseeCreateContact", "Create a contact",
              tag=NAME, status=201, response_description="Created",
              errors=(400, 409, 413, 415, 422)),
    Operation("GET", ENTITY, SERVICE.entity, "odysseeGetContact", "Fetch a contact", tag=NAME,
              errors=(400, 404), parameters=(KEY,)),
    Operation("PUT", ENTITY, replace_contact, "odysseeReplaceContact",
              "Replace a contact (the whole Odyssee entity)", tag=NAME, errors=WRITE_ERRORS,
              parameters=(KEY,)),
    Operation("PATCH", ENTITY, patch_contact, "odysseePatchContact", "Change the members sent",
              tag=NAME, errors=WRITE_ERRORS, parameters=(KEY,)),
    Operation("DELETE", ENTITY, SERVICE.delete, "odysseeDeleteContact", "Delete a contact",
              tag=NAME, status=204, response_description="Deleted", errors=(404, 409),
              parameters=(KEY,)),
)  # fmt: skip
PUBLISHED = Published(
    title="Odyssee Mobile: Contact (OData 4.0)",
    table=CONTACT,
    security={"type": "http", "scheme": "basic",
              "description": "user:<api key>@<tenant slug>"},
    error=answers.ERROR_SCHEMA,
    answers={"odysseeMetadata": "metadata", "odysseeCountContacts": "count",
             "odysseeListContacts": "page", "odysseeDeleteContact": "none"},
    envelope=answers.single,
    page=answers.collection,
    media=MEDIA_TYPES,
    closed=True,
    read_only_checked=True,
    annotations="^@",
)  # fmt: skip
