"""Handlers of /compat/muhasip/accounting/contacts: parse, call one service, shape the reply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.base import dialect_actor, patched
from counterparty.dialects.muhasip.convert import (
    Translation,
    creation_document,
    replacement_patch,
    summary,
    translate,
)
from counterparty.dialects.muhasip.mapping import check_body
from counterparty.dialects.muhasip.render import paginate, render
from counterparty.domain.contact import Contact
from counterparty.domain.text import fold
from counterparty.services.context import Actor
from counterparty.services.listing import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    ContactQuery,
    SortField,
)
from counterparty.web.credentials import basic_credentials
from counterparty.web.http import json_response, read_json
from counterparty.web.state import limits, request_id, services
from counterparty.web.statuses import status_for

DEFAULT_PAGE_SIZE = 25  # the old official client's defaults: page 1, pageSize 25, archived false
MAX_PAGE = 1_000_000
LIST_ORDER: SortField = "name"
# Muhasip reports invalid content as 400.
STATUS_OVERRIDES: dict[type[errors.CounterpartyError], int] = {errors.ValidationFailed: 400}


def authenticate(request: Request) -> Actor:
    """HTTP Basic; the password is the API key, the user name is not checked."""
    credentials = basic_credentials(request)
    return dialect_actor(request, credentials[1] if credentials else None, "muhasip")


def ok(result: Any, status: int = 200) -> Response:
    return json_response({"status": True, "result": result}, status)


def render_error(error: Exception, request: Request) -> Response:
    """{"status": false, "message": ...} (+ `code`, and `errors` for field problems)."""
    if not isinstance(error, errors.CounterpartyError):
        message = f"internal error; request id {request_id(request)}"
        return json_response({"status": False, "message": message, "code": "internal_error"}, 500)
    status = status_for(error, STATUS_OVERRIDES)
    body: dict[str, Any] = {"status": False, "message": error.detail, "code": error.code}
    if isinstance(error, errors.ValidationFailed):
        body["errors"] = [_field_error(item) for item in error.errors]
    headers = {}
    if isinstance(error, errors.Unauthenticated):
        headers["WWW-Authenticate"] = 'Basic realm="muhasip", charset="UTF-8"'
    return json_response(body, status, headers)


def _field_error(item: errors.FieldError) -> dict[str, Any]:
    where = item.parameter or (item.pointer or "")[1:].replace("/", ".")
    return {"field": where or None, "code": item.code, "message": item.detail}


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


# --- operations ------------------------------------------------------------------------


async def list_contacts(request: Request, actor: Actor) -> Response:
    page, size, query = _list_query(request.query_params)
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


async def archive_contact(request: Request, actor: Actor) -> Response:
    contact = services(request).contacts.set_archived(actor, _contact_id(request), True)
    return ok(render(contact, actor.tenant_id))


async def unarchive_contact(request: Request, actor: Actor) -> Response:
    contact = services(request).contacts.set_archived(actor, _contact_id(request), False)
    return ok(render(contact, actor.tenant_id))


# --- the list's query parameters ---------------------------------------------------------


def _list_query(params: Mapping[str, str]) -> tuple[int, int, ContactQuery]:
    """page, pageSize, query, archived; other parameters are ignored, as Muhasip does."""
    problems: list[errors.FieldError] = []

    def whole(name: str, default: int, top: int) -> int:
        raw = params.get(name, "").strip()
        if not raw:
            return default
        if raw.isdigit() and 1 <= int(raw) <= top:
            return int(raw)
        problems.append(errors.FieldError("out_of_range", f"a whole number from 1 to {top}",
                                          parameter=name))  # fmt: skip
        return default

    page = whole("page", 1, MAX_PAGE)
    size = whole("pageSize", DEFAULT_PAGE_SIZE, MAX_LIMIT)
    archived = params.get("archived", "").strip().lower() or "false"
    if archived not in ("true", "false"):
        problems.append(errors.FieldError("invalid_choice", "true or false", parameter="archived"))
    text = params.get("query", "")
    if len(text) > MAX_QUERY_LENGTH:
        detail = f"at most {MAX_QUERY_LENGTH} characters"
        problems.append(errors.FieldError("too_long", detail, parameter="query"))
    if problems:
        raise errors.ValidationFailed(summary(problems), errors=problems)
    terms = tuple(dict.fromkeys(fold(text).split()))[:MAX_QUERY_TERMS]
    query = ContactQuery(
        terms=terms,
        archived=archived == "true",
        sort=LIST_ORDER,
        limit=size,
        offset=(page - 1) * size,
    )
    return page, size, query
