"""Claims and their outcomes: a lease keeps its deliveries from every other claim until it
ends, a claim takes only what is still free, outcomes of a lost lease are not stored, and
the outcomes of one claim, stored together, still retry and fail each delivery on its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from counterparty.db import Database
from counterparty.domain.ids import new_id
from counterparty.domain.webhooks import Attempt, Endpoint
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.services.webhook_ports import WebhookTransactions
from counterparty.webhook_setup import webhook_service, webhook_transactions
from tests.webhooks.conftest import Receiver, drain, hook_settings, run_apart


@pytest.fixture
def tenant(
    services: Services, database: Database, database_url: str, receiver: Receiver
) -> Iterator[tuple[Actor, Endpoint]]:
    actor = Actor(services.tenancy.create_tenant(f"claims-{os.urandom(4).hex()}"), None, "test")
    hooks = webhook_service(hook_settings(database_url), database)
    endpoint = hooks.create(actor, {"url": receiver.url})
    yield actor, endpoint
    hooks.delete(actor, endpoint.id)


def test_a_lease_keeps_its_deliveries_until_it_ends(
    services: Services,
    database: Database,
    database_url: str,
    tenant: tuple[Actor, Endpoint],
    make_deliverer: Any,
) -> None:
    actor, _ = tenant
    services.batch.apply(actor, [{"name": f"Leased {n}"} for n in range(4)])
    make_deliverer().fan_out(actor.tenant_id)
    tx: WebhookTransactions = webhook_transactions(hook_settings(database_url), database)
    now = datetime.now(UTC)
    ids = tx.read(lambda uow: uow.deliveries.claimable(actor.tenant_id, now, 10))
    assert len(ids) == 4
    first, second = new_id(), new_id()
    until = now + timedelta(seconds=60)
    held = tx.write(lambda uow: uow.deliveries.claim(actor.tenant_id, ids[:2], now, until, first))
    assert sorted(d.id for d in held) == sorted(ids[:2])
    assert sorted(tx.read(lambda uow: uow.deliveries.claimable(actor.tenant_id, now, 10))) == (
        sorted(ids[2:])
    )
    # A claim of all four takes the two still free.
    longer = until + timedelta(seconds=60)
    rest = tx.write(lambda uow: uow.deliveries.claim(actor.tenant_id, ids, now, longer, second))
    assert sorted(d.id for d in rest) == sorted(ids[2:])
    # When the first lease has ended, its deliveries are taken by a new claim; the outcome
    # of the lost lease is then not stored.
    later = until + timedelta(seconds=1)
    third = new_id()
    again = tx.write(
        lambda uow: uow.deliveries.claim(actor.tenant_id, ids, later, later + timedelta(60), third)
    )
    assert sorted(d.id for d in again) == sorted(ids[:2])
    attempt = Attempt(1, now, {}, 200, None, None, 1)
    done = [(delivery, attempt) for delivery in held]
    tx.write(lambda uow: uow.deliveries.finish(actor.tenant_id, first, done))
    stored = [tx.read(lambda uow, i=i: uow.deliveries.get(actor.tenant_id, i)) for i in ids[:2]]
    assert [(d.state, d.attempts) for d in stored if d is not None] == [("pending", 0)] * 2


def test_outcomes_stored_together_retry_and_fail_each_delivery_on_its_own(
    services: Services,
    database: Database,
    database_url: str,
    receiver: Receiver,
    tenant: tuple[Actor, Endpoint],
    make_deliverer: Any,
) -> None:
    actor, endpoint = tenant
    receiver.answer = lambda _h, body: (500, b"no") if b'"Bad"' in body else (204, b"")
    services.batch.apply(actor, [{"name": "Good"}, {"name": "Bad"}, {"name": "Also good"}])
    deliverer = make_deliverer()
    assert deliverer.run_once() == 3  # one claim, its outcomes in one transaction
    hooks = webhook_service(hook_settings(database_url), database)
    assert hooks.get(actor, endpoint.id).failing_since is None  # two of them succeeded

    def outcomes() -> list[tuple[Any, ...]]:
        found = hooks.deliveries(actor, endpoint.id, None, 10).deliveries
        return sorted(
            (
                d.last_status,
                d.state,
                d.attempts,
                d.retries_left,
                d.last_error,
                [a.number for a in hooks.delivery(actor, endpoint.id, d.id)[1]],
            )
            for d in found
        )

    assert outcomes() == [
        (204, "delivered", 1, 2, None, [1]),
        (204, "delivered", 1, 2, None, [1]),
        (500, "pending", 1, 1, "answered 500", [1]),
    ]
    drain(deliverer)
    assert outcomes() == [
        (204, "delivered", 1, 2, None, [1]),
        (204, "delivered", 1, 2, None, [1]),
        (500, "failed", 3, 0, "answered 500", [1, 2, 3]),
    ]
    assert hooks.get(actor, endpoint.id).enabled


def test_a_deliverer_runs_and_closes_in_a_thread_running_another_loop(
    services: Services, tenant: tuple[Actor, Endpoint], receiver: Receiver, make_deliverer: Any
) -> None:
    """As under a server's or a test runner's loop: no second loop can run in that thread."""
    actor, _ = tenant
    services.batch.apply(actor, [{"name": "Sent from under a loop"}])

    async def inside_a_loop() -> int:
        deliverer = make_deliverer()
        made: int = deliverer.run_once()
        deliverer.close()
        return made

    assert run_apart(inside_a_loop()) == 1
    assert [b'"Sent from under a loop"' in request.body for request in receiver.received] == [True]
