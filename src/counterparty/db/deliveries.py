"""All SQL about webhook deliveries, their attempts and the outbox's rows. Never commits.

A deliverer claims deliveries with a lease (`lease_until`, `lease_token`): until the lease
ends no other deliverer takes them, and a deliverer that dies leaves them to be claimed again
when it has. On PostgreSQL the claim also skips rows another deliverer is claiming at that
moment (FOR UPDATE SKIP LOCKED); SQLite's writers take turns anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    exists,
    insert,
    null,
    or_,
    select,
    update,
)

from counterparty.db.history import _event
from counterparty.db.tables import contact_events
from counterparty.db.tenancy import _utc
from counterparty.db.webhook_tables import (
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
    webhook_outbox,
)
from counterparty.domain.history import ContactEvent
from counterparty.domain.webhooks import Attempt, Delivery, DeliveryState

_d = webhook_deliveries.c
_DELIVERY_COLUMNS = [
    column for column in webhook_deliveries.c if not column.name.startswith("lease")
]
_earlier = webhook_deliveries.alias("earlier")
# A contact's deliveries at one endpoint go out one at a time, in the order of its events.
_WAITS = exists().where(
    _earlier.c.tenant_id == _d.tenant_id,
    _earlier.c.endpoint_id == _d.endpoint_id,
    _earlier.c.contact_id == _d.contact_id,
    _earlier.c.state == "pending",
    or_(
        _earlier.c.sequence < _d.sequence,
        and_(_earlier.c.sequence == _d.sequence, _earlier.c.id < _d.id),
    ),
)
_CLAIMABLE = (
    select(_d.id)
    .join(
        webhook_endpoints,
        (webhook_endpoints.c.tenant_id == _d.tenant_id)
        & (webhook_endpoints.c.id == _d.endpoint_id),
    )
    .where(
        _d.tenant_id == bindparam("tenant_id"),
        _d.state == "pending",
        _d.next_attempt_at <= bindparam("now"),
        or_(_d.lease_until.is_(None), _d.lease_until < bindparam("now")),
        webhook_endpoints.c.enabled.is_(True),
        ~_WAITS,
    )
    .order_by(_d.next_attempt_at, _d.sequence)
    .limit(bindparam("limit"))
)
# What an attempt changes in its delivery.
_WRITTEN = (
    "state",
    "attempts",
    "retries_left",
    "next_attempt_at",
    "last_status",
    "last_error",
    "last_duration_ms",
    "finished_at",
)


def _delivery(row: Mapping[Any, Any]) -> Delivery:
    return Delivery(
        tenant_id=row["tenant_id"],
        id=row["id"],
        endpoint_id=row["endpoint_id"],
        sequence=row["sequence"],
        contact_id=row["contact_id"],
        event_type=row["event_type"],
        state=row["state"],
        attempts=row["attempts"],
        retries_left=row["retries_left"],
        next_attempt_at=_utc(row["next_attempt_at"]),  # type: ignore[arg-type]
        last_status=row["last_status"],
        last_error=row["last_error"],
        last_duration_ms=row["last_duration_ms"],
        created_at=_utc(row["created_at"]),  # type: ignore[arg-type]
        finished_at=_utc(row["finished_at"]),
    )


def _attempt(row: Mapping[Any, Any]) -> Attempt:
    return Attempt(
        number=row["number"],
        attempted_at=_utc(row["attempted_at"]),  # type: ignore[arg-type]
        request_headers=dict(row["request_headers"]),
        status=row["status"],
        response=row["response"],
        error=row["error"],
        duration_ms=row["duration_ms"],
    )


class DeliveryTable:
    def __init__(self, connection: Connection, *, lock: bool) -> None:
        self._connection = connection
        self._lock = lock  # a PostgreSQL write: claim rows with FOR UPDATE SKIP LOCKED

    def _locked(self, statement: Any) -> Any:
        return statement.with_for_update(skip_locked=True) if self._lock else statement

    def add_many(self, deliveries: Sequence[Delivery]) -> None:
        if deliveries:
            self._connection.execute(
                insert(webhook_deliveries),
                [
                    {**vars(delivery), "lease_until": None, "lease_token": None}
                    for delivery in deliveries
                ],
            )

    def get(self, tenant_id: UUID, delivery_id: UUID) -> Delivery | None:
        row = (
            self._connection.execute(
                select(*_DELIVERY_COLUMNS).where(_d.tenant_id == tenant_id, _d.id == delivery_id)
            )
            .mappings()
            .first()
        )
        return None if row is None else _delivery(row)

    def page(
        self,
        tenant_id: UUID,
        endpoint_id: UUID,
        before: UUID | None,
        limit: int,
        state: DeliveryState | None,
    ) -> Sequence[Delivery]:
        statement = select(*_DELIVERY_COLUMNS).where(
            _d.tenant_id == tenant_id, _d.endpoint_id == endpoint_id
        )
        if before is not None:
            statement = statement.where(_d.id < before)
        if state is not None:
            statement = statement.where(_d.state == state)
        rows = self._connection.execute(statement.order_by(_d.id.desc()).limit(limit)).mappings()
        return [_delivery(row) for row in rows]

    def attempts(self, tenant_id: UUID, delivery_id: UUID) -> Sequence[Attempt]:
        attempts = webhook_attempts.c
        rows = self._connection.execute(
            select(webhook_attempts)
            .where(attempts.tenant_id == tenant_id, attempts.delivery_id == delivery_id)
            .order_by(attempts.number)
        ).mappings()
        return [_attempt(row) for row in rows]

    def requeue(self, tenant_id: UUID, delivery_id: UUID, at: datetime) -> None:
        self._connection.execute(
            update(webhook_deliveries)
            .where(_d.tenant_id == tenant_id, _d.id == delivery_id)
            .values(state="pending", retries_left=0, next_attempt_at=at, finished_at=None)
        )

    # --- the outbox ----------------------------------------------------------------------

    def outbox(self, tenant_id: UUID, limit: int) -> Sequence[int]:
        statement = (
            select(webhook_outbox.c.sequence)
            .where(webhook_outbox.c.tenant_id == tenant_id)
            .order_by(webhook_outbox.c.sequence)
            .limit(limit)
        )
        return [
            int(sequence)
            for sequence in self._connection.execute(self._locked(statement)).scalars()
        ]

    def take_outbox(self, tenant_id: UUID, sequences: Sequence[int]) -> None:
        self._connection.execute(
            delete(webhook_outbox).where(
                webhook_outbox.c.tenant_id == tenant_id, webhook_outbox.c.sequence.in_(sequences)
            )
        )

    def events(self, tenant_id: UUID, sequences: Sequence[int]) -> Sequence[ContactEvent]:
        events = contact_events.c
        rows = self._connection.execute(
            select(contact_events)
            .where(events.tenant_id == tenant_id, events.sequence.in_(sequences))
            .order_by(events.sequence)
        ).mappings()
        return [_event(row) for row in rows]

    def events_after(self, tenant_id: UUID, after: int, limit: int) -> Sequence[ContactEvent]:
        events = contact_events.c
        columns = [column for column in contact_events.c if column.name != "snapshot"]
        rows = self._connection.execute(
            select(*columns, null().label("snapshot"))
            .where(events.tenant_id == tenant_id, events.sequence > after)
            .order_by(events.sequence)
            .limit(limit)
        ).mappings()
        return [_event(row) for row in rows]

    # --- claims --------------------------------------------------------------------------

    def claimable(self, tenant_id: UUID, now: datetime, limit: int) -> Sequence[UUID]:
        found = self._connection.execute(
            _CLAIMABLE, {"tenant_id": tenant_id, "now": now, "limit": limit}
        ).scalars()
        return list(found)

    def claim(
        self, tenant_id: UUID, ids: Sequence[UUID], now: datetime, until: datetime, token: UUID
    ) -> Sequence[Delivery]:
        # The candidates are read by primary key and judged here: with `state = 'pending'`
        # in the statement, SQLite took the due index and walked every pending delivery of
        # the tenant on each claim. Nothing changes them before this write commits: SQLite's
        # writer holds the database, PostgreSQL's the rows (FOR UPDATE SKIP LOCKED).
        rows = self._connection.execute(
            self._locked(
                select(*_DELIVERY_COLUMNS, _d.lease_until).where(
                    _d.tenant_id == tenant_id, _d.id.in_(ids)
                )
            )
        ).mappings()
        claimed = [
            _delivery(row)
            for row in rows
            if row["state"] == "pending"
            and (row["lease_until"] is None or _utc(row["lease_until"]) < now)  # type: ignore[operator]
        ]
        if claimed:
            self._connection.execute(
                update(webhook_deliveries)
                .where(_d.tenant_id == tenant_id, _d.id.in_([d.id for d in claimed]))
                .values(lease_until=until, lease_token=token)
            )
        return claimed

    def finish(
        self, tenant_id: UUID, token: UUID, outcomes: Sequence[tuple[Delivery, Attempt]]
    ) -> None:
        # By the outcomes' ids (primary key lookups), not by the token alone: a scan for the
        # token read the tenant's whole delivery log once per claim.
        held_query = select(_d.id).where(
            _d.tenant_id == tenant_id,
            _d.id.in_([delivery.id for delivery, _ in outcomes]),
            _d.lease_token == token,
        )
        if self._lock:
            held_query = held_query.with_for_update()
        held = set(self._connection.execute(held_query).scalars())
        kept = [(delivery, attempt) for delivery, attempt in outcomes if delivery.id in held]
        if not kept:
            return
        self._connection.execute(
            update(webhook_deliveries)
            .where(_d.tenant_id == bindparam("t"), _d.id == bindparam("i"))
            .values(
                **{name: bindparam(name) for name in _WRITTEN},
                lease_until=None,
                lease_token=None,
            ),
            [
                {
                    "t": tenant_id,
                    "i": d.id,
                    **{name: getattr(d, name) for name in _WRITTEN},
                }
                for d, _ in kept
            ],
        )
        self._connection.execute(
            insert(webhook_attempts),
            [
                {"tenant_id": tenant_id, "delivery_id": delivery.id, **vars(attempt)}
                for delivery, attempt in kept
            ],
        )
