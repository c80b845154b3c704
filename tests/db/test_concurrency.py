"""Concurrent writers and transient failures, on real connections of a real database."""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from counterparty.db import Database
from counterparty.domain.contact import Contact
from counterparty.errors import PreconditionFailed
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.services.writes import WriteOptions


@pytest.fixture
def actor(services: Services) -> Actor:
    slug = f"c-{secrets.token_hex(5)}"
    tenant = services.tenancy.create_tenant(slug)
    return Actor(tenant, None, "test")


def test_two_writers_with_the_same_if_match_one_wins(services: Services, actor: Actor) -> None:
    for round_number in range(5):
        contact = services.contacts.create(actor, {"name": f"Race {round_number}"})
        start = threading.Barrier(2)
        outcomes: list[Any] = []

        def hold_the_transaction(_uow: Any, _contact: Contact) -> None:
            time.sleep(0.15)  # keep the winner's transaction open while the other one runs

        def writer(
            name: str, contact_id: Any, start: threading.Barrier, outcomes: list[Any]
        ) -> None:
            start.wait(timeout=10)
            try:
                outcomes.append(
                    services.contacts.patch(
                        actor,
                        contact_id,
                        {"name": name},
                        options=WriteOptions(
                            if_match=frozenset({1}), on_commit=hold_the_transaction
                        ),
                    )
                )
            except PreconditionFailed as error:
                outcomes.append(error)

        threads = [
            threading.Thread(target=writer, args=(name, contact.id, start, outcomes))
            for name in ("A", "B")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        winners = [o for o in outcomes if isinstance(o, Contact)]
        losers = [o for o in outcomes if isinstance(o, PreconditionFailed)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert losers[0].current_version == 2 and losers[0].changed_fields == ["name"]
        stored = services.contacts.get(actor, contact.id)
        assert stored.version == 2 and stored.name == winners[0].name


def test_concurrent_creates_get_distinct_numbers(services: Services, actor: Actor) -> None:
    start = threading.Barrier(4)
    numbers: list[int] = []

    def creator(index: int) -> None:
        start.wait(timeout=10)
        for step in range(5):
            numbers.append(services.contacts.create(actor, {"name": f"N{index}-{step}"}).number)

    threads = [threading.Thread(target=creator, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(numbers) == list(range(1, 21))


@pytest.fixture
def flaky(database: Database) -> Iterator[dict[str, int]]:
    """Makes the next contact INSERT fail once with the backend's own transient error:
    SQLSTATE 40001 on PostgreSQL, a real SQLITE_BUSY from a competing connection on SQLite."""
    state = {"failures_left": 1, "failed": 0}
    engine = database.engine

    def inject(statement: str, _: Any) -> None:
        if not (state["failures_left"] and statement.startswith("INSERT INTO contacts ")):
            return
        state["failures_left"] -= 1
        state["failed"] += 1
        if engine.dialect.name == "postgresql":
            raise psycopg.errors.SerializationFailure("injected")
        competitor = sqlite3.connect(engine.url.database or "", timeout=0, isolation_level=None)
        try:
            competitor.execute("BEGIN EXCLUSIVE")  # we hold the write lock: busy at once
        finally:
            competitor.close()
        raise AssertionError("the competing connection should have been refused")

    database.observers.append(inject)
    yield state
    database.observers.remove(inject)


def test_a_transient_failure_is_retried_and_takes_effect_once(
    services: Services, actor: Actor, flaky: dict[str, int]
) -> None:
    created = services.contacts.create(actor, {"name": "Exactly once"})
    assert flaky["failed"] == 1
    page = services.history.feed(actor, None, 100)
    assert [e.type for e in page.events] == ["created"]
    assert services.contacts.get(actor, created.id).number == 1


def test_parallel_unconditional_writes_of_one_contact_all_succeed(
    services: Services, actor: Actor
) -> None:
    """Writes without If-Match wait for each other (a row lock on PostgreSQL, the write lock
    on SQLite) instead of failing because another write won."""
    contact = services.contacts.create(actor, {"name": "Busy"})
    start = threading.Barrier(20)
    failures: list[BaseException] = []

    def writer(index: int) -> None:
        start.wait(timeout=10)
        try:
            services.contacts.patch(
                actor,
                contact.id,
                {"notes": f"writer {index}"},
                # Each write holds its transaction a moment, so that they overlap.
                options=WriteOptions(on_commit=lambda *_: time.sleep(0.01)),
            )
        except BaseException as error:  # any failure is the defect under test
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert services.contacts.get(actor, contact.id).version == 21
