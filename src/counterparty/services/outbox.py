"""The webhook outbox on the write path: each change's events, queued in its own transaction.

A rolled-back change leaves nothing in the outbox and a committed one always does (for a
tenant with an enabled endpoint), so a webhook is never lost and never sent for a change that
did not happen. The deliverer (services/deliverer.py) takes the rows from there.

Whether a tenant has an enabled endpoint is known per process for one value of the tenant's
credential epoch, which every change of its endpoints raises (as a revoked key does): the epoch
is read by every request anyway (services/tenancy.py), so a tenant without endpoints costs no
statement at all, and one with endpoints one insert per event.
"""

from __future__ import annotations

from collections.abc import Sequence

from counterparty.domain.history import ContactEvent
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork


def enqueue(uow: UnitOfWork, actor: Actor, events: Sequence[ContactEvent]) -> None:
    """Queue `events` (just appended to the history by `uow`) for delivery."""
    if not events:
        return
    probe = uow.epoch
    if not probe.read:
        # Read here instead of at the end of the work: the credential check then uses this
        # reading (services/transactions.py), so the count of statements stays the same.
        probe.found(uow.tenants.auth_epoch(actor.tenant_id))
    uow.outbox.add(actor.tenant_id, [event.sequence for event in events], probe.seen)
