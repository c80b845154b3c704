"""Migration 0005 on a database the earlier migrations made and the earlier service filled:
every contact, version, history entry and feed entry reads back exactly as before."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import orjson
import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from counterparty.db import Database
from counterparty.domain.contact import WRITABLE_FIELDS, Address, Check, Contact, ContactInput
from counterparty.domain.documents import writable_document
from counterparty.domain.ids import new_id
from counterparty.domain.text import fold
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery
from counterparty.services.registry import Services
from tests.conftest import empty_database

# The tables as revision 0004 left them (only what the test writes).
OLD = MetaData()
Moment = DateTime(timezone=True)
Table(
    "tenants",
    OLD,
    Column("id", Uuid),
    Column("slug", String),
    Column("name", String),
    Column("cursor_secret", LargeBinary),
    Column("created_at", Moment),
    Column("validation_policy", String),
)
Table(
    "tenant_counters",
    OLD,
    Column("tenant_id", Uuid),
    Column("name", String),
    Column("value", Integer),
)
Table(
    "contact_tags",
    OLD,
    Column("tenant_id", Uuid),
    Column("contact_id", Uuid),
    Column("tag", String),
)
OLD_CONTACT_TYPES = {
    "tenant_id": Uuid, "id": Uuid, "parent_id": Uuid, "number": Integer,
    "payment_terms_days": Integer, "discount_percent_x100": Integer, "version": Integer,
    "is_customer": Boolean, "is_supplier": Boolean, "einvoice_enabled": Boolean,
    "send_reminders": Boolean, "archived": Boolean, "birth_date": Date,
    "bank_accounts": JSON, "contact_persons": JSON, "tags": JSON, "custom_fields": JSON,
    "extensions": JSON, "checks": JSON, "created_at": Moment, "updated_at": Moment,
    "archived_at": Moment, "gdpr_changed_at": Moment,
}  # fmt: skip
OLD_CONTACT_COLUMNS = (
    "tenant_id", "id", "number", "kind", "name", "name_key", "first_name", "last_name", "title",
    "is_customer", "is_supplier", "external_ref", "parent_id", "email", "phone", "mobile", "fax",
    "website", "tax_id", "tax_office", "vat_number", "registration_number", "peppol_id",
    "einvoice_enabled", "address_street", "address_street2", "address_box", "address_postal_code",
    "address_city", "address_district", "address_state", "address_country_code",
    "address_attention", "bank_accounts", "contact_persons", "language", "currency",
    "payment_terms_days", "discount_percent_x100", "send_reminders", "birth_date", "notes",
    "tags", "custom_fields", "gdpr_consent", "gdpr_changed_at", "gdpr_changed_by", "gdpr_reason",
    "extensions", "archived", "archived_at", "checks", "check_status", "version", "created_at",
    "updated_at", "search_text",
)  # fmt: skip
old_contacts = Table(
    "contacts",
    OLD,
    *(Column(name, OLD_CONTACT_TYPES.get(name, Text)) for name in OLD_CONTACT_COLUMNS),
)
old_events = Table(
    "contact_events",
    OLD,
    *(
        Column(name, kind)
        for name, kind in {
            "tenant_id": Uuid,
            "sequence": Integer,
            "contact_id": Uuid,
            "contact_number": Integer,
            "type": String,
            "version": Integer,
            "changes": JSON,
            "api_key_id": Uuid,
            "entry_point": String,
            "request_id": String,
            "occurred_at": Moment,
            "snapshot": Text,
        }.items()
    ),
)


def old_diff(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[dict]:
    """The history's differences as revision 0004 stored them (dotted paths)."""
    found = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            found += old_diff(before, after, f"{prefix}{key}.")
        elif before != after:
            found.append({"path": f"{prefix}{key}", "old": before, "new": after})
    return found


