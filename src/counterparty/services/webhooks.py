"""Webhook endpoints of a tenant, their delivery log, retries and replays.

Changing which endpoints are enabled raises the tenant's credential epoch in the same
transaction, so that every process's write path learns it at its next request
(services/outbox.py). An endpoint receives the events after the tenant's last event when it
was created or enabled; a replay sends older ones on request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from counterparty.domain.addresses import UnsafeUrl, checked, literal_address, target
from counterparty.domain.history import ContactEvent
from counterparty.domain.ids import new_id
from counterparty.domain.validation import validated
from counterparty.domain.webhooks import (
    MAX_ENDPOINTS,
    TEST_EVENT,
    Attempt,
    Delivery,
    DeliveryState,
    Endpoint,
    EndpointChanges,
    EndpointInput,
    event_type,
    new_secret,
)
from counterparty.errors import Conflict, FieldError, InvalidCursor, NotFound, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.history import feed_position
from counterparty.services.tokens import seal, unseal
from counterparty.services.webhook_ports import (
    DeliveryPolicy,
    Resolver,
    WebhookTransactions,
    WebhookUnitOfWork,
)
from counterparty.services.writes import EVENT_COUNTER

ROTATION_OVERLAP = timedelta(hours=24)
DELIVERY_LIMIT = (50, 200)  # default, maximum
REPLAY_PAGE = 1000


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeliveryPage:
    deliveries: Sequence[Delivery]
    next_cursor: str | None


def new_delivery(
    endpoint: Endpoint,
    moment: datetime,
    policy: DeliveryPolicy,
    *,
    kind: str,
    sequence: int | None = None,
    contact_id: UUID | None = None,
) -> Delivery:
    return Delivery(
        tenant_id=endpoint.tenant_id,
        id=new_id(),
        endpoint_id=endpoint.id,
        sequence=sequence,
        contact_id=contact_id,
        event_type=kind,
        state="pending",
        attempts=0,
        retries_left=len(policy.retry_schedule),
        next_attempt_at=moment,
        last_status=None,
        last_error=None,
        last_duration_ms=None,
        created_at=moment,
        finished_at=None,
    )


def event_delivery(
    endpoint: Endpoint, event: ContactEvent, moment: datetime, policy: DeliveryPolicy
) -> Delivery:
    return new_delivery(
        endpoint,
        moment,
        policy,
        kind=event_type(event),
        sequence=event.sequence,
        contact_id=event.contact_id,
    )


def _unsafe(error: UnsafeUrl) -> ValidationFailed:
    detail = f"the URL {error}"
    return ValidationFailed(
        f"/url: {detail}", errors=[FieldError("unsafe_url", detail, pointer="/url")]
    )


class WebhookService:
    def __init__(
        self, transactions: WebhookTransactions, policy: DeliveryPolicy, resolver: Resolver
    ) -> None:
        self._tx = transactions
        self._policy = policy
        self._resolve = resolver

    @property
    def policy(self) -> DeliveryPolicy:
        return self._policy

    # --- endpoints -----------------------------------------------------------------------

    def check_url(self, url: str) -> None:
        """Refuse (422) a URL webhooks may not go to: see domain/addresses.py."""
        allow = self._policy.allow_private
        try:
            where = target(url, allow)
            if allow:  # any address will do: nothing to resolve
                return
            literal = literal_address(where.host)
            if literal is not None:
                checked([literal], allow)
                return
            try:
                addresses = self._resolve(where.host, where.port)
            except OSError:
                raise UnsafeUrl(f"names a host that does not resolve ({where.host})") from None
            checked(addresses, allow)
        except UnsafeUrl as error:
            raise _unsafe(error) from None

    def create(self, actor: Actor, document: Any) -> Endpoint:
        """A new endpoint; its `secret` is shown to the client only now (and on rotation)."""
        wanted: EndpointInput = validated(EndpointInput, document)
        self.check_url(wanted.url)
        moment = now()

        def work(uow: WebhookUnitOfWork) -> Endpoint:
            tenant_id = actor.tenant_id
            # The event counter's row lock orders this with the tenant's writes (and with
            # other endpoint creations, so that the limit holds).
            last = uow.tenants.reserve(tenant_id, EVENT_COUNTER, 0)
            if len(uow.endpoints.list_for_tenant(tenant_id)) >= MAX_ENDPOINTS:
                raise Conflict(f"a tenant has at most {MAX_ENDPOINTS} webhook endpoints")
            uow.endpoints.enrol(tenant_id)
            endpoint = Endpoint(
                tenant_id=tenant_id,
                id=new_id(),
                url=wanted.url,
                description=wanted.description,
                events=tuple(wanted.events),
                enabled=wanted.enabled,
                secret=new_secret(),
                previous_secret=None,
                previous_secret_until=None,
                starts_after=last,
                failing_since=None,
                disabled_reason=None,
                created_at=moment,
                updated_at=moment,
            )
            uow.endpoints.add(endpoint)
            uow.endpoints.changed(tenant_id)
            return endpoint

        return self._tx.write(work, actor)

    def list(self, actor: Actor) -> Sequence[Endpoint]:
        return self._tx.read(lambda uow: uow.endpoints.list_for_tenant(actor.tenant_id), actor)

    def get(self, actor: Actor, endpoint_id: UUID) -> Endpoint:
        return self._tx.read(lambda uow: _endpoint(uow, actor, endpoint_id), actor)

    def update(self, actor: Actor, endpoint_id: UUID, patch: Any) -> Endpoint:
        changes: EndpointChanges = validated(EndpointChanges, patch)
        given = changes.model_fields_set
        missing = [
            name
            for name in ("url", "events", "enabled")
            if name in given and getattr(changes, name) is None
        ]
        if missing:
            errors = [FieldError("required", "cannot be cleared", pointer=f"/{n}") for n in missing]
            raise ValidationFailed(f"/{missing[0]}: cannot be cleared", errors=errors)
        if changes.url is not None:
            self.check_url(changes.url)

        def work(uow: WebhookUnitOfWork) -> Endpoint:
            current = _endpoint(uow, actor, endpoint_id)
            updated = replace(
                current,
                url=changes.url or current.url,
                events=tuple(changes.events) if changes.events else current.events,
                description=changes.description if "description" in given else current.description,
                updated_at=now(),
            )
            if changes.enabled is not None and changes.enabled != current.enabled:
                updated = self._switched(uow, updated, changes.enabled, None)
            uow.endpoints.update(updated)
            return updated

        return self._tx.write(work, actor)

    @staticmethod
    def _switched(
        uow: WebhookUnitOfWork, endpoint: Endpoint, enabled: bool, reason: str | None
    ) -> Endpoint:
        """The endpoint enabled (it receives the events after this moment) or disabled."""
        starts_after = endpoint.starts_after
        if enabled:
            starts_after = uow.tenants.reserve(endpoint.tenant_id, EVENT_COUNTER, 0)
        uow.endpoints.changed(endpoint.tenant_id)
        return replace(
            endpoint,
            enabled=enabled,
            starts_after=starts_after,
            failing_since=None,
            disabled_reason=reason,
        )

    def delete(self, actor: Actor, endpoint_id: UUID) -> None:
        def work(uow: WebhookUnitOfWork) -> None:
            _endpoint(uow, actor, endpoint_id)
            uow.endpoints.delete(actor.tenant_id, endpoint_id)
            uow.endpoints.changed(actor.tenant_id)

        self._tx.write(work, actor)

    def rotate_secret(self, actor: Actor, endpoint_id: UUID) -> Endpoint:
        """A new secret; the old one keeps signing too for 24 hours (both signatures are
        sent), so receivers can switch without losing an event."""

        def work(uow: WebhookUnitOfWork) -> Endpoint:
            current = _endpoint(uow, actor, endpoint_id)
            moment = now()
            rotated = replace(
                current,
                secret=new_secret(),
                previous_secret=current.secret,
                previous_secret_until=moment + ROTATION_OVERLAP,
                updated_at=moment,
            )
            uow.endpoints.update(rotated)
            return rotated

        return self._tx.write(work, actor)

    # --- deliveries ----------------------------------------------------------------------

    def send_test(self, actor: Actor, endpoint_id: UUID) -> Delivery:
        """Queue a `webhook.test` event for the endpoint."""

        def work(uow: WebhookUnitOfWork) -> Delivery:
            endpoint = _endpoint(uow, actor, endpoint_id)
            delivery = new_delivery(endpoint, now(), self._policy, kind=TEST_EVENT)
            uow.deliveries.add_many([delivery])
            return delivery

        return self._tx.write(work, actor)

    def deliveries(
        self,
        actor: Actor,
        endpoint_id: UUID,
        cursor: str | None,
        limit: int,
        state: DeliveryState | None = None,
    ) -> DeliveryPage:
        secret = actor.tenant.cursor_secret
        list_name = ["deliveries", str(endpoint_id), state]
        before = None
        if cursor:
            payload = unseal(secret, cursor)
            if payload[:3] != list_name or len(payload) != 4:
                raise InvalidCursor("the cursor belongs to another list")
            before = UUID(payload[3])

        def work(uow: WebhookUnitOfWork) -> Sequence[Delivery]:
            _endpoint(uow, actor, endpoint_id)
            return uow.deliveries.page(actor.tenant_id, endpoint_id, before, limit + 1, state)

        found = self._tx.read(work, actor)
        page = list(found[:limit])
        more = len(found) > limit
        return DeliveryPage(page, seal(secret, [*list_name, str(page[-1].id)]) if more else None)

    def delivery(
        self, actor: Actor, endpoint_id: UUID, delivery_id: UUID
    ) -> tuple[Delivery, Sequence[Attempt]]:
        def work(uow: WebhookUnitOfWork) -> tuple[Delivery, Sequence[Attempt]]:
            found = _delivery(uow, actor, endpoint_id, delivery_id)
            return found, uow.deliveries.attempts(actor.tenant_id, delivery_id)

        return self._tx.read(work, actor)

    def retry(self, actor: Actor, endpoint_id: UUID, delivery_id: UUID) -> Delivery:
        """One more attempt now for a delivered or failed delivery."""

        def work(uow: WebhookUnitOfWork) -> Delivery:
            found = _delivery(uow, actor, endpoint_id, delivery_id)
            if found.state == "pending":
                raise Conflict("the delivery is still pending; it is attempted on schedule")
            moment = now()
            uow.deliveries.requeue(actor.tenant_id, delivery_id, moment)
            return replace(
                found, state="pending", retries_left=0, next_attempt_at=moment, finished_at=None
            )

        return self._tx.write(work, actor)

    def replay(self, actor: Actor, endpoint_id: UUID, since: str | None) -> int:
        """Queue again every event after the feed position `since` that the endpoint
        subscribes to; the number queued."""
        if not since:
            detail = "the cursor of /v1/events after which to send the events again"
            raise ValidationFailed(
                f"/since: {detail}", errors=[FieldError("required", detail, pointer="/since")]
            )
        position = feed_position(actor, since)

        def work(uow: WebhookUnitOfWork) -> int:
            endpoint = _endpoint(uow, actor, endpoint_id)
            after, queued = position, 0
            while True:
                events = uow.deliveries.events_after(actor.tenant_id, after, REPLAY_PAGE)
                moment = now()
                wanted = [
                    event_delivery(endpoint, event, moment, self._policy)
                    for event in events
                    if endpoint.subscribes(event_type(event))
                ]
                uow.deliveries.add_many(wanted)
                queued += len(wanted)
                if len(events) < REPLAY_PAGE:
                    return queued
                after = events[-1].sequence

        return self._tx.write(work, actor)


def _endpoint(uow: WebhookUnitOfWork, actor: Actor, endpoint_id: UUID) -> Endpoint:
    found = uow.endpoints.get(actor.tenant_id, endpoint_id)
    if found is None:
        raise NotFound(f"no webhook endpoint with id {endpoint_id}")
    return found


def _delivery(
    uow: WebhookUnitOfWork, actor: Actor, endpoint_id: UUID, delivery_id: UUID
) -> Delivery:
    found = uow.deliveries.get(actor.tenant_id, delivery_id)
    if found is None or found.endpoint_id != endpoint_id:
        raise NotFound(f"no delivery with id {delivery_id} at this endpoint")
    return found
