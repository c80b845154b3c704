"""retention fields: what a GDPR erasure keeps, per tenant

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "retention_fields",
                sa.String(length=400),
                server_default="name,tax_id,vat_number,address",
                nullable=False,
            )
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): copying `tenants` would break the keys naming it.
    op.drop_column("tenants", "retention_fields")
