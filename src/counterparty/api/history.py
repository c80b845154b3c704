"""Handlers of a contact's history and versions, and of the tenant's change feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.contacts import contact_id
from counterparty.domain.contact import Contact
from counterparty.domain.history import ContactEvent
from counterparty.domain.text import decimal_digits
from counterparty.errors import FieldError, NotFound, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.history import FEED_LIMIT, HISTORY_LIMIT, EventPage
from counterparty.web.conditional import etag
from counterparty.web.http import JSON, next_link
from counterparty.web.state import services


class ChangeOut(BaseModel):
    path: str
    old: Any
    new: Any


class EventOut(BaseModel):
    """One change of one contact. `contact` is the contact after it (null once deleted);
    the history leaves it out, the change feed includes it."""

    sequence: int
    type: str
    contact_id: UUID
    contact_number: int
    version: int
    changes: list[ChangeOut]
    api_key_id: UUID | None
    entry_point: str
    request_id: str | None
    occurred_at: datetime
    contact: Contact | None = None


class EventList(BaseModel):
    data: list[EventOut]
    next_cursor: str | None
    has_more: bool


def limit_parameter(request: Request, bounds: tuple[int, int]) -> int:
    """The `limit` query parameter within (default, maximum)."""
    default, maximum = bounds
    raw = request.query_params.get("limit")
    if raw is None:
        return default
    if decimal_digits(raw) and 1 <= int(raw) <= maximum:
        return int(raw)
    error = FieldError("out_of_range", f"a whole number from 1 to {maximum}", parameter="limit")
    raise ValidationFailed(f"limit: {error.detail}", errors=[error])


def _event(event: ContactEvent, documents: dict[int, bytes | None] | None) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "sequence": event.sequence,
        "type": event.type,
        "contact_id": event.contact_id,
        "contact_number": event.contact_number,
        "version": event.version,
        "changes": [vars(change) for change in event.changes],
        "api_key_id": event.api_key_id,
        "entry_point": event.entry_point,
        "request_id": event.request_id,
        "occurred_at": event.occurred_at,
    }
    if documents is not None:
        # The stored document is already the contact's JSON: embed it as it is.
        document = documents.get(event.sequence)
        shown["contact"] = None if document is None else orjson.Fragment(document)
    return shown


def _page(page: EventPage, headers: dict[str, str] | None = None) -> Response:
    body = {
        "data": [_event(event, page.documents) for event in page.events],
        "next_cursor": page.next_cursor,
        "has_more": page.has_more,
    }
    return Response(orjson.dumps(body, option=orjson.OPT_UTC_Z), media_type=JSON, headers=headers)


async def contact_history(request: Request, actor: Actor) -> Response:
    page = services(request).history.history(
        actor,
        contact_id(request),
        request.query_params.get("cursor"),
        limit_parameter(request, HISTORY_LIMIT),
    )
    return _page(page, next_link(request, page.next_cursor))


async def contact_version(request: Request, actor: Actor) -> Response:
    raw = request.path_params["version"]
    if not decimal_digits(raw) or len(raw) > 9:
        raise NotFound(f"no version {raw}")
    snapshot = services(request).history.version(actor, contact_id(request), int(raw))
    return Response(snapshot, media_type=JSON, headers={"ETag": etag(int(raw))})


async def change_feed(request: Request, actor: Actor) -> Response:
    page = services(request).history.feed(
        actor, request.query_params.get("after"), limit_parameter(request, FEED_LIMIT)
    )
    return _page(page)
