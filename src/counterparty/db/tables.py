"""The schema. Every tenant-scoped table leads its primary key and unique keys with
tenant_id, so that it can be distributed by tenant (Citus) without change. `tenants`
and `api_keys` are the small directory that authentication reads before a tenant is
known: in a distributed database they are reference tables."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

UtcDateTime = DateTime(timezone=True)

tenants = Table(
    "tenants",
    metadata,
    Column("id", Uuid, nullable=False),
    Column("slug", String(63), nullable=False),
    Column("name", String(200), nullable=False),
    Column("cursor_secret", LargeBinary(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("validation_policy", String(10), nullable=False, server_default="strict"),
    # Raised by every change that must reach cached credentials at once (a revoked key, new
    # settings): each request compares it with the value its cached key was verified under.
    Column("auth_epoch", BigInteger, nullable=False, server_default="0"),
    # Three private-use characters that SQLite's search index adds to each of the tenant's
    # contacts, so that a search reads only its own tenant's matches (db/search.py).
    Column("search_marker", String(3), nullable=False, server_default=""),
    # The fields a GDPR erasure keeps for bookkeeping, comma-separated (domain/erasure.py).
    Column(
        "retention_fields",
        String(400),
        nullable=False,
        server_default="name,tax_id,vat_number,address",
    ),
    # "warn" or "refuse" a write whose identifiers another active contact has (issue 10).
    Column("duplicate_policy", String(10), nullable=False, server_default="warn"),
    PrimaryKeyConstraint("id"),
    UniqueConstraint("slug"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("display_prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("name", String(100)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index(None, "key_hash"),
    Index(None, "display_prefix"),
)

tenant_counters = Table(
    "tenant_counters",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("name", String(40), nullable=False),
    Column("value", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant_id", "name"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    # Clustered by the primary key on SQLite: no separate rowid b-tree to write and store.
    sqlite_with_rowid=False,
)

contacts = Table(
    "contacts",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("number", BigInteger, nullable=False, autoincrement=False),
    Column("version", Integer, nullable=False),
    # What lists filter and sort by; everything else is only in `document`.
    Column("kind", String(10), nullable=False),
    Column("name_key", String(400), nullable=False),
    Column("is_customer", Boolean, nullable=False),
    Column("is_supplier", Boolean, nullable=False),
    Column("external_ref", String(100)),
    Column("parent_id", Uuid),
    Column("country_code", String(2)),
    Column("archived", Boolean, nullable=False),
    # The worst status in `checks`, so "which contacts need fixing" is a plain filter.
    Column("check_status", String(12), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("search_text", Text, nullable=False),
    # The first characters of name_key as an order-preserving number: SQLite's search index
    # numbers its rows by it, so matches come out nearly in name order (db/search.py).
    Column("name_bucket", Integer, nullable=False),
    # The contact's JSON exactly as reads return it, compressed (db/codec.py).
    Column("document", LargeBinary, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "number"),
    UniqueConstraint("tenant_id", "external_ref"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    ForeignKeyConstraint(["tenant_id", "parent_id"], ["contacts.tenant_id", "contacts.id"]),
    Index(None, "tenant_id", "name_key", "id"),
    Index(None, "tenant_id", "updated_at", "id"),
    Index(None, "tenant_id", "parent_id"),
)

contact_tags = Table(
    "contact_tags",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("contact_id", Uuid, nullable=False),
    Column("tag", String(50), nullable=False),
    PrimaryKeyConstraint("tenant_id", "contact_id", "tag"),
    ForeignKeyConstraint(
        ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"], ondelete="CASCADE"
    ),
    Index(None, "tenant_id", "tag"),
    # Clustered by the primary key on SQLite: no separate rowid b-tree to write and store.
    sqlite_with_rowid=False,
)

# Identifier values a contact can be found by (the batch's match_on): one row per value.
contact_keys = Table(
    "contact_keys",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("field", String(32), nullable=False),
    Column("value", String(64), nullable=False),
    Column("contact_id", Uuid, nullable=False),
    PrimaryKeyConstraint("tenant_id", "field", "value", "contact_id"),
    ForeignKeyConstraint(
        ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"], ondelete="CASCADE"
    ),
    Index(None, "tenant_id", "contact_id"),
    # Clustered by the primary key on SQLite: no separate rowid b-tree to write and store.
    sqlite_with_rowid=False,
)

contact_secrets = Table(
    "contact_secrets",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("contact_id", Uuid, nullable=False),
    Column("name", String(40), nullable=False),
    Column("secret_hash", String(200), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "contact_id", "name"),
    ForeignKeyConstraint(
        ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"], ondelete="CASCADE"
    ),
)

# History and change feed: one row per change, never updated, kept when the contact is deleted.
contact_events = Table(
    "contact_events",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("sequence", BigInteger, nullable=False, autoincrement=False),
    Column("contact_id", Uuid, nullable=False),
    Column("contact_number", BigInteger, nullable=False),
    Column("type", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    # Field-level changes (domain/history.py); a full snapshot only every SNAPSHOT_EVERY
    # versions, from which /versions/{n} is rebuilt (services/history.py).
    Column("changes", JSON, nullable=False),
    Column("api_key_id", Uuid),
    Column("entry_point", String(40), nullable=False),
    Column("request_id", String(128)),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("snapshot", LargeBinary),
    PrimaryKeyConstraint("tenant_id", "sequence"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index(None, "tenant_id", "contact_id", "sequence"),
    # Clustered by the primary key on SQLite: no separate rowid b-tree to write and store.
    sqlite_with_rowid=False,
)

# Values a repair took out of stored contacts and history (migration 0006): what earlier
# versions accepted and no longer may be stored (text with control characters, extensions
# nested too deep), kept as it was, compressed.
quarantine = Table(
    "quarantine",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("contact_id", Uuid, nullable=False),
    Column("sequence", BigInteger),  # the event's, for a value taken out of the history
    Column("place", String(16), nullable=False),  # document, snapshot or changes
    Column("path", JSON, nullable=False),
    Column("original", LargeBinary, nullable=False),
    Column("quarantined_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("api_key_id", Uuid, nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("status", Integer),
    Column("headers", JSON),
    Column("body", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "api_key_id", "idempotency_key"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index(None, "tenant_id", "expires_at"),
)


# Objects the search-index migration creates outside this metadata (SQLite FTS5 tables,
# PostgreSQL's trigram index): autogenerate and schema checks leave them alone.
UNDECLARED_PREFIXES = ("contacts_fts", "ix_contacts_search_text_trgm")


def is_declared(name: str | None, *_: object) -> bool:
    """Alembic `include_name` hook."""
    return not (name or "").startswith(UNDECLARED_PREFIXES)


# People of the web interface. Signing in reads `users` by e-mail and `web_sessions` by token
# hash before the tenant is known: like `api_keys`, they are directory tables.
users = Table(
    "users",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("email", String(254), nullable=False),
    Column("role", String(10), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("must_change_password", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
    # Failed sign-ins counted from the first failure of the current 15-minute window.
    Column("failed_sign_ins", Integer, nullable=False),
    Column("failures_since", UtcDateTime),
    Column("locked_until", UtcDateTime),
    Column("last_sign_in_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "email"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index(None, "email"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(
        ["tenant_id", "user_id"], ["users.tenant_id", "users.id"], ondelete="CASCADE"
    ),
    Index(None, "token_hash"),
    Index(None, "tenant_id", "user_id"),
)


# Webhooks, import jobs: their tables are declared in their own modules, on this metadata.
from counterparty.db import import_tables, merge_tables, webhook_tables  # noqa: E402, F401
