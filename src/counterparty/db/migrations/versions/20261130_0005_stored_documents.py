"""Contacts stored as documents, history as differences, 64-bit numbers, credential epochs

- contacts: the JSON document (compressed) plus the columns lists filter and sort by; the
  other columns go. The document is the contact's last snapshot in its history.
- contact_events: field-level changes with unambiguous paths, re-derived from consecutive
  snapshots; a snapshot is kept only at version 1 and every 32nd version (compressed).
- numbers (contact, event, counter values) become 64-bit.
- tenants: `auth_epoch` and `search_marker`; contact_keys for lookups by identifier.
- SQLite's search index is rebuilt in name order (db/search.py).

There is no way back: restore the backup taken before the upgrade.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa
from alembic import op

from counterparty.db.codec import pack
from counterparty.db.contacts import lookup_keys, stored_columns
from counterparty.db.search import SQLITE_REBUILD, SQLITE_SCHEMA, search_marker
from counterparty.domain.documents import contact_from_json
from counterparty.domain.history import document_diff, needs_snapshot, note, visible

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 2000


def _clustered() -> dict[str, Any]:
    """Rebuild a small-row table clustered by its primary key on SQLite (no rowid b-tree
    beside it); elsewhere, alter it in place."""
    if not _sqlite():
        return {}
    return {"recreate": "always", "table_kwargs": {"sqlite_with_rowid": False}}


OLD_CONTACT_COLUMNS = (
    "created_at", "first_name", "last_name", "title", "email", "phone", "mobile", "fax",
    "website", "tax_id", "tax_office", "vat_number", "registration_number", "peppol_id",
    "einvoice_enabled", "address_street", "address_street2", "address_box", "address_postal_code",
    "address_city", "address_district", "address_state", "address_country_code",
    "address_attention", "bank_accounts", "contact_persons", "language", "currency",
    "payment_terms_days", "discount_percent_x100", "send_reminders", "birth_date", "notes",
    "tags", "custom_fields", "gdpr_consent", "gdpr_changed_at", "gdpr_changed_by", "gdpr_reason",
    "extensions", "archived_at", "checks", "name",
)  # fmt: skip
REQUIRED_NEW_COLUMNS = ("name_bucket", "document")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _rows(statement: str, **parameters: Any) -> Iterator[sa.Row[Any]]:
    yield from op.get_bind().execute(sa.text(statement), parameters)


def upgrade() -> None:
    bind = op.get_bind()
    if _sqlite():
        # Tables are rebuilt below; their foreign keys must not cascade while they are. The
        # pragma only works outside a transaction, so the transaction is begun here.
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
        bind.exec_driver_sql("BEGIN")
        for statement in (
            "DROP TRIGGER IF EXISTS contacts_fts_update",
            "DROP TRIGGER IF EXISTS contacts_fts_delete",
            "DROP TRIGGER IF EXISTS contacts_fts_insert",
            "DROP TABLE IF EXISTS contacts_fts",
        ):
            bind.exec_driver_sql(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_contacts_search_text_trgm")

    _tenants()
    _contact_keys_table()
    _contacts()
    _events()
    with op.batch_alter_table("tenant_counters", **_clustered()) as batch:
        batch.alter_column("value", type_=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table("contact_tags", **_clustered()):
        pass

    if _sqlite():
        for statement in (*SQLITE_SCHEMA, *SQLITE_REBUILD):
            bind.exec_driver_sql(statement)
        bind.exec_driver_sql("COMMIT")
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
    else:
        op.execute(
            "CREATE INDEX ix_contacts_search_text_trgm ON contacts "
            "USING gin (search_text public.gin_trgm_ops)"
        )


def _tenants() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(
            sa.Column("auth_epoch", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("search_marker", sa.String(3), nullable=False, server_default="")
        )
    for (tenant_id,) in list(_rows("SELECT id FROM tenants")):
        marker = search_marker(tenant_id if isinstance(tenant_id, UUID) else UUID(tenant_id))
        op.get_bind().execute(
            sa.text("UPDATE tenants SET search_marker = :marker WHERE id = :id"),
            {"marker": marker, "id": tenant_id},
        )


def _contact_keys_table() -> None:
    op.create_table(
        "contact_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["contacts.tenant_id", "contacts.id"],
            name="fk_contact_keys_tenant_id_contact_id_contacts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "field", "value", "contact_id", name="pk_contact_keys"
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_contact_keys_tenant_id_contact_id", "contact_keys", ["tenant_id", "contact_id"]
    )


def _latest_documents() -> Iterator[tuple[Any, Any, bytes]]:
    """Each contact's tenant, id and current JSON: the snapshot of its last event."""
    last = (
        "SELECT e.tenant_id, e.contact_id, e.snapshot FROM contact_events e "
        "JOIN contacts c ON c.tenant_id = e.tenant_id AND c.id = e.contact_id "
        "WHERE e.sequence = (SELECT max(l.sequence) FROM contact_events l "
        "WHERE l.tenant_id = e.tenant_id AND l.contact_id = e.contact_id "
        "AND l.snapshot IS NOT NULL)"
    )
    for row in _rows(last):
        yield row.tenant_id, row.contact_id, row.snapshot.encode()


