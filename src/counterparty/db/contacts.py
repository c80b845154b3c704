"""All SQL about contacts: rows in, domain contacts out. Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    text,
    tuple_,
    update,
)

from counterparty.db.tables import (
    ADDRESS_PREFIX,
    GDPR_PREFIX,
    contact_secrets,
    contact_tags,
    contacts,
)
from counterparty.domain.contact import (
    Address,
    BankAccount,
    Check,
    Contact,
    ContactPerson,
    Gdpr,
)
from counterparty.domain.text import compact, fold
from counterparty.services.listing import ContactQuery

_CONTACT_FIELDS = tuple(Contact.model_fields)
_ADDRESS_FIELDS = tuple(Address.model_fields)
_GDPR_FIELDS = tuple(Gdpr.model_fields)
_JSON_LISTS = ("bank_accounts", "contact_persons", "checks")
_STRUCTURED = {"address", "gdpr", "discount_percent", *_JSON_LISTS}
_PLAIN_FIELDS = tuple(name for name in Contact.model_fields if name not in _STRUCTURED)
_SEARCHED = (
    "name",
    "first_name",
    "last_name",
    "email",
    "tax_id",
    "vat_number",
    "registration_number",
    "external_ref",
)
_DERIVED_COLUMNS = {"tenant_id", "name_key", "search_text", "check_status"}
_READ_COLUMNS = [column for column in contacts.c if column.name not in _DERIVED_COLUMNS]
MIN_TRIGRAM = 3
_STATUS_ORDER = ("invalid", "pending", "unverified", "valid")
_SORT_COLUMNS = {
    "name": contacts.c.name_key,
    "number": contacts.c.number,
    "updated_at": contacts.c.updated_at,
}

_BY_ID = select(*_READ_COLUMNS).where(
    contacts.c.tenant_id == bindparam("tenant_id"), contacts.c.id == bindparam("contact_id")
)
_BY_NUMBER = select(*_READ_COLUMNS).where(
    contacts.c.tenant_id == bindparam("tenant_id"), contacts.c.number == bindparam("number")
)
# Statements are built once: building one costs more than running it on SQLite.
_INSERT = insert(contacts)
_UPDATE = (
    update(contacts)
    .where(
        contacts.c.tenant_id == bindparam("key_tenant_id"),
        contacts.c.id == bindparam("key_id"),
        contacts.c.version == bindparam("expected_version"),
    )
    .values(
        {
            column.name: bindparam(column.name)
            for column in contacts.c
            if column.name not in ("tenant_id", "id")
        }
    )
)
_DELETE_TAGS = delete(contact_tags).where(
    contact_tags.c.tenant_id == bindparam("tenant_id"),
    contact_tags.c.contact_id == bindparam("contact_id"),
)
_INSERT_TAGS = insert(contact_tags)


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _search_text(contact: Contact) -> str:
    parts = [getattr(contact, name) for name in _SEARCHED]
    address = contact.address
    parts.extend([address.city, address.district, address.state, address.postal_code])
    return "\n".join(fold(part) for part in parts if part)


def check_status(contact: Contact) -> str:
    """The worst status among the contact's checks ("valid" when it has none)."""
    statuses = {check.status for check in contact.checks}
    return next((status for status in _STATUS_ORDER if status in statuses), "valid")


def to_row(tenant_id: UUID, contact: Contact) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(contact, name) for name in _PLAIN_FIELDS}
    row.update({ADDRESS_PREFIX + name: getattr(contact.address, name) for name in _ADDRESS_FIELDS})
    row.update({GDPR_PREFIX + name: getattr(contact.gdpr, name) for name in _GDPR_FIELDS})
    for name in _JSON_LISTS:
        row[name] = [item.model_dump(mode="json") for item in getattr(contact, name)]
    discount = contact.discount_percent
    row["discount_percent_x100"] = None if discount is None else int(discount * 100)
    row["tenant_id"] = tenant_id
    row["name_key"] = fold(contact.name or "")
    row["search_text"] = _search_text(contact)
    row["check_status"] = check_status(contact)
    return row


ModelT = TypeVar("ModelT", bound=BaseModel)


def _trusted(model: type[ModelT], values: dict[str, Any]) -> ModelT:
    """A model from stored values, without validation or default handling: what
    `model_construct` does for a complete set of fields, at a fraction of its cost."""
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def from_row(row: Mapping[Any, Any]) -> Contact:
    """Rebuild a stored contact without validating it again: it was valid when written."""
    values = {name: row[name] for name in _PLAIN_FIELDS}
    for name in ("archived_at", "created_at", "updated_at"):
        values[name] = _utc(values[name])
    values["address"] = _trusted(
        Address, {name: row[ADDRESS_PREFIX + name] for name in _ADDRESS_FIELDS}
    )
    gdpr = {name: row[GDPR_PREFIX + name] for name in _GDPR_FIELDS}
    gdpr["changed_at"] = _utc(gdpr["changed_at"])
    values["gdpr"] = _trusted(Gdpr, gdpr)
    values["bank_accounts"] = [
        _trusted(BankAccount, {**item, "id": UUID(item["id"])}) for item in row["bank_accounts"]
    ]
    values["contact_persons"] = [
        _trusted(ContactPerson, {**item, "id": UUID(item["id"])}) for item in row["contact_persons"]
    ]
    values["checks"] = [_trusted(Check, {"evidence": None, **item}) for item in row["checks"]]
    hundredths = row["discount_percent_x100"]
    values["discount_percent"] = None if hundredths is None else Decimal(hundredths) / 100
    return _trusted(Contact, {name: values[name] for name in _CONTACT_FIELDS})


class ContactTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, tenant_id: UUID, contact_id: UUID) -> Contact | None:
        row = (
            self._connection.execute(_BY_ID, {"tenant_id": tenant_id, "contact_id": contact_id})
            .mappings()
            .first()
        )
        return None if row is None else from_row(row)

    def get_by_number(self, tenant_id: UUID, number: int) -> Contact | None:
        row = (
            self._connection.execute(_BY_NUMBER, {"tenant_id": tenant_id, "number": number})
            .mappings()
            .first()
        )
        return None if row is None else from_row(row)

    def id_for_external_ref(self, tenant_id: UUID, external_ref: str) -> UUID | None:
        return self._connection.execute(
            select(contacts.c.id).where(
                contacts.c.tenant_id == tenant_id, contacts.c.external_ref == external_ref
            )
        ).scalar()

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

    def insert(self, tenant_id: UUID, contact: Contact) -> None:
        self._connection.execute(_INSERT, to_row(tenant_id, contact))
        self._write_tags(tenant_id, contact, replace=False)

    def update(
        self, tenant_id: UUID, contact: Contact, expected_version: int, tags_changed: bool = True
    ) -> bool:
        """Compare-and-set on the version: False when another write got there first."""
        row = to_row(tenant_id, contact)
        del row["tenant_id"], row["id"]
        result = self._connection.execute(
            _UPDATE,
            {
                **row,
                "key_tenant_id": tenant_id,
                "key_id": contact.id,
                "expected_version": expected_version,
            },
        )
        if result.rowcount != 1:
            return False
        if tags_changed:
            self._write_tags(tenant_id, contact, replace=True)
        return True

    def delete(self, tenant_id: UUID, contact_id: UUID) -> None:
        for child in (contact_tags, contact_secrets):
            self._connection.execute(
                delete(child).where(
                    child.c.tenant_id == tenant_id, child.c.contact_id == contact_id
                )
            )
        self._connection.execute(
            delete(contacts).where(contacts.c.tenant_id == tenant_id, contacts.c.id == contact_id)
        )

    def _write_tags(self, tenant_id: UUID, contact: Contact, *, replace: bool) -> None:
        if replace:
            self._connection.execute(
                _DELETE_TAGS, {"tenant_id": tenant_id, "contact_id": contact.id}
            )
        if contact.tags:
            self._connection.execute(
                _INSERT_TAGS,
                [
                    {"tenant_id": tenant_id, "contact_id": contact.id, "tag": tag}
                    for tag in contact.tags
                ],
            )

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

    def count(self, tenant_id: UUID, query: ContactQuery) -> int:
        conditions = [
            contacts.c.tenant_id == tenant_id,
            *_filters(tenant_id, query, self._connection.dialect.name),
        ]
        total = self._connection.execute(
            select(func.count()).select_from(contacts).where(and_(*conditions))
        ).scalar()
        return int(total or 0)

    def search(self, tenant_id: UUID, query: ContactQuery) -> Sequence[Contact]:
        conditions: list[ColumnElement[bool]] = [contacts.c.tenant_id == tenant_id]
        conditions.extend(_filters(tenant_id, query, self._connection.dialect.name))
        sort_column = _SORT_COLUMNS[query.sort]
        keys = (sort_column,) if query.sort == "number" else (sort_column, contacts.c.id)
        if query.after is not None:
            value, last_id = query.after
            if query.sort == "updated_at":
                value = datetime.fromisoformat(value)
            position = (value,) if query.sort == "number" else (value, last_id)
            left, right = tuple_(*keys), tuple_(*position)
            conditions.append(left < right if query.descending else left > right)
        order = [key.desc() if query.descending else key.asc() for key in keys]
        statement = (
            select(*_READ_COLUMNS).where(and_(*conditions)).order_by(*order).limit(query.limit + 1)
        )
        if query.offset:
            statement = statement.offset(query.offset)
        rows = self._connection.execute(statement).mappings()
        return [from_row(row) for row in rows]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(variants: set[str]) -> str:
    quoted = " OR ".join('"' + variant.replace('"', '""') + '"' for variant in sorted(variants))
    return f"({quoted})"


def _filters(tenant_id: UUID, query: ContactQuery, dialect: str) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    indexed: list[str] = []
    for term in query.terms:
        variants = {term, fold(compact(term))} - {""}
        if dialect == "sqlite" and all(len(variant) >= MIN_TRIGRAM for variant in variants):
            # The trigram index answers substrings of three characters and more.
            indexed.append(_fts_phrase(variants))
            continue
        # PostgreSQL's trigram GIN index serves this LIKE; shorter terms scan.
        found.append(or_(*(contacts.c.search_text.like(_like(v), escape="\\") for v in variants)))
    if indexed:
        matches = text("contacts_fts MATCH :fts").bindparams(fts=" AND ".join(indexed))
        found.append(
            literal_column("contacts.rowid").in_(
                select(literal_column("rowid")).select_from(table("contacts_fts")).where(matches)
            )
        )
    equal = {
        "kind": contacts.c.kind,
        "is_customer": contacts.c.is_customer,
        "is_supplier": contacts.c.is_supplier,
        "archived": contacts.c.archived,
        "country_code": contacts.c.address_country_code,
        "external_ref": contacts.c.external_ref,
    }
    for name, column in equal.items():
        wanted = getattr(query, name)
        if wanted is not None:
            found.append(column == wanted)
    if query.check_status is not None:
        found.append(contacts.c.check_status == query.check_status)
    if query.updated_since is not None:
        found.append(contacts.c.updated_at >= query.updated_since)
    if query.tag is not None:
        found.append(
            contacts.c.id.in_(
                select(contact_tags.c.contact_id).where(
                    contact_tags.c.tenant_id == tenant_id, contact_tags.c.tag == query.tag
                )
            )
        )
    return found
