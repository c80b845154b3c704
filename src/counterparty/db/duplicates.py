"""All SQL of duplicate detection: which contacts share a matching key (db/contacts.py writes
the keys with every contact, domain/duplicates.py says which)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from uuid import UUID

from sqlalchemy import Connection, and_, false, select

from counterparty.db.driver import Driver
from counterparty.db.tables import contact_keys, contacts
from counterparty.db.values import Values
from counterparty.services.ports import KeyGroup

_HOLDERS = (
    "SELECT contact_id FROM contact_keys WHERE tenant_id = ? AND field = ? AND value = ? LIMIT ?"
)
_SCAN_ROWS = 5000


class DuplicateQueries:
    def __init__(self, connection: Connection, driver: Driver, values: Values) -> None:
        self._connection = connection
        self._driver = driver
        self._values = values
        self._holders = values.sql(_HOLDERS)

    def holders(
        self, tenant_id: UUID, keys: Sequence[tuple[str, str]], limit: int
    ) -> dict[UUID, set[str]]:
        """The contacts holding each key (at most `limit` per key), with the fields shared."""
        tenant, read_uuid = self._values.uuid(tenant_id), self._values.read_uuid
        found: dict[UUID, set[str]] = {}
        for field, value in keys:
            rows = self._driver.execute(self._holders, (tenant, field, value, limit)).fetchall()
            for (contact_id,) in rows:
                found.setdefault(read_uuid(contact_id), set()).add(field)
        return found

    def key_groups(self, tenant_id: UUID) -> Iterator[KeyGroup]:
        """Every key two or more active contacts share, with each holder's folded name,
        streamed in key order (the primary key's)."""
        statement = (
            select(contact_keys.c.field, contact_keys.c.value, contacts.c.id, contacts.c.name_key)
            .join(
                contacts,
                and_(
                    contacts.c.tenant_id == contact_keys.c.tenant_id,
                    contacts.c.id == contact_keys.c.contact_id,
                ),
            )
            .where(contact_keys.c.tenant_id == tenant_id, contacts.c.archived == false())
            .order_by(contact_keys.c.field, contact_keys.c.value)
        )
        rows = self._connection.execute(statement, execution_options={"yield_per": _SCAN_ROWS})
        current: tuple[str, str] | None = None
        members: list[tuple[UUID, str]] = []
        for field, value, contact_id, folded_name in rows:
            if (field, value) != current:
                if len(members) > 1 and current is not None:
                    yield KeyGroup(current[0], current[1], members)
                current, members = (field, value), []
            members.append((contact_id, folded_name))
        if len(members) > 1 and current is not None:
            yield KeyGroup(current[0], current[1], members)
