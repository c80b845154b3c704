"""The webhook tables (issue 11), on the schema's one metadata (db/tables.py imports this).

`webhook_tenants` is a directory like `tenants`: the tenants that have endpoints, which
deliverers walk so that no query looks across tenants for work. Every other table is
tenant-scoped with `tenant_id` leading its keys.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
)

from counterparty.db.tables import UtcDateTime, metadata

webhook_tenants = Table(
    "webhook_tenants",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    PrimaryKeyConstraint("tenant_id"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("url", String(2000), nullable=False),
    Column("description", String(500)),
    Column("events", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    # Signing secrets, encrypted (db/secret_box.py); the previous one signs too until
    # `previous_secret_until` (24 hours after a rotation).
    Column("secret", LargeBinary, nullable=False),
    Column("previous_secret", LargeBinary),
    Column("previous_secret_until", UtcDateTime),
    # The tenant's last event sequence when the endpoint was created or enabled: it
    # receives the events after it.
    Column("starts_after", BigInteger, nullable=False),
    Column("failing_since", UtcDateTime),
    Column("disabled_reason", String(500)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(["tenant_id"], ["webhook_tenants.tenant_id"]),
)

# Events to deliver, written by the change's own transaction and taken away when the
# deliverer has made their deliveries. No foreign key: the insert is on every write path,
# and a row lives for a second or two.
webhook_outbox = Table(
    "webhook_outbox",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("sequence", BigInteger, nullable=False, autoincrement=False),
    PrimaryKeyConstraint("tenant_id", "sequence"),
    sqlite_with_rowid=False,
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("endpoint_id", Uuid, nullable=False),
    Column("sequence", BigInteger),  # the event's (null for a test event)
    Column("contact_id", Uuid),
    Column("event_type", String(40), nullable=False),
    Column("state", String(10), nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False),
    Column("retries_left", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    # A deliverer's claim: until then no other deliverer sends it.
    Column("lease_until", UtcDateTime),
    Column("lease_token", Uuid),
    Column("last_status", Integer),
    Column("last_error", String(500)),
    Column("last_duration_ms", Integer),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(
        ["tenant_id", "endpoint_id"],
        ["webhook_endpoints.tenant_id", "webhook_endpoints.id"],
        ondelete="CASCADE",
    ),
    Index("ix_webhook_deliveries_listing", "tenant_id", "endpoint_id", "id"),
    # In claim order (migration 0014), so a claim never sorts the whole backlog.
    Index("ix_webhook_deliveries_due", "tenant_id", "state", "next_attempt_at", "sequence"),
    # A contact's next event waits for its previous one at the same endpoint.
    Index(
        "ix_webhook_deliveries_contact_order",
        "tenant_id",
        "endpoint_id",
        "contact_id",
        "state",
        "sequence",
    ),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("delivery_id", Uuid, nullable=False),
    Column("number", Integer, nullable=False, autoincrement=False),
    Column("attempted_at", UtcDateTime, nullable=False),
    Column("request_headers", JSON, nullable=False),
    Column("status", Integer),
    Column("response", Text),  # the first 4 KB
    Column("error", String(500)),
    Column("duration_ms", Integer, nullable=False),
    PrimaryKeyConstraint("tenant_id", "delivery_id", "number"),
    ForeignKeyConstraint(
        ["tenant_id", "delivery_id"],
        ["webhook_deliveries.tenant_id", "webhook_deliveries.id"],
        ondelete="CASCADE",
    ),
)