def _contacts() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("country_code", sa.String(2)))
        batch.add_column(sa.Column("name_bucket", sa.Integer()))
        batch.add_column(sa.Column("document", sa.LargeBinary()))
    update = sa.text(
        "UPDATE contacts SET country_code = :country_code, name_bucket = :name_bucket, "
        "document = :document, name_key = :name_key, search_text = :search_text, "
        "check_status = :check_status WHERE tenant_id = :tenant_id AND id = :id"
    ).bindparams(sa.bindparam("document", type_=sa.LargeBinary()))
    insert_key = sa.text(
        "INSERT INTO contact_keys (tenant_id, field, value, contact_id) "
        "VALUES (:tenant_id, :field, :value, :contact_id)"
    )
    pending: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    for tenant_id, contact_id, document in list(_latest_documents()):
        contact = contact_from_json(document)
        columns = stored_columns(contact, document)
        wanted = ("country_code", "name_bucket", "document", "name_key", "search_text")
        pending.append(
            {
                **{name: columns[name] for name in (*wanted, "check_status")},
                "tenant_id": tenant_id,
                "id": contact_id,
            }
        )
        keys += [
            {"tenant_id": tenant_id, "field": f, "value": v, "contact_id": contact_id}
            for f, v in lookup_keys(contact)
        ]
        if len(pending) >= BATCH:
            bind.execute(update, pending)
            pending = []
    if pending:
        bind.execute(update, pending)
    if keys:
        bind.execute(insert_key, keys)
    # Contacts without any history cannot be rebuilt; there are none unless rows were
    # written around the service.
    bind.execute(sa.text("DELETE FROM contacts WHERE document IS NULL"))
    with op.batch_alter_table("contacts") as batch:
        for name in OLD_CONTACT_COLUMNS:
            batch.drop_column(name)
        for name in REQUIRED_NEW_COLUMNS:
            batch.alter_column(name, existing_nullable=True, nullable=False)
        batch.alter_column("number", type_=sa.BigInteger(), existing_nullable=False)
        batch.alter_column("check_status", server_default=None, existing_nullable=False)


def _converted(events: list[sa.Row[Any]]) -> Iterator[dict[str, Any]]:
    """One contact's events, oldest first, in the new form."""
    previous: dict[str, Any] | None = None
    for event in events:
        snapshot = event.snapshot
        document = None if snapshot is None else orjson.loads(snapshot)
        old_changes = (
            orjson.loads(event.changes) if isinstance(event.changes, str) else event.changes
        )
        entries: list[Any] = []
        keep = snapshot is not None and (needs_snapshot(event.version) or previous is None)
        if event.type not in ("created", "deleted") and document is not None and previous:
            entries = document_diff(previous, document)
            derived = {(c.path, orjson.dumps(c.old), orjson.dumps(c.new)) for c in visible(entries)}
            entries += [
                note(c["path"], c["old"], c["new"])
                for c in old_changes
                if (c["path"], orjson.dumps(c["old"]), orjson.dumps(c["new"])) not in derived
            ]
        previous = document
        yield {
            "tenant_id": event.tenant_id,
            "sequence": event.sequence,
            "changes_v2": entries,
            "snapshot_v2": pack(snapshot.encode()) if keep and snapshot else None,
        }


def _events() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("contact_events") as batch:
        batch.add_column(sa.Column("changes_v2", sa.JSON()))
        batch.add_column(sa.Column("snapshot_v2", sa.LargeBinary()))
    update = sa.text(
        "UPDATE contact_events SET changes_v2 = :changes_v2, snapshot_v2 = :snapshot_v2 "
        "WHERE tenant_id = :tenant_id AND sequence = :sequence"
    ).bindparams(
        sa.bindparam("snapshot_v2", type_=sa.LargeBinary()),
        sa.bindparam("changes_v2", type_=sa.JSON()),
    )
    ordered = (
        "SELECT tenant_id, sequence, contact_id, type, version, changes, snapshot "
        "FROM contact_events ORDER BY tenant_id, contact_id, sequence"
    )
    pending: list[dict[str, Any]] = []
    group: list[sa.Row[Any]] = []
    for row in list(_rows(ordered)):
        if group and (row.tenant_id, row.contact_id) != (group[0].tenant_id, group[0].contact_id):
            pending += _converted(group)
            group = []
        group.append(row)
        if len(pending) >= BATCH:
            bind.execute(update, pending)
            pending = []
    pending += _converted(group) if group else []
    if pending:
        bind.execute(update, pending)
    with op.batch_alter_table("contact_events", **_clustered()) as batch:
        batch.drop_column("changes")
        batch.drop_column("snapshot")
        batch.alter_column(
            "changes_v2", new_column_name="changes", existing_nullable=True, nullable=False
        )
        batch.alter_column("snapshot_v2", new_column_name="snapshot", existing_nullable=True)
        batch.alter_column("contact_number", type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    raise NotImplementedError(
        "history kept as differences cannot be turned back into per-version snapshots "
        "without the whole history; restore the backup taken before upgrading"
    )
