"""SQLite's plans for one contact's history: through the contact's index, never the tenant's
whole history by primary key (what SQLite chose without statistics, 4 ms at 20,000 events and
growing with the tenant). Migrations state the shape of tenants' data where nothing was
measured (db/planner_statistics.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from counterparty.db import Database
from counterparty.db.planner_statistics import state_tenant_shape
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.api.test_erasure import distinct


@pytest.fixture
def sqlite(database: Database) -> Database:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL measures its own statistics (autovacuum's ANALYZE)")
    return database


@contextmanager
def history_statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM contact_events" in statement:
            seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_one_contacts_history_is_read_through_its_index(
    sqlite: Database, services: Services
) -> None:
    actor = Actor(services.tenancy.create_tenant(distinct("t")[:30]), None, "test")
    contact = services.contacts.create(actor, {"name": "Planned"})
    for n in range(3):
        services.contacts.patch(actor, contact.id, {"notes": f"patch {n}"})
    with history_statements(sqlite) as seen:
        services.history.history(actor, contact.id, None, 50)
        services.history.version(actor, contact.id, 2)
        with sqlite.unit_of_work(write=False) as uow:
            uow.events.since(actor.tenant_id, contact.id, 1)
    assert len(seen) >= 3
    with sqlite.engine.connect() as connection:
        for statement, parameters in seen:
            steps = [
                str(row[-1])
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ]
            reads = [step for step in steps if "contact_events" in step]
            assert reads, steps
            assert all("tenant_id=? AND contact_id=?" in step for step in reads), steps


def test_every_tenant_led_index_has_statistics_once_migrated(sqlite: Database) -> None:
    with sqlite.engine.begin() as connection:
        assert state_tenant_shape(connection) == 0  # the migration left none to write
        stated: dict[str, str] = dict(
            connection.exec_driver_sql(
                "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'contact_events'"
            ).all()
        )
    assert stated["contact_events"].split()[:2] == ["1000000", "100000"]
    assert stated["ix_contact_events_tenant_id_contact_id_sequence"] == "1000000 100000 10 1"


def test_a_table_with_measured_statistics_keeps_them_alone(sqlite: Database) -> None:
    with sqlite.engine.connect() as connection:
        transaction = connection.begin()
        connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'contact_tags'")
        assert state_tenant_shape(connection) == 2  # its primary key and its index by tag
        connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'contact_tags'")
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 VALUES ('contact_tags', 'contact_tags', '40 40 2 1')"
        )
        assert state_tenant_shape(connection) == 0
        transaction.rollback()
        connection.exec_driver_sql("ANALYZE sqlite_schema")  # the statistics as committed
