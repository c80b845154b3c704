"""The outbox on the write path: written in the change's own transaction from its history
event, on every write path; nothing for a tenant without endpoints; and what another process
changes about a tenant's endpoints reaches this one's writes at once."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from counterparty.db import Database
from counterparty.db.webhook_tables import webhook_outbox
from counterparty.domain.tenancy import Tenant
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.services.writes import WriteOptions
from counterparty.webhook_setup import webhook_service
from tests.webhooks.conftest import Receiver, drain, hook_settings


@pytest.fixture
def tenant(services: Services) -> Tenant:
    return services.tenancy.create_tenant(f"outbox-{secrets.token_hex(5)}")


@pytest.fixture
def actor(tenant: Tenant, database: Database, database_url: str) -> Iterator[Actor]:
    actor = Actor(tenant, None, "test")
    yield actor
    hooks = webhook_service(hook_settings(database_url), database)
    for endpoint in hooks.list(actor):  # later tests' deliverers need not try them
        hooks.delete(actor, endpoint.id)


def outbox(database: Database, tenant: Tenant) -> list[int]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(webhook_outbox.c.sequence)
            .where(webhook_outbox.c.tenant_id == tenant.id)
            .order_by(webhook_outbox.c.sequence)
        )
        return [int(row[0]) for row in rows]


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """Every statement run, below SQLAlchemy and through it."""
    seen: list[str] = []

    def driver(statement: str, _: Any) -> None:
        seen.append(statement)

    def core(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    database.observers.append(driver)
    event.listen(database.engine, "before_cursor_execute", core)
    try:
        yield seen
    finally:
        database.observers.remove(driver)
        event.remove(database.engine, "before_cursor_execute", core)


def test_a_tenant_without_endpoints_pays_nothing(
    services: Services, database: Database, actor: Actor
) -> None:
    contact = services.contacts.create(actor, {"name": "Quiet"})
    with statements(database) as seen:
        services.contacts.patch(actor, contact.id, {"notes": "still quiet"})
        services.batch.apply(actor, [{"name": "Also quiet"}])
    assert not [s for s in seen if "webhook" in s]
    assert outbox(database, actor.tenant) == []


def test_each_write_path_queues_its_events_with_one_insert(
    services: Services, database: Database, database_url: str, actor: Actor, receiver: Receiver
) -> None:
    webhook_service(hook_settings(database_url), database).create(actor, {"url": receiver.url})
    # The first write after the endpoints changed asks once whether the tenant has any.
    created = services.contacts.create(actor, {"name": "Loud"})
    with statements(database) as seen:
        services.contacts.patch(actor, created.id, {"notes": "changed"})
    touching = [statement for statement in seen if "webhook" in statement]
    assert len(touching) == 1 and touching[0].startswith("INSERT INTO webhook_outbox")
    services.contacts.set_archived(actor, created.id, True)
    services.items.add(actor, created.id, "bank_accounts", {"iban": "BE68539007547034"})
    with statements(database) as seen:
        services.batch.apply(actor, [{"name": f"Batch {n}"} for n in range(3)])
    assert len([s for s in seen if "INSERT INTO webhook_outbox" in s]) == 1  # one executemany
    services.contacts.delete(actor, created.id)
    feed = services.history.feed(actor, None, 100).events
    assert outbox(database, actor.tenant) == [e.sequence for e in feed]
    assert len(feed) == 8


def test_a_rolled_back_change_queues_nothing_and_sends_nothing(
    services: Services,
    database: Database,
    database_url: str,
    actor: Actor,
    receiver: Receiver,
    make_deliverer: Any,
) -> None:
    webhook_service(hook_settings(database_url), database).create(actor, {"url": receiver.url})
    contact = services.contacts.create(actor, {"name": "Before"})

    def fail(_uow: Any, _result: Any) -> None:
        raise RuntimeError("injected after the outbox row was written")

    with pytest.raises(RuntimeError):
        services.contacts.patch(
            actor, contact.id, {"name": "Never"}, options=WriteOptions(on_commit=fail)
        )

    def refuse(statement: str, _: Any) -> None:
        if statement.startswith("INSERT INTO webhook_outbox"):
            raise RuntimeError("injected at the outbox insert")

    database.observers.append(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.contacts.patch(actor, contact.id, {"name": "Not either"})
    finally:
        database.observers.remove(refuse)
    assert services.contacts.get(actor, contact.id).name == "Before"
    assert len(outbox(database, actor.tenant)) == 1
    drain(make_deliverer())
    secret = webhook_service(hook_settings(database_url), database).list(actor)[0].secret
    assert [body["type"] for body in receiver.bodies(secret)] == ["contact.created"]


def test_endpoint_changes_reach_the_writes_of_another_process(
    services: Services, database_url: str, database: Database, actor: Actor, receiver: Receiver
) -> None:
    """Another process (its own Database, with its own cache of who has endpoints) adds and
    removes an endpoint; this process's very next write follows."""
    contact = services.contacts.create(actor, {"name": "Watched"})  # cached: no endpoints
    elsewhere = Database(database_url)
    try:
        hooks = webhook_service(hook_settings(database_url), elsewhere)
        endpoint = hooks.create(actor, {"url": receiver.url})
        services.contacts.patch(actor, contact.id, {"notes": "now heard"})
        assert len(outbox(database, actor.tenant)) == 1
        hooks.update(actor, endpoint.id, {"enabled": False})
        services.contacts.patch(actor, contact.id, {"notes": "not heard"})
        hooks.update(actor, endpoint.id, {"enabled": True})
        services.contacts.patch(actor, contact.id, {"notes": "heard again"})
        hooks.delete(actor, endpoint.id)
        services.contacts.patch(actor, contact.id, {"notes": "gone"})
    finally:
        elsewhere.dispose()
    assert len(outbox(database, actor.tenant)) == 2
