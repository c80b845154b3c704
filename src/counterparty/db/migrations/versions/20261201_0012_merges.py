"""merges: aliases of merged contacts and what an unmerge needs

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_merges",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_contact_merges_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_contact_merges")),
    )
    op.create_index(
        op.f("ix_contact_merges_tenant_id_survivor_id"),
        "contact_merges",
        ["tenant_id", "survivor_id"],
    )
    op.create_table(
        "contact_aliases",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("merge_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "merge_id"],
            ["contact_merges.tenant_id", "contact_merges.id"],
            name=op.f("fk_contact_aliases_tenant_id_merge_id_contact_merges"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "contact_id", name=op.f("pk_contact_aliases")),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_contact_aliases_tenant_id_number")
        ),
    )
    op.create_index(
        op.f("ix_contact_aliases_tenant_id_survivor_id"),
        "contact_aliases",
        ["tenant_id", "survivor_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_aliases_tenant_id_survivor_id"), table_name="contact_aliases")
    op.drop_table("contact_aliases")
    op.drop_index(op.f("ix_contact_merges_tenant_id_survivor_id"), table_name="contact_merges")
    op.drop_table("contact_merges")
