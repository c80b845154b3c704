"""All SQL of duplicate detection: which contacts share a matching key (db/contacts.py writes
the keys with every contact, domain/duplicates.py says which)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from counterparty.db.driver import Driver
from counterparty.db.values import Values
from counterparty.services.ports import Holder, KeyGroup

_HOLDERS = (
    "SELECT contact_id FROM contact_keys WHERE tenant_id = ? AND field = ? AND value = ? LIMIT ?"
)
# The scan reads the keys of active contacts in primary key order, a page at a time (each
# page its own statement: reads run outside a transaction, where PostgreSQL has no
# server-side cursors), with each holder's folded name and country.
SCAN_PAGE = 5000
_SCAN = (
    "SELECT k.field, k.value, k.contact_id, c.name_key, c.country_code FROM contact_keys k "
    "JOIN contacts c ON c.tenant_id = k.tenant_id AND c.id = k.contact_id "
    "WHERE k.tenant_id = ? AND NOT c.archived{after} "
    "ORDER BY k.field, k.value, k.contact_id LIMIT ?"
)
# Without the tenant in the row value: SQLite seeks the primary key to a row value that
# follows the equal columns, but with the tenant in it each page read the tenant's keys from
# the first (a million contacts' 8 million keys in 1,600 pages: hours).
_AFTER = " AND (k.field, k.value, k.contact_id) > (?, ?, ?)"
# What every write of a tenant's contacts changes: a create or an unmerge adds a row (with
# the latest change), an update raises a version (and the latest change), a delete takes a
# row away.
_STATE = (
    "SELECT COUNT(*), COALESCE(SUM(version), 0), COALESCE(MAX(number), 0), MAX(updated_at) "
    "FROM contacts WHERE tenant_id = ?"
)
# The keys but names' more than so many contacts hold: counted first over every holder from
# the primary key alone (a tenth of the time of a join with contacts for every key), then over
# the active holders of the few keys found.
_HELD_BY_MANY = (
    "SELECT field, value FROM contact_keys WHERE tenant_id = ? AND field <> 'name' "
    "GROUP BY field, value HAVING COUNT(*) > ?"
)
_ACTIVE_HOLDERS = (
    "SELECT COUNT(*) FROM contact_keys k "
    "JOIN contacts c ON c.tenant_id = k.tenant_id AND c.id = k.contact_id "
    "WHERE k.tenant_id = ? AND k.field = ? AND k.value = ? AND NOT c.archived"
)


class DuplicateQueries:
    def __init__(self, driver: Driver, values: Values) -> None:
        self._driver = driver
        self._values = values
        self._holders = values.sql(_HOLDERS)
        self._first_page = values.sql(_SCAN.format(after=""))
        self._next_page = values.sql(_SCAN.format(after=_AFTER))
        self._held_by_many = values.sql(_HELD_BY_MANY)
        self._active_holders = values.sql(_ACTIVE_HOLDERS)
        self._state = values.sql(_STATE)

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

    def _key_rows(self, tenant_id: UUID) -> Iterator[tuple[str, str, Any, str, str | None]]:
        tenant, page = self._values.uuid(tenant_id), SCAN_PAGE
        rows = self._driver.execute(self._first_page, (tenant, page)).fetchall()
        while rows:
            yield from rows
            if len(rows) < page:
                return
            field, value, contact_id, _, _ = rows[-1]
            after = (tenant, field, value, contact_id, page)
            rows = self._driver.execute(self._next_page, after).fetchall()

    def key_groups(self, tenant_id: UUID) -> Iterator[KeyGroup]:
        """Every key two or more active contacts share, with each holder's folded name and
        country, in key order."""
        read_uuid = self._values.read_uuid
        current: tuple[str, str] | None = None
        members: list[Holder] = []
        for field, value, contact_id, folded_name, country in self._key_rows(tenant_id):
            if (field, value) != current:
                if len(members) > 1 and current is not None:
                    yield KeyGroup(current[0], current[1], members)
                current, members = (field, value), []
            members.append(Holder(read_uuid(contact_id), folded_name, country))
        if len(members) > 1 and current is not None:
            yield KeyGroup(current[0], current[1], members)

    def crowded_keys(self, tenant_id: UUID, more_than: int) -> set[tuple[str, str]]:
        """The keys but names' that more than `more_than` active contacts share."""
        tenant = self._values.uuid(tenant_id)
        rows = self._driver.execute(self._held_by_many, (tenant, more_than)).fetchall()
        crowded = set()
        for field, value in rows:
            counted = self._driver.execute(self._active_holders, (tenant, field, value))
            if counted.fetchone()[0] > more_than:
                crowded.add((field, value))
        return crowded

    def contacts_state(self, tenant_id: UUID) -> tuple[int, int, int, str]:
        """A value that any write of the tenant's contacts changes."""
        row = self._driver.execute(self._state, (self._values.uuid(tenant_id),)).fetchone()
        count, versions, highest, latest = row
        return (int(count), int(versions), int(highest), str(latest))
