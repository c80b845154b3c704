"""All SQL about idempotency records. Never commits."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Connection, delete, insert, select, update

from counterparty.db.tables import idempotency_keys
from counterparty.domain.idempotency import IdempotencyRecord, StoredResponse


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class IdempotencyTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _key(self, tenant_id: UUID, api_key_id: UUID, key: str) -> list[object]:
        return [
            idempotency_keys.c.tenant_id == tenant_id,
            idempotency_keys.c.api_key_id == api_key_id,
            idempotency_keys.c.idempotency_key == key,
        ]

    def get(self, tenant_id: UUID, api_key_id: UUID, key: str) -> IdempotencyRecord | None:
        row = (
            self._connection.execute(
                select(idempotency_keys).where(*self._key(tenant_id, api_key_id, key))  # type: ignore[arg-type]
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        response = None
        if row["state"] == "done":
            response = StoredResponse(
                row["status"], dict(row["headers"]), row["body"].encode("utf-8")
            )
        return IdempotencyRecord(
            row["fingerprint"],
            row["state"],
            response,
            _utc(row["created_at"]),
            _utc(row["expires_at"]),
        )

    def claim(
        self,
        tenant_id: UUID,
        api_key_id: UUID,
        key: str,
        fingerprint: str,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        self._connection.execute(
            insert(idempotency_keys),
            {
                "tenant_id": tenant_id,
                "api_key_id": api_key_id,
                "idempotency_key": key,
                "fingerprint": fingerprint,
                "state": "running",
                "created_at": now,
                "expires_at": expires_at,
            },
        )

    def complete(
        self, tenant_id: UUID, api_key_id: UUID, key: str, response: StoredResponse
    ) -> None:
        self._connection.execute(
            update(idempotency_keys)
            .where(*self._key(tenant_id, api_key_id, key))  # type: ignore[arg-type]
            .values(
                state="done",
                status=response.status,
                headers=response.headers,
                body=response.body.decode("utf-8"),
            )
        )

    def release(self, tenant_id: UUID, api_key_id: UUID, key: str) -> None:
        self._connection.execute(
            delete(idempotency_keys).where(*self._key(tenant_id, api_key_id, key))  # type: ignore[arg-type]
        )

    def purge_expired(self, tenant_id: UUID, now: datetime) -> None:
        self._connection.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.expires_at < now
            )
        )
