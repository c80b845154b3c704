"""Idempotency-Key: a retried request gets the first outcome instead of running again.

A key is claimed in its own short transaction, so a second request with the same key
sees it running (409). The change and the stored response then commit together (the
write's `on_commit` hook), so there is never a change without its stored response.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from counterparty.domain.idempotency import StoredResponse
from counterparty.errors import IdempotencyKeyReused, RequestInProgress
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions
from counterparty.services.writes import now

# A claim still "running" after this long belongs to a request that died: its
# transaction rolled back, so running the request again is safe.
ABANDONED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Claimed:
    """The caller owns the key and must finish or release it."""

    key: str


class IdempotencyService:
    def __init__(self, transactions: Transactions, retention: timedelta) -> None:
        self._tx = transactions
        self.retention = retention

    def begin(self, actor: Actor, key: str, fingerprint: str) -> Claimed | StoredResponse:
        """Claim `key`, or return the stored response of the request that claimed it."""
        scope = self._scope(actor)

        def work(uow: UnitOfWork) -> Claimed | StoredResponse:
            moment = now()
            uow.idempotency.purge_expired(actor.tenant_id, moment)
            record = uow.idempotency.get(actor.tenant_id, scope, key)
            if (
                record is not None
                and record.state == "running"
                and (moment - record.created_at > ABANDONED_AFTER)
            ):
                uow.idempotency.release(actor.tenant_id, scope, key)
                record = None
            if record is None:
                uow.idempotency.claim(
                    actor.tenant_id, scope, key, fingerprint, moment, moment + self.retention
                )
                return Claimed(key)
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    "this Idempotency-Key was used for a different request; use a new key"
                )
            if record.response is None:
                raise RequestInProgress(
                    "a request with this Idempotency-Key is still running; retry shortly"
                )
            return record.response

        return self._tx.write(work)

    def finish(
        self, uow: UnitOfWork, actor: Actor, claim: Claimed, response: StoredResponse
    ) -> None:
        """Store the outcome, inside the transaction that made the change."""
        uow.idempotency.complete(actor.tenant_id, self._scope(actor), claim.key, response)

    def finish_alone(self, actor: Actor, claim: Claimed, response: StoredResponse) -> None:
        """Store an outcome that changed nothing (an error worth replaying)."""
        self._tx.write(lambda uow: self.finish(uow, actor, claim, response))

    def release(self, actor: Actor, claim: Claimed) -> None:
        """Forget the claim: the request may be sent again with the same key."""
        self._tx.write(
            lambda uow: uow.idempotency.release(actor.tenant_id, self._scope(actor), claim.key)
        )

    @staticmethod
    def _scope(actor: Actor) -> UUID:
        # Keys are per API key too: one client's key can never replay another's response.
        return actor.api_key_id or actor.tenant_id
