"""The outbox insert of the write path, and what each process knows about who needs it."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Connection, bindparam, exists, select

from counterparty.db.driver import Driver
from counterparty.db.values import Values
from counterparty.db.webhook_tables import webhook_endpoints

_ADD = "INSERT INTO webhook_outbox (tenant_id, sequence) VALUES (?, ?)"
_ARMED = select(
    exists().where(
        webhook_endpoints.c.tenant_id == bindparam("tenant_id"),
        webhook_endpoints.c.enabled.is_(True),
    )
)


class ArmedTenants:
    """Per process: whether a tenant has an enabled endpoint, as of one value of its
    credential epoch. Every change of a tenant's endpoints raises that epoch in the same
    transaction, so an answer kept for the epoch a transaction reads is that transaction's."""

    def __init__(self) -> None:
        self._known: dict[UUID, tuple[int, bool]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: UUID, epoch: int) -> bool | None:
        known = self._known.get(tenant_id)
        return known[1] if known is not None and known[0] == epoch else None

    def put(self, tenant_id: UUID, epoch: int, armed: bool) -> None:
        with self._lock:
            known = self._known.get(tenant_id)
            if known is None or known[0] <= epoch:
                self._known[tenant_id] = (epoch, armed)


class OutboxTable:
    def __init__(
        self, connection: Connection, driver: Driver, values: Values, armed: ArmedTenants
    ) -> None:
        self._connection = connection
        self._driver = driver
        self._values = values
        self._armed = armed
        self._add = values.sql(_ADD)

    def add(self, tenant_id: UUID, sequences: Sequence[int], epoch: int | None) -> None:
        """Queue the events `sequences` if the tenant has an enabled endpoint; `epoch` is
        the tenant's credential epoch as this transaction read it."""
        armed = None if epoch is None else self._armed.get(tenant_id, epoch)
        if armed is None:
            # Asked once per process and epoch (the query ran after the epoch was read, so
            # what it finds is at least as recent).
            armed = bool(self._connection.execute(_ARMED, {"tenant_id": tenant_id}).scalar())
            if epoch is not None:
                self._armed.put(tenant_id, epoch, armed)
        if not armed:
            return
        tenant = self._values.uuid(tenant_id)
        if len(sequences) == 1:
            self._driver.execute(self._add, (tenant, sequences[0]))
        else:
            self._driver.executemany(self._add, [(tenant, sequence) for sequence in sequences])
