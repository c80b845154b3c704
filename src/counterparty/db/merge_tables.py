"""The merge tables (issue 10), on the schema's one metadata (db/tables.py imports this).

A merged contact's row leaves `contacts` (so lists, searches and duplicates never see it);
`contact_aliases` keeps its id and number pointing at the survivor, and `contact_merges`
what an unmerge needs to bring it back.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    Uuid,
)

from counterparty.db.tables import UtcDateTime, metadata

contact_merges = Table(
    "contact_merges",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("survivor_id", Uuid, nullable=False),
    Column("merged_at", UtcDateTime, nullable=False),
    # The survivor before and after, the choices, each merged contact's document, children
    # and secret hashes (domain/merging.py, MergeRecord.dump).
    Column("record", JSON, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index(None, "tenant_id", "survivor_id"),
)

contact_aliases = Table(
    "contact_aliases",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("contact_id", Uuid, nullable=False),
    Column("number", BigInteger, nullable=False, autoincrement=False),
    Column("survivor_id", Uuid, nullable=False),
    Column("merge_id", Uuid, nullable=False),
    PrimaryKeyConstraint("tenant_id", "contact_id"),
    UniqueConstraint("tenant_id", "number"),
    ForeignKeyConstraint(
        ["tenant_id", "merge_id"], ["contact_merges.tenant_id", "contact_merges.id"]
    ),
    Index(None, "tenant_id", "survivor_id"),
)
