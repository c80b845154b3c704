"""deliveries due in claim order: the due index also holds the sequence

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DUE = "ix_webhook_deliveries_due"


def upgrade() -> None:
    # A claim takes the due deliveries by (next_attempt_at, sequence): with the sequence in the
    # index it reads them in that order instead of sorting every pending delivery.
    op.drop_index(DUE, table_name="webhook_deliveries")
    op.create_index(
        DUE, "webhook_deliveries", ["tenant_id", "state", "next_attempt_at", "sequence"]
    )


def downgrade() -> None:
    op.drop_index(DUE, table_name="webhook_deliveries")
    op.create_index(DUE, "webhook_deliveries", ["tenant_id", "state", "next_attempt_at"])
