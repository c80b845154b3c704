"""SQLite: what a change replaces or an erasure removes is overwritten in the file.

Some builds of SQLite overwrite deleted content by default, most do not. Here connections
start without it, as on such a build: the service turns it on for every connection, so the
values a change replaced leave no trace, and an erasure turns it on for its own transaction
whatever the connection's setting.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from counterparty.db import Database
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.api.test_erasure import distinct, traces

Opener = Callable[[bool], Database]


@pytest.fixture
def open_plain(tmp_path: Path) -> Iterator[Opener]:
    """A database whose connections start without secure_delete; `before_service`: the
    build's default (the service's own setting then applies), or forced off after it."""
    opened: list[Database] = []

    def open_database(before_service: bool) -> Database:
        database = Database(f"sqlite:///{tmp_path / 'plain.db'}")

        def without_secure_delete(connection: Any, _record: Any) -> None:
            connection.execute("PRAGMA secure_delete = OFF")

        event.listen(database.engine, "connect", without_secure_delete, insert=before_service)
        database.migrate()
        opened.append(database)
        return database

    yield open_database
    for database in opened:
        database.dispose()


def _person(services: Services, actor: Actor, values: list[str]) -> Any:
    values += [distinct("notes"), f"{distinct('mail')}@example.org"]
    return services.contacts.create(
        actor, {"kind": "person", "name": "Kept Name", "notes": values[0], "email": values[1]}
    )


def _others(services: Services, actor: Actor, count: int) -> None:
    for index in range(count):
        services.contacts.create(
            actor, {"kind": "person", "name": f"Other {index}", "notes": "y" * (index * 37 % 400)}
        )


def test_the_erasure_writes_with_secure_delete_whatever_the_connection(
    open_plain: Opener,
) -> None:
    database = open_plain(False)
    services = Services.over(database.unit_of_work)
    actor = Actor(services.tenancy.create_tenant("plain"), None, "test")
    values: list[str] = []
    contact = _person(services, actor, values)
    services.contacts.patch(actor, contact.id, {"notes": distinct("later")})
    settings: list[int] = []

    def note_setting(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("UPDATE", "DELETE", "INSERT")):
            settings.append(cursor.connection.execute("PRAGMA secure_delete").fetchone()[0])

    event.listen(database.engine, "before_cursor_execute", note_setting)
    services.erasure.erase(actor, contact.id)
    event.remove(database.engine, "before_cursor_execute", note_setting)

    assert settings and set(settings) == {1}
    with database.unit_of_work(write=False) as uow:
        assert uow.contacts.get(actor.tenant_id, contact.id) is not None
    assert traces(database, ["Kept Name"]) == {"Kept Name"}


def test_values_replaced_before_an_erasure_leave_no_trace(open_plain: Opener) -> None:
    database = open_plain(True)
    services = Services.over(database.unit_of_work)
    actor = Actor(services.tenancy.create_tenant("plain"), None, "test")
    values: list[str] = []
    contact = _person(services, actor, values)
    for index in range(40):
        values.append(f"{distinct('m')}@example.org")
        services.contacts.patch(
            actor, contact.id, {"email": values[-1], "notes": distinct("n") * (index % 5 + 1)}
        )
        _others(services, actor, 3)

    services.erasure.erase(actor, contact.id)

    assert traces(database, values) == set()


def _index_blocks(database: Database) -> bytes:
    with database.engine.connect() as connection:
        blocks = connection.exec_driver_sql("SELECT block FROM contacts_fts_data").scalars()
        return b"".join(bytes(block) for block in blocks)


def test_the_search_index_keeps_no_segment_with_the_erased_text(open_plain: Opener) -> None:
    database = open_plain(True)
    services = Services.over(database.unit_of_work)
    actor = Actor(services.tenancy.create_tenant("plain"), None, "test")
    # Trigrams whose first letter no other term of this database starts with: the index
    # stores them whole (it keeps only what a term shares with the one before it once).
    contact = services.contacts.create(
        actor, {"kind": "person", "name": "Kept Name", "email": "qjv@wzz.io"}
    )
    assert b"qjv" in _index_blocks(database) and b"jv@" in _index_blocks(database)

    services.erasure.erase(actor, contact.id)

    assert b"qjv" not in _index_blocks(database) and b"jv@" not in _index_blocks(database)
    assert traces(database, ["qjv", "jv@"]) == set()


def test_a_log_busy_at_the_erasure_is_emptied_as_soon_as_it_can_be(open_plain: Opener) -> None:
    database = open_plain(True)
    services = Services.over(database.unit_of_work)
    actor = Actor(services.tenancy.create_tenant("plain"), None, "test")
    values: list[str] = []
    contact = _person(services, actor, values)
    log = Path(f"{database.engine.url.database}-wal")
    reader = sqlite3.connect(str(database.engine.url.database))
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM contacts").fetchone()  # holds a snapshot of the log

    services.erasure.erase(actor, contact.id)

    assert database.log_truncation_pending and log.stat().st_size > 0
    reader.rollback()
    reader.close()
    deadline = time.monotonic() + 30
    while database.log_truncation_pending and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not database.log_truncation_pending and log.stat().st_size == 0
    assert traces(database, values) == set()
