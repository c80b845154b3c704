"""All SQL about contacts: stored documents in, stored documents out. Never commits.

A contact is stored as its JSON document (compressed) plus the few columns lists filter and
sort by. The statements every request runs are executed on the driver connection (see
db/values.py); the rare ones go through SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, delete, insert, select

from counterparty.db.codec import pack, unpack
from counterparty.db.driver import Driver
from counterparty.db.listing import ListingQueries
from counterparty.db.search import name_bucket
from counterparty.db.tables import contact_keys, contact_secrets, contact_tags, contacts
from counterparty.db.values import Values, placeholders
from counterparty.domain.contact import MAX_NUMBER, Contact
from counterparty.domain.documents import StoredContact
from counterparty.domain.duplicates import key_sources, matching_keys
from counterparty.domain.text import fold
from counterparty.services.listing import ContactQuery, Listed
from counterparty.services.ports import EpochProbe

SEARCHED = (
    "name",
    "first_name",
    "last_name",
    "email",
    "tax_id",
    "vat_number",
    "registration_number",
    "external_ref",
)
KEY_FIELDS = ("vat_number", "tax_id", "registration_number")
_STATUS_ORDER = ("invalid", "pending", "unverified", "valid")
_BY_ID = "SELECT version, document FROM contacts WHERE tenant_id = ? AND id = ?"
# The same, with the tenant's credential epoch read along (one statement instead of two).
_BY_ID_WITH_EPOCH = (
    "SELECT version, document, (SELECT auth_epoch FROM tenants WHERE id = ?) "
    "FROM contacts WHERE tenant_id = ? AND id = ?"
)
# On PostgreSQL a write locks the row it read: concurrent writes of one contact then wait for
# each other instead of failing the compare-and-set (SQLite's writers are serial anyway).
_LOCKED = " FOR UPDATE"
_BY_NUMBER = "SELECT version, document FROM contacts WHERE tenant_id = ? AND number = ?"
_INSERT_TAG = "INSERT INTO contact_tags (tenant_id, contact_id, tag) VALUES (?, ?, ?)"
_DELETE_TAGS = "DELETE FROM contact_tags WHERE tenant_id = ? AND contact_id = ?"
_INSERT_KEY = "INSERT INTO contact_keys (tenant_id, field, value, contact_id) VALUES (?, ?, ?, ?)"
_DELETE_KEYS = "DELETE FROM contact_keys WHERE tenant_id = ? AND contact_id = ?"


def _search_sources(contact: Contact) -> list[str | None]:
    address = contact.address
    return [
        *(getattr(contact, name) for name in SEARCHED),
        address.city,
        address.district,
        address.state,
        address.postal_code,
    ]


def search_text(contact: Contact) -> str:
    return "\n".join(fold(part) for part in _search_sources(contact) if part)


def check_status(contact: Contact) -> str:
    """The worst status among the contact's checks ("valid" when it has none)."""
    statuses = {check.status for check in contact.checks}
    return next((status for status in _STATUS_ORDER if status in statuses), "valid")


# Columns that hold a field's value as it is, by how to read it from a contact.
_PLAIN: dict[str, Callable[[Contact], Any]] = {
    "kind": lambda contact: contact.kind,
    "is_customer": lambda contact: contact.is_customer,
    "is_supplier": lambda contact: contact.is_supplier,
    "external_ref": lambda contact: contact.external_ref,
    "parent_id": lambda contact: contact.parent_id,
    "country_code": lambda contact: contact.address.country_code,
    "archived": lambda contact: contact.archived,
    "check_status": check_status,
}


_WRITTEN = ("version", *_PLAIN, "updated_at", "name_key", "name_bucket", "search_text", "document")
_INSERT = (
    f"INSERT INTO contacts (tenant_id, id, number, {', '.join(_WRITTEN)}) "
    f"VALUES ({placeholders(3 + len(_WRITTEN))})"
)


def stored_columns(contact: Contact, document: bytes) -> dict[str, Any]:
    """The columns a contact is stored in, besides its tenant, id and number."""
    name_key = fold(contact.name or "")
    return {
        "version": contact.version,
        **{name: read(contact) for name, read in _PLAIN.items()},
        "updated_at": contact.updated_at,
        "name_key": name_key,
        "name_bucket": name_bucket(name_key),
        "search_text": search_text(contact),
        "document": pack(document),
    }


def changed_columns(previous: Contact, contact: Contact, document: bytes) -> dict[str, Any]:
    """The columns an update must write: only what differs, so that unchanged indexes
    (and the search index) are left alone."""
    changed: dict[str, Any] = {"version": contact.version, "updated_at": contact.updated_at}
    for name, read in _PLAIN.items():
        if (value := read(contact)) != read(previous):
            changed[name] = value
    if contact.name != previous.name:
        changed["name_key"] = name_key = fold(contact.name or "")
        changed["name_bucket"] = name_bucket(name_key)
    if _search_sources(contact) != _search_sources(previous):
        changed["search_text"] = search_text(contact)
    changed["document"] = pack(document)
    return changed


