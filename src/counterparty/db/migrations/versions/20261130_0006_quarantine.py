"""Repair stored values that earlier versions accepted and no longer may

Text with control characters (SQLite stored them; PostgreSQL never could) and extensions
nested deeper than the limit (they broke the change feed and history once past a few hundred
levels) are repaired in contacts, snapshots and history entries: control characters dropped,
too-deep values replaced by "[quarantined]". Each original goes to the `quarantine` table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa
from alembic import op

from counterparty.db.codec import pack, unpack
from counterparty.domain.extensions import MAX_DEPTH, repair
from counterparty.domain.ids import new_id

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# A contact's own members nest at most three levels; its extensions start two levels down.
DOCUMENT_DEPTH = MAX_DEPTH + 2


def upgrade() -> None:
    op.create_table(
        "quarantine",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=True),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("original", sa.LargeBinary(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_quarantine_tenant_id_tenants"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_quarantine"),
    )
    quarantine = sa.table(
        "quarantine",
        *(sa.column(name, sa.Uuid()) for name in ("tenant_id", "id", "contact_id")),
        sa.column("sequence"),
        sa.column("place"),
        sa.column("path", sa.JSON()),
        sa.column("original", sa.LargeBinary()),
        sa.column("quarantined_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    moment = datetime.now(UTC)
    kept: list[dict[str, Any]] = []

    def keep(row: Any, sequence: int | None, place: str, removed: list[Any]) -> None:
        kept.extend(
            {
                "tenant_id": _uuid(row.tenant_id),
                "id": new_id(),
                "contact_id": _uuid(row.contact_id),
                "sequence": sequence,
                "place": place,
                "path": path,
                # The standard encoder reads deeper than orjson's limit of 254 levels.
                "original": pack(json.dumps(original).encode()),
                "quarantined_at": moment,
            }
            for path, original in removed
        )

    documents = "SELECT tenant_id, id AS contact_id, document FROM contacts"
    for row in list(bind.execute(sa.text(documents))):
        fixed, removed = repair(orjson.loads(unpack(row.document)), DOCUMENT_DEPTH)
        if removed:
            keep(row, None, "document", removed)
            bind.execute(
                sa.text(
                    "UPDATE contacts SET document = :document "
                    "WHERE tenant_id = :tenant_id AND id = :id"
                ).bindparams(sa.bindparam("document", type_=sa.LargeBinary())),
                {"document": pack(orjson.dumps(fixed)), "tenant_id": row.tenant_id,
                 "id": row.contact_id},
            )  # fmt: skip
    events = "SELECT tenant_id, sequence, contact_id, changes, snapshot FROM contact_events"
    for row in list(bind.execute(sa.text(events))):
        _repair_event(bind, row, keep)
    if kept:
        bind.execute(sa.insert(quarantine), kept)


def _uuid(value: Any) -> UUID:
    """Raw rows give 32 hex digits on SQLite and UUIDs on PostgreSQL."""
    return value if isinstance(value, UUID) else UUID(value)


def _repair_event(bind: Any, row: Any, keep: Any) -> None:
    changes = orjson.loads(row.changes) if isinstance(row.changes, str) else row.changes
    repaired_changes, changed = [], False
    for entry in changes:
        where = entry[0]
        depth = max(DOCUMENT_DEPTH - (len(where) if isinstance(where, list) else 1), 1)
        values = []
        for side, value in ((1, entry[1]), (2, entry[2])):
            fixed, removed = repair(value, depth)
            if removed:
                changed = True
                keep(row, row.sequence, "changes", [([side, *path], o) for path, o in removed])
            values.append(fixed)
        repaired_changes.append([where, *values, *entry[3:]])
    snapshot = None
    if row.snapshot is not None:
        fixed, removed = repair(orjson.loads(unpack(row.snapshot)), DOCUMENT_DEPTH)
        if removed:
            keep(row, row.sequence, "snapshot", removed)
            snapshot = pack(orjson.dumps(fixed))
    if changed or snapshot is not None:
        bind.execute(
            sa.text(
                "UPDATE contact_events SET changes = :changes, snapshot = :snapshot "
                "WHERE tenant_id = :tenant_id AND sequence = :sequence"
            ).bindparams(
                sa.bindparam("changes", type_=sa.JSON()),
                sa.bindparam("snapshot", type_=sa.LargeBinary()),
            ),
            {
                "changes": repaired_changes,
                "snapshot": snapshot if snapshot is not None else row.snapshot,
                "tenant_id": row.tenant_id,
                "sequence": row.sequence,
            },
        )


def downgrade() -> None:
    op.drop_table("quarantine")
