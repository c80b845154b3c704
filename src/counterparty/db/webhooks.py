"""All SQL about webhook endpoints, and the unit of work of the webhook services. Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self
from uuid import UUID

from sqlalchemy import Connection, delete, exists, insert, select, update

from counterparty.db.deliveries import DeliveryTable
from counterparty.db.secret_box import SecretBox
from counterparty.db.tables import tenants
from counterparty.db.tenancy import _tenant, _utc
from counterparty.db.unit_of_work import ConnectionLender, SqlUnitOfWork
from counterparty.db.webhook_tables import webhook_endpoints, webhook_tenants
from counterparty.domain.tenancy import Tenant
from counterparty.domain.webhooks import Endpoint
from counterparty.services.webhook_ports import WebhookUnitOfWorkFactory

_TENANT_COLUMNS = [column for column in tenants.c if column.name != "search_marker"]
_RAISE_EPOCH = update(tenants).values(auth_epoch=tenants.c.auth_epoch + 1)


def _of(tenant_id: UUID, endpoint_id: UUID) -> Any:
    return (webhook_endpoints.c.tenant_id == tenant_id) & (webhook_endpoints.c.id == endpoint_id)


class EndpointTable:
    def __init__(self, connection: Connection, box: SecretBox) -> None:
        self._connection = connection
        self._box = box

    def _endpoint(self, row: Mapping[Any, Any]) -> Endpoint:
        owners = (row["tenant_id"], row["id"])
        previous = row["previous_secret"]
        return Endpoint(
            tenant_id=row["tenant_id"],
            id=row["id"],
            url=row["url"],
            description=row["description"],
            events=tuple(row["events"]),
            enabled=bool(row["enabled"]),
            secret=self._box.open(row["secret"], *owners),
            previous_secret=None if previous is None else self._box.open(previous, *owners),
            previous_secret_until=_utc(row["previous_secret_until"]),
            starts_after=int(row["starts_after"]),
            failing_since=_utc(row["failing_since"]),
            disabled_reason=row["disabled_reason"],
            created_at=_utc(row["created_at"]),  # type: ignore[arg-type]
            updated_at=_utc(row["updated_at"]),  # type: ignore[arg-type]
        )

    def _row(self, endpoint: Endpoint) -> dict[str, Any]:
        owners = (endpoint.tenant_id, endpoint.id)
        previous = endpoint.previous_secret
        return {
            **vars(endpoint),
            "events": list(endpoint.events),
            "secret": self._box.seal(endpoint.secret, *owners),
            "previous_secret": None if previous is None else self._box.seal(previous, *owners),
        }

    def add(self, endpoint: Endpoint) -> None:
        self._connection.execute(insert(webhook_endpoints), self._row(endpoint))

    def get(self, tenant_id: UUID, endpoint_id: UUID) -> Endpoint | None:
        row = (
            self._connection.execute(select(webhook_endpoints).where(_of(tenant_id, endpoint_id)))
            .mappings()
            .first()
        )
        return None if row is None else self._endpoint(row)

    def list_for_tenant(self, tenant_id: UUID) -> Sequence[Endpoint]:
        rows = self._connection.execute(
            select(webhook_endpoints)
            .where(webhook_endpoints.c.tenant_id == tenant_id)
            .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id)
        ).mappings()
        return [self._endpoint(row) for row in rows]

    def update(self, endpoint: Endpoint) -> None:
        row = self._row(endpoint)
        del row["tenant_id"], row["id"], row["created_at"]
        self._connection.execute(
            update(webhook_endpoints).where(_of(endpoint.tenant_id, endpoint.id)).values(**row)
        )

    def delete(self, tenant_id: UUID, endpoint_id: UUID) -> None:
        self._connection.execute(delete(webhook_endpoints).where(_of(tenant_id, endpoint_id)))

    def enrol(self, tenant_id: UUID) -> None:
        enrolled = select(exists().where(webhook_tenants.c.tenant_id == tenant_id))
        if not self._connection.execute(enrolled).scalar():
            self._connection.execute(insert(webhook_tenants), {"tenant_id": tenant_id})

    def enrolled(self) -> Sequence[Tenant]:
        rows = self._connection.execute(
            select(*_TENANT_COLUMNS)
            .join(webhook_tenants, webhook_tenants.c.tenant_id == tenants.c.id)
            .order_by(tenants.c.id)
        ).mappings()
        return [_tenant(row) for row in rows]

    def changed(self, tenant_id: UUID) -> None:
        self._connection.execute(_RAISE_EPOCH.where(tenants.c.id == tenant_id))


class SqlWebhookUnitOfWork(SqlUnitOfWork):
    """The contacts' unit of work plus the webhook repositories, on the same transaction."""

    endpoints: EndpointTable
    deliveries: DeliveryTable

    def __init__(
        self, lender: ConnectionLender, box: SecretBox, *, write: bool, wait: bool = True
    ) -> None:
        super().__init__(lender, write=write, wait=wait)
        self._box = box

    def __enter__(self) -> Self:
        super().__enter__()
        self.endpoints = EndpointTable(self._connection, self._box)
        self.deliveries = DeliveryTable(
            self._connection, lock=self._write and not self._lender.sqlite
        )
        return self


def webhook_units(lender: ConnectionLender, box: SecretBox) -> WebhookUnitOfWorkFactory:
    def factory(*, write: bool, wait: bool = True) -> SqlWebhookUnitOfWork:
        return SqlWebhookUnitOfWork(lender, box, write=write, wait=wait)

    return factory


__all__ = ["SqlWebhookUnitOfWork", "webhook_units"]