def lookup_keys(contact: Contact) -> list[tuple[str, str]]:
    """The (field, value) pairs a contact can be found by: by a batch's match_on (KEY_FIELDS)
    and as a probable duplicate (domain/duplicates.py)."""
    return matching_keys(contact)


class ContactTable:
    def __init__(
        self,
        connection: Connection,
        driver: Driver,
        values: Values,
        epoch: EpochProbe,
        *,
        lock_rows: bool = False,
    ) -> None:
        self._connection = connection
        self._driver = driver
        self._values = values
        self._epoch = epoch

        def sql(statement: str) -> str:
            return values.sql(statement + _LOCKED if lock_rows else statement)

        self._insert = values.sql(_INSERT)
        self._updates: dict[tuple[str, ...], str] = {}
        self._by_id, self._by_number = sql(_BY_ID), sql(_BY_NUMBER)
        self._by_id_with_epoch = sql(_BY_ID_WITH_EPOCH)
        self._insert_tag, self._delete_tags = values.sql(_INSERT_TAG), values.sql(_DELETE_TAGS)
        self._insert_key, self._delete_keys = values.sql(_INSERT_KEY), values.sql(_DELETE_KEYS)
        self._listing = ListingQueries(connection, driver, values)

    # --- reads ---------------------------------------------------------------------------

    def _stored(self, statement: str, parameters: tuple[Any, ...]) -> StoredContact | None:
        row = self._driver.execute(statement, parameters).fetchone()
        return None if row is None else StoredContact(row[0], unpack(row[1]))

    def get(self, tenant_id: UUID, contact_id: UUID) -> StoredContact | None:
        uuid = self._values.uuid
        if not self._epoch.wants(tenant_id):
            return self._stored(self._by_id, (uuid(tenant_id), uuid(contact_id)))
        tenant = uuid(tenant_id)
        row = self._driver.execute(
            self._by_id_with_epoch, (tenant, tenant, uuid(contact_id))
        ).fetchone()
        if row is None:
            return None  # the check reads the epoch by itself
        self._epoch.found(None if row[2] is None else int(row[2]))
        return StoredContact(row[0], unpack(row[1]))

    def get_by_number(self, tenant_id: UUID, number: int) -> StoredContact | None:
        if not 0 < number <= MAX_NUMBER:  # beyond the column's range: no driver binds it
            return None
        return self._stored(self._by_number, (self._values.uuid(tenant_id), number))

    def get_many(self, tenant_id: UUID, ids: Sequence[UUID]) -> dict[UUID, StoredContact]:
        found: dict[UUID, StoredContact] = {}
        uuid, read_uuid = self._values.uuid, self._values.read_uuid
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            rows = self._driver.execute(
                self._values.sql(
                    "SELECT id, version, document FROM contacts "
                    f"WHERE tenant_id = ? AND id IN ({placeholders(len(batch))})"
                ),
                (uuid(tenant_id), *(uuid(item) for item in batch)),
            ).fetchall()
            for contact_id, version, document in rows:
                found[read_uuid(contact_id)] = StoredContact(version, unpack(document))
        return found

    def find(self, tenant_id: UUID, field: str, values: Iterable[Any]) -> dict[Any, list[UUID]]:
        """The contacts whose `field` (id, number, external_ref or a lookup key field) has
        one of `values`, by value."""
        if field not in (*KEY_FIELDS, "id", "number", "external_ref"):
            raise ValueError(f"contacts cannot be found by {field}")
        wanted = list(dict.fromkeys(values))
        uuid, read_uuid = self._values.uuid, self._values.read_uuid
        found: dict[Any, list[UUID]] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = placeholders(len(batch))
            if field in KEY_FIELDS:
                statement = (
                    "SELECT value, contact_id FROM contact_keys "
                    f"WHERE tenant_id = ? AND field = ? AND value IN ({marks})"
                )
                parameters: list[Any] = [uuid(tenant_id), field, *batch]
            else:
                statement = (
                    f"SELECT {field}, id FROM contacts WHERE tenant_id = ? AND {field} IN ({marks})"
                )
                parameters = [uuid(tenant_id), *(uuid(v) if field == "id" else v for v in batch)]
            for value, contact_id in self._driver.execute(
                self._values.sql(statement), parameters
            ).fetchall():
                key = read_uuid(value) if field == "id" else value
                found.setdefault(key, []).append(read_uuid(contact_id))
        return found

    def id_for_external_ref(self, tenant_id: UUID, external_ref: str) -> UUID | None:
        holders = self.find(tenant_id, "external_ref", [external_ref]).get(external_ref)
        return holders[0] if holders else None

    def parent_link(self, tenant_id: UUID, contact_id: UUID) -> tuple[bool, UUID | None]:
        row = self._connection.execute(
            select(contacts.c.parent_id).where(
                contacts.c.tenant_id == tenant_id, contacts.c.id == contact_id
            )
        ).first()
        return (False, None) if row is None else (True, row.parent_id)

    def children(self, tenant_id: UUID, contact_id: UUID, limit: int) -> Sequence[UUID]:
        return (
            self._connection.execute(
                select(contacts.c.id)
                .where(contacts.c.tenant_id == tenant_id, contacts.c.parent_id == contact_id)
                .order_by(contacts.c.number)
                .limit(limit)
            )
            .scalars()
            .all()
        )

    def search(self, tenant_id: UUID, query: ContactQuery) -> list[Listed]:
        """One page (`query.limit` + 1 contacts, to tell whether more follow)."""
        return self._listing.page(tenant_id, query)

    def count(self, tenant_id: UUID, query: ContactQuery) -> int:
        return self._listing.count(tenant_id, query)

    # --- writes --------------------------------------------------------------------------

    def _for_driver(self, columns: dict[str, Any]) -> dict[str, Any]:
        """Columns as the driver takes them."""
        values = self._values
        if "parent_id" in columns:
            columns["parent_id"] = values.uuid(columns["parent_id"])
        columns["updated_at"] = values.moment(columns["updated_at"])
        return columns

    def insert(self, tenant_id: UUID, contact: Contact, document: bytes) -> None:
        self.insert_many(tenant_id, [(contact, document)])

    def insert_many(self, tenant_id: UUID, written: Sequence[tuple[Contact, bytes]]) -> None:
        """Store new contacts (each with its JSON document) in a few statements."""
        uuid = self._values.uuid
        tenant = uuid(tenant_id)
        self._driver.executemany(
            self._insert,
            [
                [
                    tenant,
                    uuid(contact.id),
                    contact.number,
                    *self._for_driver(stored_columns(contact, document)).values(),
                ]
                for contact, document in written
            ],
        )
        tags = [(tenant, uuid(c.id), tag) for c, _ in written for tag in c.tags]
        if tags:
            self._driver.executemany(self._insert_tag, tags)
        keys = [
            (tenant, field, value, uuid(c.id))
            for c, _ in written
            for field, value in lookup_keys(c)
        ]
        if keys:
            self._driver.executemany(self._insert_key, keys)

    def update(self, tenant_id: UUID, contact: Contact, document: bytes, previous: Contact) -> bool:
        """Compare-and-set on the version `previous` had: False when another write got there
        first."""
        uuid = self._values.uuid
        tenant, contact_id = uuid(tenant_id), uuid(contact.id)
        columns = self._for_driver(changed_columns(previous, contact, document))
        names = tuple(columns)
        statement = self._updates.get(names)
        if statement is None:
            assignments = ", ".join(f"{name} = ?" for name in names)
            statement = self._updates[names] = self._values.sql(
                f"UPDATE contacts SET {assignments} WHERE tenant_id = ? AND id = ? AND version = ?"
            )
        result = self._driver.execute(
            statement, [*columns.values(), tenant, contact_id, previous.version]
        )
        if result.rowcount != 1:
            return False
        if contact.tags != previous.tags:
            self._driver.execute(self._delete_tags, (tenant, contact_id))
            if contact.tags:
                self._driver.executemany(
                    self._insert_tag, [(tenant, contact_id, tag) for tag in contact.tags]
                )
        # Most changes leave the keys' sources alone: then nothing is derived or written.
        if key_sources(contact) != key_sources(previous) and (
            (keys := lookup_keys(contact)) != lookup_keys(previous)
        ):
            self._driver.execute(self._delete_keys, (tenant, contact_id))
            if keys:
                self._driver.executemany(
                    self._insert_key, [(tenant, f, v, contact_id) for f, v in keys]
                )
        return True

    def delete(self, tenant_id: UUID, contact_id: UUID) -> None:
        for child in (contact_tags, contact_secrets, contact_keys):
            self._connection.execute(
                delete(child).where(
                    child.c.tenant_id == tenant_id, child.c.contact_id == contact_id
                )
            )
        self._connection.execute(
            delete(contacts).where(contacts.c.tenant_id == tenant_id, contacts.c.id == contact_id)
        )

    # --- secrets -------------------------------------------------------------------------

    def store_secret(
        self, tenant_id: UUID, contact_id: UUID, name: str, secret_hash: str, at: datetime
    ) -> None:
        key = {"tenant_id": tenant_id, "contact_id": contact_id, "name": name}
        self._connection.execute(
            delete(contact_secrets).where(
                *(getattr(contact_secrets.c, column) == value for column, value in key.items())
            )
        )
        self._connection.execute(
            insert(contact_secrets), {**key, "secret_hash": secret_hash, "updated_at": at}
        )

    def secret_hash(self, tenant_id: UUID, contact_id: UUID, name: str) -> str | None:
        return self._connection.execute(
            select(contact_secrets.c.secret_hash).where(
                contact_secrets.c.tenant_id == tenant_id,
                contact_secrets.c.contact_id == contact_id,
                contact_secrets.c.name == name,
            )
        ).scalar()
