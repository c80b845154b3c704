"""Handlers of /v1/webhooks: endpoints, their delivery log, retries, replays and tests.

Creating an endpoint or changing its URL resolves the URL's host to check it (SSRF), which
may wait on DNS: those two run in a worker thread instead of the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.contacts import PATCH_MEDIA_TYPES, path_uuid
from counterparty.api.history import limit_parameter
from counterparty.domain.validation import validated
from counterparty.domain.webhooks import Attempt, Delivery, Endpoint
from counterparty.errors import FieldError, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.webhooks import DELIVERY_LIMIT, WebhookService
from counterparty.web.http import json_response, next_link, read_json
from counterparty.web.state import limits


class WebhookOut(BaseModel):
    id: UUID
    url: str
    description: str | None
    events: list[str]
    enabled: bool
    disabled_reason: str | None = Field(description="Why the service disabled it, if it did")
    failing_since: datetime | None = Field(description="Start of the current run of failures")
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`), shown only when created and rotated"
    )


class WebhookList(BaseModel):
    data: list[WebhookOut]


class DeliveryOut(BaseModel):
    id: UUID
    event_id: str = Field(description="The `webhook-id` header: the same on every attempt")
    type: str
    sequence: int | None = Field(description="The event's position in /v1/events")
    contact_id: UUID | None
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status: int | None
    last_error: str | None
    last_duration_ms: int | None
    next_attempt_at: datetime | None = Field(description="When it is tried next, if pending")
    created_at: datetime
    finished_at: datetime | None


class AttemptOut(BaseModel):
    number: int
    attempted_at: datetime
    request_headers: dict[str, str]
    status: int | None
    response: str | None = Field(description="The first 4 KB of the answer")
    error: str | None
    duration_ms: int


class DeliveryDetail(DeliveryOut):
    attempts_made: list[AttemptOut]


class DeliveryList(BaseModel):
    data: list[DeliveryOut]
    next_cursor: str | None
    has_more: bool


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: str = Field(description="A `next_cursor` of GET /v1/events: events after it are sent")


class ReplayAnswer(BaseModel):
    queued: int = Field(description="Deliveries queued: the matching events after `since`")


def webhooks(request: Request) -> WebhookService:
    found: WebhookService = request.app.state.webhooks
    return found


def endpoint_out(endpoint: Endpoint, with_secret: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": endpoint.id,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": list(endpoint.events),
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "failing_since": endpoint.failing_since,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }
    if with_secret:
        shown["secret"] = endpoint.secret
    return shown


def delivery_out(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event_id": delivery.message_id,
        "type": delivery.event_type,
        "sequence": delivery.sequence,
        "contact_id": delivery.contact_id,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "last_duration_ms": delivery.last_duration_ms,
        "next_attempt_at": delivery.next_attempt_at if delivery.state == "pending" else None,
        "created_at": delivery.created_at,
        "finished_at": delivery.finished_at,
    }


def attempts_out(attempts: Sequence[Attempt]) -> list[dict[str, Any]]:
    return [vars(attempt) for attempt in attempts]


def _endpoint_id(request: Request) -> UUID:
    return path_uuid(request, "webhook_id", "webhook endpoint")


def _delivery_id(request: Request) -> UUID:
    return path_uuid(request, "delivery_id", "delivery")


def _shown(endpoint: Endpoint, status: int = 200, with_secret: bool = False) -> Response:
    model = WebhookWithSecret if with_secret else WebhookOut
    return json_response(model.model_validate(endpoint_out(endpoint, with_secret)), status)


async def create_webhook(request: Request, actor: Actor) -> Response:
    body = await read_json(request, limits(request).max_body_bytes)
    created = await run_in_threadpool(webhooks(request).create, actor, body)
    response = _shown(created, 201, with_secret=True)
    response.headers["Location"] = f"/v1/webhooks/{created.id}"
    return response


async def list_webhooks(request: Request, actor: Actor) -> Response:
    found = webhooks(request).list(actor)
    return json_response(WebhookList.model_validate({"data": [endpoint_out(e) for e in found]}))


async def get_webhook(request: Request, actor: Actor) -> Response:
    return _shown(webhooks(request).get(actor, _endpoint_id(request)))


async def patch_webhook(request: Request, actor: Actor) -> Response:
    target = _endpoint_id(request)
    body = await read_json(request, limits(request).max_body_bytes, PATCH_MEDIA_TYPES)
    return _shown(await run_in_threadpool(webhooks(request).update, actor, target, body))


async def delete_webhook(request: Request, actor: Actor) -> Response:
    webhooks(request).delete(actor, _endpoint_id(request))
    return Response(status_code=204)


async def rotate_secret(request: Request, actor: Actor) -> Response:
    return _shown(webhooks(request).rotate_secret(actor, _endpoint_id(request)), with_secret=True)


async def send_test(request: Request, actor: Actor) -> Response:
    delivery = webhooks(request).send_test(actor, _endpoint_id(request))
    return json_response(DeliveryOut.model_validate(delivery_out(delivery)), 202)


def _state(request: Request) -> Literal["pending", "delivered", "failed"] | None:
    raw = request.query_params.get("state")
    if raw is None:
        return None
    if raw in ("pending", "delivered", "failed"):
        return raw  # type: ignore[return-value]
    error = FieldError("invalid_choice", "pending, delivered or failed", parameter="state")
    raise ValidationFailed(f"state: {error.detail}", errors=[error])


async def list_deliveries(request: Request, actor: Actor) -> Response:
    page = webhooks(request).deliveries(
        actor,
        _endpoint_id(request),
        request.query_params.get("cursor"),
        limit_parameter(request, DELIVERY_LIMIT),
        _state(request),
    )
    body = {
        "data": [delivery_out(delivery) for delivery in page.deliveries],
        "next_cursor": page.next_cursor,
        "has_more": page.next_cursor is not None,
    }
    return json_response(
        DeliveryList.model_validate(body), headers=next_link(request, page.next_cursor)
    )


async def get_delivery(request: Request, actor: Actor) -> Response:
    delivery, attempts = webhooks(request).delivery(
        actor, _endpoint_id(request), _delivery_id(request)
    )
    body = {**delivery_out(delivery), "attempts_made": attempts_out(attempts)}
    return json_response(DeliveryDetail.model_validate(body))


async def retry_delivery(request: Request, actor: Actor) -> Response:
    delivery = webhooks(request).retry(actor, _endpoint_id(request), _delivery_id(request))
    return json_response(DeliveryOut.model_validate(delivery_out(delivery)), 202)


async def replay(request: Request, actor: Actor) -> Response:
    target = _endpoint_id(request)
    wanted: ReplayRequest = validated(
        ReplayRequest, await read_json(request, limits(request).max_body_bytes)
    )
    queued = webhooks(request).replay(actor, target, wanted.since)
    return json_response(ReplayAnswer(queued=queued), 202)
