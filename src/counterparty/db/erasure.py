"""All SQL of GDPR erasure and of the purge of deleted contacts' history. Never commits.

On SQLite an erasure runs with `secure_delete` (every freed byte of the file is overwritten
with zeros, on this connection only), merges the search index so that no segment keeps the
old text, and afterwards moves the write-ahead log into the file and truncates it: the old
bytes are then gone from the database file and its log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, bindparam, delete, exists, select, update

from counterparty.db.codec import pack
from counterparty.db.search import FTS_TABLE
from counterparty.db.tables import (
    contact_events,
    contact_secrets,
    contacts,
    idempotency_keys,
    quarantine,
)
from counterparty.db.webhook_tables import webhook_attempts, webhook_deliveries

_events = contact_events.c
_idempotency = idempotency_keys.c
_REWRITE = (
    update(contact_events)
    .where(_events.tenant_id == bindparam("t"), _events.sequence == bindparam("s"))
    .values(changes=bindparam("c"), snapshot=bindparam("p"))
)


class ErasureTable:
    def __init__(
        self, connection: Connection, *, sqlite: bool, later: Callable[[], None] | None = None
    ) -> None:
        """`later`: empties SQLite's log in the background, when it is busy now."""
        self._connection = connection
        self._sqlite = sqlite
        self._later = later

    # --- the erasure's own transaction ---------------------------------------------------

    def secure_delete(self, on: bool) -> bool:
        """SQLite: overwrite what this connection deletes, or not (a setting of the
        connection); the setting it had. PostgreSQL: nothing to set."""
        if not self._sqlite:
            return on
        run = self._connection.exec_driver_sql
        was = bool(run("PRAGMA secure_delete").scalar())
        run(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")
        return was

    def rewrite_events(
        self, tenant_id: UUID, events: Sequence[tuple[int, list[Any], bytes | None]]
    ) -> None:
        """Store events again: (sequence, entries, snapshot JSON or None)."""
        if events:
            self._connection.execute(
                _REWRITE,
                [
                    {
                        "t": tenant_id,
                        "s": sequence,
                        "c": entries,
                        "p": None if snapshot is None else pack(snapshot),
                    }
                    for sequence, entries, snapshot in events
                ],
            )

    def stored_responses(self, tenant_id: UUID, contact_id: UUID) -> list[tuple[Any, ...]]:
        """The idempotency records whose response names the contact: (api key id,
        idempotency key, status, body)."""
        rows = self._connection.execute(
            select(
                _idempotency.api_key_id,
                _idempotency.idempotency_key,
                _idempotency.status,
                _idempotency.body,
            ).where(
                _idempotency.tenant_id == tenant_id,
                _idempotency.body.contains(str(contact_id), autoescape=True),
            )
        )
        return [tuple(row) for row in rows]

    def _response(self, tenant_id: UUID, api_key_id: UUID, key: str) -> Any:
        return and_(
            _idempotency.tenant_id == tenant_id,
            _idempotency.api_key_id == api_key_id,
            _idempotency.idempotency_key == key,
        )

    def replace_response(self, tenant_id: UUID, api_key_id: UUID, key: str, body: str) -> None:
        self._connection.execute(
            update(idempotency_keys)
            .where(self._response(tenant_id, api_key_id, key))
            .values(body=body)
        )

    def forget_response(self, tenant_id: UUID, api_key_id: UUID, key: str) -> None:
        self._connection.execute(
            delete(idempotency_keys).where(self._response(tenant_id, api_key_id, key))
        )

    def forget_delivery_responses(self, tenant_id: UUID, contact_id: UUID) -> int:
        """Blank what receivers answered to the contact's webhooks (they may echo them)."""
        deliveries = webhook_deliveries.c
        of_contact = select(deliveries.id).where(
            deliveries.tenant_id == tenant_id, deliveries.contact_id == contact_id
        )
        result = self._connection.execute(
            update(webhook_attempts)
            .where(
                webhook_attempts.c.tenant_id == tenant_id,
                webhook_attempts.c.delivery_id.in_(of_contact),
                webhook_attempts.c.response.is_not(None),
            )
            .values(response=None)
        )
        return int(result.rowcount)

    def forget_kept_values(self, tenant_id: UUID, contact_id: UUID) -> int:
        """Drop the contact's quarantined values and stored secrets."""
        forgotten = 0
        for table in (quarantine, contact_secrets):
            result = self._connection.execute(
                delete(table).where(
                    table.c.tenant_id == tenant_id, table.c.contact_id == contact_id
                )
            )
            forgotten += int(result.rowcount)
        return forgotten

    def compact_search_index(self) -> None:
        """SQLite: merge the search index's segments, leaving out deleted texts (an FTS5
        delete only marks them until segments merge)."""
        if self._sqlite:
            self._connection.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"
            )

    # --- after the commit ----------------------------------------------------------------

    def truncate_log(self) -> None:
        """SQLite: copy the write-ahead log into the file and empty it (outside a write);
        when a reader or another checkpoint holds it, in the background as soon as it can."""
        if not self._sqlite:
            return
        busy = self._connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
        if busy and self._later is not None:
            self._later()

    # --- retention of deleted contacts' history ------------------------------------------

    def purge_deleted(self, tenant_id: UUID, deleted_before: datetime) -> int:
        """Delete the history of the tenant's contacts deleted before `deleted_before` (and
        not created again since), unless a webhook of theirs still waits; the number of
        contacts purged."""
        last = contact_events.alias("last")
        later = contact_events.alias("later")
        deliveries = webhook_deliveries.c
        expired = select(last.c.contact_id).where(
            last.c.tenant_id == tenant_id,
            last.c.type == "deleted",
            last.c.occurred_at < deleted_before,
            ~exists().where(
                later.c.tenant_id == tenant_id,
                later.c.contact_id == last.c.contact_id,
                later.c.sequence > last.c.sequence,
            ),
            ~exists().where(contacts.c.tenant_id == tenant_id, contacts.c.id == last.c.contact_id),
            ~exists().where(
                deliveries.tenant_id == tenant_id,
                deliveries.contact_id == last.c.contact_id,
                deliveries.state == "pending",
            ),
        )
        ids = list(self._connection.execute(expired).scalars())
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            for table in (contact_events, quarantine):
                self._connection.execute(
                    delete(table).where(
                        table.c.tenant_id == tenant_id, table.c.contact_id.in_(batch)
                    )
                )
        return len(ids)
