"""All SQL about tenants, their API keys and their counters. Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, exists, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from counterparty.db.driver import Driver
from counterparty.db.search import search_marker
from counterparty.db.tables import api_keys, tenant_counters, tenants
from counterparty.db.values import Values
from counterparty.domain.tenancy import ApiKey, Principal, Tenant


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _tenant(row: Mapping[Any, Any]) -> Tenant:
    return Tenant(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        cursor_secret=bytes(row["cursor_secret"]),
        created_at=_utc(row["created_at"]),  # type: ignore[arg-type]
        validation_policy=row["validation_policy"],
        auth_epoch=int(row["auth_epoch"]),
        retention_fields=tuple(filter(None, row["retention_fields"].split(","))),
    )


def _key(row: Mapping[Any, Any]) -> ApiKey:
    return ApiKey(
        tenant_id=row["tenant_id"],
        id=row["id"],
        display_prefix=row["display_prefix"],
        name=row["name"],
        created_at=_utc(row["created_at"]),  # type: ignore[arg-type]
        last_used_at=_utc(row["last_used_at"]),
        revoked_at=_utc(row["revoked_at"]),
    )


_KEY_COLUMNS = [column for column in api_keys.c if column.name != "key_hash"]
# The duplicate policy is read by the few writes that need it (duplicate_policy below).
_TENANT_COLUMNS = [
    column for column in tenants.c if column.name not in ("search_marker", "duplicate_policy")
]
# Every request runs this: built once, with the hash as a bound parameter.
_PRINCIPAL = (
    select(*_KEY_COLUMNS, *(column.label(f"t_{column.name}") for column in _TENANT_COLUMNS))
    .join(tenants, tenants.c.id == api_keys.c.tenant_id)
    .where(api_keys.c.key_hash == bindparam("key_hash"))
)


_EPOCH = "SELECT auth_epoch FROM tenants WHERE id = ?"
_BUMP_EPOCH = update(tenants).values(auth_epoch=tenants.c.auth_epoch + 1)
# A counter moves by `count` in one statement; its row lock orders the tenant's writers.
_ADVANCE = (
    "UPDATE tenant_counters SET value = value + ? WHERE tenant_id = ? AND name = ? RETURNING value"
)


class TenantTable:
    def __init__(self, connection: Connection, driver: Driver, values: Values) -> None:
        self._connection = connection
        self._driver = driver
        self._values = values
        self._epoch = values.sql(_EPOCH)
        self._advance = values.sql(_ADVANCE)

    def add(self, tenant: Tenant) -> None:
        self._connection.execute(
            insert(tenants),
            {
                **vars(tenant),
                "retention_fields": ",".join(tenant.retention_fields),
                "search_marker": search_marker(tenant.id),
            },
        )

    def get_by_slug(self, slug: str) -> Tenant | None:
        row = (
            self._connection.execute(select(*_TENANT_COLUMNS).where(tenants.c.slug == slug))
            .mappings()
            .first()
        )
        return None if row is None else _tenant(row)

    def update(self, tenant: Tenant) -> None:
        """Change the tenant's settings; cached credentials see the new ones at once."""
        self._connection.execute(
            _BUMP_EPOCH.where(tenants.c.id == tenant.id).values(
                name=tenant.name,
                validation_policy=tenant.validation_policy,
                retention_fields=",".join(tenant.retention_fields),
            )
        )

    def duplicate_policy(self, tenant_id: UUID) -> str:
        found = self._connection.execute(
            select(tenants.c.duplicate_policy).where(tenants.c.id == tenant_id)
        ).scalar()
        return str(found or "warn")

    def set_duplicate_policy(self, tenant_id: UUID, policy: str) -> None:
        self._connection.execute(
            update(tenants).where(tenants.c.id == tenant_id).values(duplicate_policy=policy)
        )

    def auth_epoch(self, tenant_id: UUID) -> int | None:
        """The tenant's credential epoch (None: no such tenant); read on every request."""
        row = self._driver.execute(self._epoch, (self._values.uuid(tenant_id),)).fetchone()
        return None if row is None else int(row[0])

    def list_all(self) -> Sequence[Tenant]:
        rows = self._connection.execute(
            select(*_TENANT_COLUMNS).order_by(tenants.c.slug)
        ).mappings()
        return [_tenant(row) for row in rows]

    def any_exists(self) -> bool:
        return bool(self._connection.execute(select(exists().select_from(tenants))).scalar())

    def next_value(self, tenant_id: UUID, counter: str) -> int:
        """Next value of a per-tenant counter. The row lock it takes orders concurrent
        writers of one tenant, so values follow commit order."""
        return self.reserve(tenant_id, counter, 1)

    def reserve(self, tenant_id: UUID, counter: str, count: int) -> int:
        """Take `count` consecutive values of a per-tenant counter; returns the last one."""
        row = self._driver.execute(
            self._advance, (count, self._values.uuid(tenant_id), counter)
        ).fetchone()
        if row is not None:
            return int(row[0])
        # The counter's first use: created by an upsert (rare, so through SQLAlchemy).
        statement = _NEXT_VALUE[self._connection.dialect.name]
        return int(
            self._connection.execute(
                statement, {"tenant_id": tenant_id, "name": counter, "count": count}
            ).scalar_one()
        )