def old_row(tenant_id: UUID, contact: Contact) -> dict[str, Any]:
    row: dict[str, Any] = {"tenant_id": tenant_id}
    for name in OLD_CONTACT_COLUMNS:
        if hasattr(contact, name) and name not in ("address", "gdpr"):
            row[name] = getattr(contact, name)
    for name in Address.model_fields:
        row[f"address_{name}"] = getattr(contact.address, name)
    for name in ("consent", "changed_at", "changed_by", "reason"):
        row[f"gdpr_{name}"] = getattr(contact.gdpr, name)
    for name in ("bank_accounts", "contact_persons", "checks"):
        row[name] = [item.model_dump(mode="json") for item in getattr(contact, name)]
    discount = contact.discount_percent
    row["discount_percent_x100"] = None if discount is None else int(discount * 100)
    row["name_key"] = fold(contact.name or "")
    row["search_text"] = fold(contact.name or "")
    row["check_status"] = "valid"
    return row


class OldService:
    """Writes contacts and history the way revision 0004's service did."""

    def __init__(self, connection: Any, tenant_id: UUID) -> None:
        self.connection = connection
        self.tenant_id = tenant_id
        self.sequence = 0
        self.moment = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        self.snapshots: dict[tuple[UUID, int], bytes] = {}
        self.changes: dict[tuple[UUID, int], list[dict[str, Any]]] = {}

    def _event(
        self, before: Contact | None, after: Contact | None, extra: list[dict] | None = None
    ) -> None:
        self.sequence += 1
        subject = after or before
        assert subject is not None
        if after is None:
            changes: list[dict[str, Any]] = []
            version = subject.version + 1
        else:
            base = (
                writable_document(before)
                if before
                else writable_document(ContactInput.model_construct())
            )
            changes = old_diff(base, writable_document(after)) + (extra or [])
            version = after.version
        snapshot = None if after is None else after.model_dump_json()
        self.connection.execute(
            old_events.insert(),
            {
                "tenant_id": self.tenant_id,
                "sequence": self.sequence,
                "contact_id": subject.id,
                "contact_number": subject.number,
                "type": "created"
                if before is None
                else (
                    "deleted"
                    if after is None
                    else (
                        "archived"
                        if after.archived and not before.archived
                        else ("unarchived" if before.archived and not after.archived else "updated")
                    )
                ),
                "version": version,
                "changes": changes,
                "api_key_id": None,
                "entry_point": "api",
                "request_id": f"req-{self.sequence}",
                "occurred_at": after.updated_at if after else self.moment,
                "snapshot": snapshot,
            },
        )
        self.changes[(subject.id, version)] = changes
        if snapshot is not None:
            self.snapshots[(subject.id, version)] = snapshot.encode()

    def create(self, number: int, **fields: Any) -> Contact:
        self.moment += timedelta(minutes=1)
        wanted = ContactInput.model_validate(fields)
        contact = Contact.model_construct(
            **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
            id=new_id(), number=number, archived_at=None, checks=[], version=1,
            created_at=self.moment, updated_at=self.moment,
        )  # fmt: skip
        self._event(None, contact)
        return contact

    def change(self, contact: Contact, extra: list[dict] | None = None, **fields: Any) -> Contact:
        self.moment += timedelta(minutes=1)
        writable = {name: value for name, value in fields.items() if name != "checks"}
        wanted = ContactInput.model_validate({**writable_document(contact), **writable})
        changed = contact.model_copy(
            update={
                **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
                "version": contact.version + 1,
                "updated_at": self.moment,
                "archived_at": self.moment if wanted.archived else None,
                **({"checks": fields["checks"]} if "checks" in fields else {}),
            }
        )
        self._event(contact, changed, extra)
        return changed

    def keep(self, contact: Contact) -> None:
        self.connection.execute(old_contacts.insert(), old_row(self.tenant_id, contact))
        for tag in contact.tags:
            self.connection.execute(
                OLD.tables["contact_tags"].insert(),
                {"tenant_id": self.tenant_id, "contact_id": contact.id, "tag": tag},
            )

    def delete(self, contact: Contact) -> None:
        self._event(contact, None)


