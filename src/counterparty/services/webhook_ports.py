"""What the webhook services need from storage and from the network, and their settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar, cast
from uuid import UUID

from counterparty.domain.addresses import IPAddress
from counterparty.domain.history import ContactEvent
from counterparty.domain.tenancy import Tenant
from counterparty.domain.webhooks import Attempt, Delivery, DeliveryState, Endpoint
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions

T = TypeVar("T")

DEFAULT_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How deliveries are made: the settings of every deliverer and of endpoint checks."""

    retry_schedule: tuple[float, ...] = DEFAULT_SCHEDULE  # seconds before each retry
    timeout_seconds: float = 15.0
    concurrency: int = 8
    lease_seconds: float = 120.0
    disable_after: timedelta = timedelta(days=5)
    allow_private: bool = False
    poll_seconds: float = 1.0


class EndpointRepository(Protocol):
    def add(self, endpoint: Endpoint) -> None: ...
    def get(self, tenant_id: UUID, endpoint_id: UUID) -> Endpoint | None: ...
    def list_for_tenant(self, tenant_id: UUID) -> Sequence[Endpoint]: ...
    def update(self, endpoint: Endpoint) -> None: ...
    def delete(self, tenant_id: UUID, endpoint_id: UUID) -> None: ...
    def enrol(self, tenant_id: UUID) -> None:
        """Put the tenant in the directory deliverers walk (idempotent)."""
        ...

    def enrolled(self) -> Sequence[Tenant]:
        """The tenants in that directory."""
        ...

    def changed(self, tenant_id: UUID) -> None:
        """Raise the tenant's credential epoch: every process learns at its next request
        that the tenant's endpoints changed (services/outbox.py)."""
        ...


class DeliveryRepository(Protocol):
    def add_many(self, deliveries: Sequence[Delivery]) -> None: ...
    def get(self, tenant_id: UUID, delivery_id: UUID) -> Delivery | None: ...
    def page(
        self,
        tenant_id: UUID,
        endpoint_id: UUID,
        before: UUID | None,
        limit: int,
        state: DeliveryState | None,
    ) -> Sequence[Delivery]:
        """Newest first."""
        ...

    def attempts(self, tenant_id: UUID, delivery_id: UUID) -> Sequence[Attempt]: ...
    def requeue(self, tenant_id: UUID, delivery_id: UUID, at: datetime) -> None:
        """Pending again for one attempt at `at`."""
        ...

    def outbox(self, tenant_id: UUID, limit: int) -> Sequence[int]:
        """Sequences of queued events, oldest first (skipping rows another deliverer holds)."""
        ...

    def take_outbox(self, tenant_id: UUID, sequences: Sequence[int]) -> None: ...
    def events(self, tenant_id: UUID, sequences: Sequence[int]) -> Sequence[ContactEvent]: ...
    def events_after(self, tenant_id: UUID, after: int, limit: int) -> Sequence[ContactEvent]:
        """The tenant's events after a feed position, without their snapshots."""
        ...

    def claimable(self, tenant_id: UUID, now: datetime, limit: int) -> Sequence[UUID]:
        """Pending deliveries of enabled endpoints that are due, unclaimed, and the first
        pending one of their contact at their endpoint."""
        ...

    def claim(
        self, tenant_id: UUID, ids: Sequence[UUID], now: datetime, until: datetime, token: UUID
    ) -> Sequence[Delivery]:
        """Lease those of `ids` still claimable to `token` until `until`; the ones leased."""
        ...

    def finish(
        self, tenant_id: UUID, token: UUID, outcomes: Sequence[tuple[Delivery, Attempt]]
    ) -> None:
        """Store each delivery's new state (as given) and its attempt, where `token` still
        holds the lease."""
        ...


class WebhookUnitOfWork(UnitOfWork, Protocol):
    @property
    def endpoints(self) -> EndpointRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...


class WebhookUnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool, wait: bool = True) -> WebhookUnitOfWork: ...


class WebhookTransactions:
    """`Transactions` over units of work that also hold the webhook repositories."""

    def __init__(self, factory: WebhookUnitOfWorkFactory) -> None:
        self._tx = Transactions(factory)

    def write(self, work: Callable[[WebhookUnitOfWork], T], actor: Actor | None = None) -> T:
        # The factory makes nothing but WebhookUnitOfWork, so the cast only restores its type.
        return self._tx.write(lambda uow: work(cast(WebhookUnitOfWork, uow)), actor)

    def read(self, work: Callable[[WebhookUnitOfWork], T], actor: Actor | None = None) -> T:
        return self._tx.read(lambda uow: work(cast(WebhookUnitOfWork, uow)), actor)


Resolver = Callable[[str, int], list[IPAddress]]


@dataclass(frozen=True)
class Response:
    status: int | None  # None: no answer (the error says why)
    body: bytes  # the first 4 KB
    error: str | None
    duration_ms: int


class Sender(Protocol):
    """Sends from the deliverer's event loop, several sends at once."""

    async def send(
        self, endpoint: Endpoint, headers: dict[str, str], body: bytes, timeout: float
    ) -> Response: ...
    async def close(self) -> None: ...
