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
    Date,
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
    Column("value", Integer, nullable=False),
    PrimaryKeyConstraint("tenant_id", "name"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

ADDRESS_PREFIX = "address_"
GDPR_PREFIX = "gdpr_"

contacts = Table(
    "contacts",
    metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_key", String(400), nullable=False),
    Column("first_name", String(100)),
    Column("last_name", String(100)),
    Column("title", String(50)),
    Column("is_customer", Boolean, nullable=False),
    Column("is_supplier", Boolean, nullable=False),
    Column("external_ref", String(100)),
    Column("parent_id", Uuid),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("mobile", String(32)),
    Column("fax", String(32)),
    Column("website", String(200)),
    Column("tax_id", String(32)),
    Column("tax_office", String(100)),
    Column("vat_number", String(32)),
    Column("registration_number", String(32)),
    Column("peppol_id", String(64)),
    Column("einvoice_enabled", Boolean, nullable=False),
    Column("address_street", String(200)),
    Column("address_street2", String(200)),
    Column("address_box", String(20)),
    Column("address_postal_code", String(20)),
    Column("address_city", String(200)),
    Column("address_district", String(200)),
    Column("address_state", String(200)),
    Column("address_country_code", String(2)),
    Column("address_attention", String(200)),
    Column("bank_accounts", JSON, nullable=False),
    Column("contact_persons", JSON, nullable=False),
    Column("language", String(2)),
    Column("currency", String(3)),
    Column("payment_terms_days", Integer),
    Column("discount_percent_x100", Integer),  # hundredths: exact on every backend
    Column("send_reminders", Boolean, nullable=False),
    Column("birth_date", Date),
    Column("notes", Text),
    Column("tags", JSON, nullable=False),
    Column("custom_fields", JSON, nullable=False),
    Column("gdpr_consent", String(16), nullable=False),
    Column("gdpr_changed_at", UtcDateTime),
    Column("gdpr_changed_by", String(100)),
    Column("gdpr_reason", String(500)),
    Column("extensions", JSON, nullable=False),
    Column("archived", Boolean, nullable=False),
    Column("archived_at", UtcDateTime),
    Column("checks", JSON, nullable=False),
    # The worst status in `checks`, so "which contacts need fixing" is a plain filter.
    Column("check_status", String(12), nullable=False, server_default="valid"),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("search_text", Text, nullable=False),
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
    Column("contact_number", Integer, nullable=False),
    Column("type", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("changes", JSON, nullable=False),
    Column("api_key_id", Uuid),
    Column("entry_point", String(40), nullable=False),
    Column("request_id", String(128)),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("snapshot", Text),
    PrimaryKeyConstraint("tenant_id", "sequence"),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index(None, "tenant_id", "contact_id", "sequence"),
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