@pytest.fixture
def database_url_at_0004(database_url: str, tmp_path: Any) -> Iterator[str]:
    with empty_database(database_url, tmp_path, "migration") as url:
        yield url


def test_migration_keeps_every_contact_version_and_history_entry(
    database_url_at_0004: str,
) -> None:
    database = Database(database_url_at_0004)
    database.migrate("0004")
    tenant_id = new_id()
    with database.engine.begin() as connection:
        connection.execute(
            OLD.tables["tenants"].insert(),
            {
                "id": tenant_id,
                "slug": "old",
                "name": "Old",
                "cursor_secret": b"s" * 32,
                "created_at": datetime(2026, 1, 1, tzinfo=UTC),
                "validation_policy": "strict",
            },
        )
        old = OldService(connection, tenant_id)
        long_lived = old.create(1, name="Acme Trading", address={"city": "Gent"}, tags=["vip"])
        for index in range(40):  # past the first periodic snapshot (version 32)
            long_lived = old.change(long_lived, phone=f"+3225551{index:03d}", notes=f"call {index}")
        long_lived = old.change(long_lived, archived=True)
        long_lived = old.change(long_lived, archived=False, custom_fields={"crm_id": "x"})
        old.keep(long_lived)
        checked = old.create(2, name="Checked BV", vat_number="NL004495445B01")
        pending = [Check.model_construct(field="vat_number", status="pending", scheme="eu.vat")]
        checked = old.change(checked, checks=pending)
        verified = [Check.model_construct(field="vat_number", status="verified", scheme="eu.vat")]
        checked = old.change(
            checked,
            extra=[{"path": "checks.vat_number.status", "old": "pending", "new": "verified"}],
            checks=verified,
        )
        dotted = old.change(checked, extensions={"wacs": {"a.b": 1, "c": {"d": 2}}})
        dotted = old.change(dotted, extensions={"wacs": {"a.b": 3, "c": {"d": 2}}})
        old.keep(dotted)
        gone = old.create(3, name="Gone GmbH", birth_date=date(1990, 1, 2))
        gone = old.change(gone, name="Gone Again GmbH")
        old.delete(gone)
        for name, value in (("contact_number", 3), ("event", old.sequence)):
            connection.execute(
                OLD.tables["tenant_counters"].insert(),
                {"tenant_id": tenant_id, "name": name, "value": value},
            )

    database.migrate()
    services = Services.over(database.unit_of_work)
    tenant = services.tenancy.get_tenant("old")
    actor = Actor(tenant, None, "test")
    for (contact_id, version), snapshot in old.snapshots.items():
        rebuilt = services.history.version(actor, contact_id, version)
        assert orjson.loads(rebuilt) == orjson.loads(snapshot), (contact_id, version)
    for contact in (long_lived, dotted):
        assert orjson.loads(services.contacts.read(actor, contact.id).json) == orjson.loads(
            old.snapshots[(contact.id, contact.version)]
        )
    feed = services.history.feed(actor, None, 1000)
    assert [event.sequence for event in feed.events] == list(range(1, old.sequence + 1))
    for event in feed.events:
        shown = [vars(change) for change in event.changes]
        assert shown == old.changes[(event.contact_id, event.version)], event.sequence
        document = (feed.documents or {})[event.sequence]
        expected = old.snapshots.get((event.contact_id, event.version))
        assert (document and orjson.loads(document)) == (expected and orjson.loads(expected))
    found = services.contacts.list(actor, ContactQuery(terms=("trading",), archived=None))
    assert [c.id for c in found.contacts] == [long_lived.id]
    tagged = services.contacts.list(actor, ContactQuery(tag="vip"))
    assert [c.id for c in tagged.contacts] == [long_lived.id]
    created = services.contacts.create(actor, {"name": "After the upgrade"})
    assert created.number == 4
    assert services.history.feed(actor, None, 1000).events[-1].sequence == old.sequence + 1
    database.dispose()
