"""All SQL about contact events (history and change feed). Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from counterparty.db.codec import pack, unpack
from counterparty.db.driver import Driver
from counterparty.db.tables import contact_events
from counterparty.db.values import Values
from counterparty.domain.history import ContactEvent

_COLUMNS = (
    "tenant_id, sequence, contact_id, contact_number, type, version, changes, api_key_id, "
    "entry_point, request_id, occurred_at, snapshot"
)
_APPEND = f"INSERT INTO contact_events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _event(row: Mapping[Any, Any]) -> ContactEvent:
    occurred_at = row["occurred_at"]
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    snapshot = row["snapshot"]
    return ContactEvent(
        sequence=int(row["sequence"]),
        contact_id=row["contact_id"],
        contact_number=int(row["contact_number"]),
        type=row["type"],
        version=row["version"],
        entries=tuple(row["changes"]),
        api_key_id=row["api_key_id"],
        entry_point=row["entry_point"],
        request_id=row["request_id"],
        occurred_at=occurred_at,
        snapshot=None if snapshot is None else unpack(snapshot),
    )


def _source(life: Sequence[ContactEvent], version: int) -> Sequence[ContactEvent]:
    """Of one life's events, those that rebuild `version`: from the last snapshot at or
    before it up to it."""
    upto = [event for event in life if event.version <= version]
    snapshots = [event.version for event in upto if event.snapshot is not None]
    if not snapshots:
        return []
    start = max(snapshots)
    return [event for event in upto if event.version >= start]


class EventTable:
    def __init__(self, connection: Connection, driver: Driver, values: Values) -> None:
        self._connection = connection
        self._driver = driver
        self._values = values
        self._append = values.sql(_APPEND)

    def _row(self, tenant_id: UUID, event: ContactEvent) -> tuple[Any, ...]:
        values = self._values
        return (
            values.uuid(tenant_id),
            event.sequence,
            values.uuid(event.contact_id),
            event.contact_number,
            event.type,
            event.version,
            values.json(list(event.entries)),
            values.uuid(event.api_key_id),
            event.entry_point,
            event.request_id,
            values.moment(event.occurred_at),
            None if event.snapshot is None else pack(event.snapshot),
        )

    def append(self, tenant_id: UUID, event: ContactEvent) -> None:
        self._driver.execute(self._append, self._row(tenant_id, event))

    def append_many(self, tenant_id: UUID, events: Sequence[ContactEvent]) -> None:
        if events:
            self._driver.executemany(
                self._append, [self._row(tenant_id, event) for event in events]
            )

    def _of(self, tenant_id: UUID, contact_id: UUID) -> list[Any]:
        return [contact_events.c.tenant_id == tenant_id, contact_events.c.contact_id == contact_id]

    def for_contact(
        self, tenant_id: UUID, contact_id: UUID, before: int | None, limit: int
    ) -> Sequence[ContactEvent]:
        """Newest first, at most `limit`, only those before sequence `before` if given."""
        statement = select(contact_events).where(*self._of(tenant_id, contact_id))
        if before is not None:
            statement = statement.where(contact_events.c.sequence < before)
        rows = self._connection.execute(
            statement.order_by(contact_events.c.sequence.desc()).limit(limit)
        ).mappings()
        return [_event(row) for row in rows]

    def replay_source(
        self, tenant_id: UUID, contact_id: UUID, version: int
    ) -> Sequence[ContactEvent]:
        """The events that rebuild `version` of the contact's latest life: the last snapshot
        at or before it, then every event up to it, oldest first (empty when it has none)."""
        events = contact_events.c
        born = (
            select(func.max(events.sequence))
            .where(*self._of(tenant_id, contact_id), events.type == "created")
            .scalar_subquery()
        )
        life = [*self._of(tenant_id, contact_id), events.sequence >= born]
        start = (
            select(func.max(events.version))
            .where(*life, events.version <= version, events.snapshot.is_not(None))
            .scalar_subquery()
        )
        rows = self._connection.execute(
            select(contact_events)
            .where(*life, events.version >= start, events.version <= version)
            .order_by(events.sequence)
        ).mappings()
        return [_event(row) for row in rows]

    def replay_sources(
        self, tenant_id: UUID, wanted: Sequence[tuple[UUID, int]]
    ) -> dict[tuple[UUID, int], Sequence[ContactEvent]]:
        """`replay_source` of each (contact, version), from one read of those contacts'
        events (by 500 contacts)."""
        events = contact_events.c
        lives: dict[UUID, list[ContactEvent]] = {}
        contact_ids = sorted({contact_id for contact_id, _ in wanted})
        for start in range(0, len(contact_ids), 500):
            rows = self._connection.execute(
                select(contact_events)
                .where(
                    events.tenant_id == tenant_id,
                    events.contact_id.in_(contact_ids[start : start + 500]),
                )
                # By contact first, so that SQLite reads the contact index: without
                # statistics it otherwise walks the tenant's whole history by primary key.
                .order_by(events.contact_id, events.sequence)
            ).mappings()
            for row in rows:
                event = _event(row)
                if event.type == "created":  # a new life; an earlier one is never replayed
                    lives[event.contact_id] = [event]
                elif event.contact_id in lives:
                    lives[event.contact_id].append(event)
        return {
            (contact_id, version): _source(lives.get(contact_id, []), version)
            for contact_id, version in wanted
        }

    def since(self, tenant_id: UUID, contact_id: UUID, version: int) -> Sequence[ContactEvent]:
        """The contact's events after `version`, oldest first."""
        rows = self._connection.execute(
            select(contact_events)
            .where(*self._of(tenant_id, contact_id), contact_events.c.version > version)
            .order_by(contact_events.c.sequence)
        ).mappings()
        return [_event(row) for row in rows]

    def feed(self, tenant_id: UUID, after: int, limit: int) -> Sequence[ContactEvent]:
        rows = self._connection.execute(
            select(contact_events)
            .where(contact_events.c.tenant_id == tenant_id, contact_events.c.sequence > after)
            .order_by(contact_events.c.sequence)
            .limit(limit)
        ).mappings()
        return [_event(row) for row in rows]
