"""The import tables (issue 9), on the schema's one metadata (db/tables.py imports this).

An import job's row is updated in the same transaction as each batch of contacts it writes,
with that batch's per-row results, so what the job says was done is exactly what was
committed: a job killed in the middle resumes after `last_row`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
)

from counterparty.db.tables import UtcDateTime, metadata

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("file_name", String(500)),
    Column("options", JSON, nullable=False),  # the options as given, to resume with
    Column("dry_run", Boolean, nullable=False),
    Column("last_row", BigInteger, nullable=False),  # rows up to it are committed
    Column("rows_done", BigInteger, nullable=False),
    Column("created", BigInteger, nullable=False),
    Column("updated", BigInteger, nullable=False),
    Column("unchanged", BigInteger, nullable=False),
    Column("failed", BigInteger, nullable=False),
    Column("seconds", Float, nullable=False),  # time spent running, over every run
    Column("error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),  # also the heartbeat of a running job
    Column("finished_at", UtcDateTime),
    Column("rows_total", BigInteger),  # the file's last row number, when known (migration 0013)
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

import_results = Table(
    "import_results",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("job_id", Uuid, nullable=False),
    Column("row", BigInteger, nullable=False, autoincrement=False),
    Column("action", String(10), nullable=False),
    Column("contact_id", Uuid),
    Column("errors", JSON, nullable=False),
    PrimaryKeyConstraint("tenant_id", "job_id", "row"),
    ForeignKeyConstraint(
        ["tenant_id", "job_id"], ["import_jobs.tenant_id", "import_jobs.id"], ondelete="CASCADE"
    ),
)
