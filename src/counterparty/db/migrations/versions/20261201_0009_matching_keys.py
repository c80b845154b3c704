"""matching keys: every contact's IBANs, e-mail, phones and name block in contact_keys;
the tenants' duplicate_policy

contact_keys held the identifiers a batch matches on; duplicate detection finds contacts by
more (domain/duplicates.py). The keys of every stored contact are derived again from its
document, in batches, so that the table holds exactly what the write path now writes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from counterparty.db.codec import unpack
from counterparty.db.contacts import lookup_keys
from counterparty.domain.documents import contact_from_json

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 2000
# The fields this revision adds; the batch's identifiers were there before.
NEW_FIELDS = ("iban", "email", "phone", "name")


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(
            sa.Column("duplicate_policy", sa.String(10), server_default="warn", nullable=False)
        )
    bind = op.get_bind()
    insert = sa.text(
        "INSERT INTO contact_keys (tenant_id, field, value, contact_id) "
        "VALUES (:tenant_id, :field, :value, :contact_id)"
    ).bindparams(
        sa.bindparam("tenant_id", type_=sa.Uuid()), sa.bindparam("contact_id", type_=sa.Uuid())
    )
    bind.execute(sa.text("DELETE FROM contact_keys"))
    rows = bind.execute(
        sa.text("SELECT tenant_id, id, document FROM contacts").columns(
            sa.column("tenant_id", sa.Uuid()),
            sa.column("id", sa.Uuid()),
            sa.column("document", sa.LargeBinary()),
        ),
        execution_options={"yield_per": BATCH},
    )
    pending: list[dict[str, Any]] = []
    for tenant_id, contact_id, document in rows:
        contact = contact_from_json(unpack(bytes(document)))
        pending += [
            {"tenant_id": tenant_id, "field": field, "value": value, "contact_id": contact_id}
            for field, value in lookup_keys(contact)
        ]
        if len(pending) >= BATCH:
            bind.execute(insert, pending)
            pending = []
    if pending:
        bind.execute(insert, pending)


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): copying `tenants` would break the keys naming it.
    op.drop_column("tenants", "duplicate_policy")
    op.get_bind().execute(
        sa.text("DELETE FROM contact_keys WHERE field IN :fields").bindparams(
            sa.bindparam("fields", NEW_FIELDS, expanding=True)
        )
    )
