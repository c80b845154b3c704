"""All SQL about contact events (history and change feed). Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select

from counterparty.db.tables import contact_events
from counterparty.domain.history import Change, ContactEvent


def _event(row: Mapping[Any, Any]) -> ContactEvent:
    occurred_at = row["occurred_at"]
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    snapshot = row["snapshot"]
    return ContactEvent(
        sequence=int(row["sequence"]),
        contact_id=row["contact_id"],
        contact_number=row["contact_number"],
        type=row["type"],
        version=row["version"],
        changes=tuple(Change(c["path"], c["old"], c["new"]) for c in row["changes"]),
        api_key_id=row["api_key_id"],
        entry_point=row["entry_point"],
        request_id=row["request_id"],
        occurred_at=occurred_at,
        snapshot=None if snapshot is None else snapshot.encode("utf-8"),
    )


_APPEND = insert(contact_events)


class EventTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(self, tenant_id: UUID, event: ContactEvent) -> None:
        self._connection.execute(
            _APPEND,
            {
                "tenant_id": tenant_id,
                "sequence": event.sequence,
                "contact_id": event.contact_id,
                "contact_number": event.contact_number,
                "type": event.type,
                "version": event.version,
                "changes": [vars(change) for change in event.changes],
                "api_key_id": event.api_key_id,
                "entry_point": event.entry_point,
                "request_id": event.request_id,
                "occurred_at": event.occurred_at,
                "snapshot": None if event.snapshot is None else event.snapshot.decode("utf-8"),
            },
        )

    def for_contact(
        self, tenant_id: UUID, contact_id: UUID, before: int | None, limit: int
    ) -> Sequence[ContactEvent]:
        """Newest first, at most `limit`, only those before sequence `before` if given."""
        statement = select(contact_events).where(
            contact_events.c.tenant_id == tenant_id, contact_events.c.contact_id == contact_id
        )
        if before is not None:
            statement = statement.where(contact_events.c.sequence < before)
        rows = self._connection.execute(
            statement.order_by(contact_events.c.sequence.desc()).limit(limit)
        ).mappings()
        return [_event(row) for row in rows]

    def at_version(self, tenant_id: UUID, contact_id: UUID, version: int) -> ContactEvent | None:
        row = (
            self._connection.execute(
                select(contact_events)
                .where(
                    contact_events.c.tenant_id == tenant_id,
                    contact_events.c.contact_id == contact_id,
                    contact_events.c.version == version,
                    contact_events.c.snapshot.is_not(None),
                )
                .order_by(contact_events.c.sequence.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _event(row)

    def changed_since(self, tenant_id: UUID, contact_id: UUID, version: int) -> list[str]:
        """The field paths changed after `version`, in the order they first changed."""
        rows = self._connection.execute(
            select(contact_events.c.changes)
            .where(
                contact_events.c.tenant_id == tenant_id,
                contact_events.c.contact_id == contact_id,
                contact_events.c.version > version,
            )
            .order_by(contact_events.c.sequence)
        ).scalars()
        return list(dict.fromkeys(change["path"] for changes in rows for change in changes))

    def feed(self, tenant_id: UUID, after: int, limit: int) -> Sequence[ContactEvent]:
        rows = self._connection.execute(
            select(contact_events)
            .where(contact_events.c.tenant_id == tenant_id, contact_events.c.sequence > after)
            .order_by(contact_events.c.sequence)
            .limit(limit)
        ).mappings()
        return [_event(row) for row in rows]