def _next_value(dialect_insert: Any) -> Any:
    return (
        dialect_insert(tenant_counters)
        .values(tenant_id=bindparam("tenant_id"), name=bindparam("name"), value=bindparam("count"))
        .on_conflict_do_update(
            index_elements=["tenant_id", "name"],
            set_={"value": tenant_counters.c.value + bindparam("count")},
        )
        .returning(tenant_counters.c.value)
    )


_NEXT_VALUE = {"postgresql": _next_value(postgresql_insert), "sqlite": _next_value(sqlite_insert)}


class ApiKeyTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, key: ApiKey, key_hash: str) -> None:
        self._connection.execute(insert(api_keys), {**vars(key), "key_hash": key_hash})

    def principal_for(self, key_hash: str) -> tuple[Principal, ApiKey] | None:
        row = self._connection.execute(_PRINCIPAL, {"key_hash": key_hash}).mappings().first()
        if row is None:
            return None
        tenant = _tenant({column.name: row[f"t_{column.name}"] for column in _TENANT_COLUMNS})
        key = _key(row)
        return Principal(tenant=tenant, api_key_id=key.id), key

    def list_for_tenant(self, tenant_id: UUID) -> Sequence[ApiKey]:
        rows = self._connection.execute(
            select(*_KEY_COLUMNS)
            .where(api_keys.c.tenant_id == tenant_id)
            .order_by(api_keys.c.created_at)
        ).mappings()
        return [_key(row) for row in rows]

    def find_by_prefix(self, display_prefix: str) -> Sequence[ApiKey]:
        rows = self._connection.execute(
            select(*_KEY_COLUMNS).where(api_keys.c.display_prefix.startswith(display_prefix))
        ).mappings()
        return [_key(row) for row in rows]

    def revoke(self, tenant_id: UUID, key_id: UUID, at: datetime) -> None:
        """Revoke a key and raise its tenant's epoch: every process stops accepting it with
        the next request."""
        self._connection.execute(
            update(api_keys)
            .where(api_keys.c.tenant_id == tenant_id, api_keys.c.id == key_id)
            .values(revoked_at=at)
        )
        self._connection.execute(_BUMP_EPOCH.where(tenants.c.id == tenant_id))

    def touch(self, tenant_id: UUID, key_id: UUID, at: datetime) -> None:
        self._connection.execute(
            update(api_keys)
            .where(api_keys.c.tenant_id == tenant_id, api_keys.c.id == key_id)
            .values(last_used_at=at)
        )
