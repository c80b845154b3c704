"""`counterparty db backup` and `db restore`, run as a user runs them (real processes), while
the service writes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from counterparty.db import Database
from counterparty.db.backups import BackupFailed, backup, restore
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.cli.test_cli import environment_for, run


@pytest.fixture
def restore_target(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new file, or a new PostgreSQL database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL's client tools (pg_dump, pg_restore) are not installed")
    name = f"counterparty_restore_{secrets.token_hex(4)}"
    admin = create_engine(make_url(database_url).set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class Writer(threading.Thread):
    """Creates contacts one after another, as the service would, until stopped; `acknowledged`
    holds each contact whose create has returned."""

    def __init__(self, services: Services, actor: Actor) -> None:
        super().__init__(daemon=True)
        self.services, self.actor = services, actor
        self.acknowledged: list[UUID] = []
        self.started_writing = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            contact = self.services.contacts.create(
                self.actor, {"name": f"Writer {secrets.token_hex(4)}"}
            )
            self.acknowledged.append(contact.id)
            if len(self.acknowledged) >= 20:
                self.started_writing.set()


def test_a_backup_taken_while_the_service_writes_restores_what_was_acknowledged_before_it(
    database_url: str, services: Services, restore_target: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    actor = Actor(services.tenancy.create_tenant(f"backup-{secrets.token_hex(4)}"), None, "test")
    writer = Writer(services, actor)
    writer.start()
    try:
        assert writer.started_writing.wait(timeout=60)
        before = list(writer.acknowledged)
        backup_file = tmp_path / "counterparty.backup"
        made = run(environment_for(database_url), "db", "backup", str(backup_file))
        assert made.returncode == 0, made.stderr
        during = len(writer.acknowledged)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert during > len(before), "the writer was writing while the backup ran"
    assert "secret key" in made.stderr

    restored = run(environment_for(restore_target), "db", "restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr

    if restore_target.startswith("sqlite"):
        path = make_url(restore_target).database
        assert path is not None
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    database = Database(restore_target, pool_size=1)
    try:
        copy = Services.over(database.unit_of_work)
        for contact_id in before:
            assert copy.contacts.get(actor, contact_id).id == contact_id
        copy.close()
    finally:
        database.dispose()


@contextmanager
def sqlite_services(path: Path) -> Iterator[Services]:
    database = Database(f"sqlite:///{path}", pool_size=1)
    database.migrate()
    services = Services.over(database.unit_of_work)
    try:
        yield services
    finally:
        services.close()
        database.dispose()


def slugs(path: Path) -> set[str]:
    with sqlite_services(path) as services:
        return {tenant.slug for tenant in services.tenancy.list_tenants()}


def test_restore_refuses_a_database_with_data_unless_forced(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    url = f"sqlite:///{live}"
    with sqlite_services(live) as services:
        services.tenancy.create_tenant("acme")
    backup_file = tmp_path / "acme.backup"
    backup(url, backup_file)
    with sqlite_services(live) as services:
        services.tenancy.create_tenant("later")

    with pytest.raises(BackupFailed, match="--force"):
        restore(url, backup_file)
    assert slugs(live) == {"acme", "later"}

    restore(url, backup_file, force=True)
    assert slugs(live) == {"acme"}


def test_an_upgraded_database_without_tenants_takes_a_backup(tmp_path: Path) -> None:
    with sqlite_services(tmp_path / "live.db") as services:
        services.tenancy.create_tenant("acme")
    backup(f"sqlite:///{tmp_path / 'live.db'}", tmp_path / "acme.backup")
    with sqlite_services(tmp_path / "fresh.db"):
        pass  # `db upgrade` made its tables; it holds no tenant
    restore(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "acme.backup")
    assert slugs(tmp_path / "fresh.db") == {"acme"}


def test_backup_does_not_overwrite_a_file_unless_forced(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    with sqlite_services(tmp_path / "live.db"):
        pass
    existing = tmp_path / "existing.backup"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupFailed, match="exists"):
        backup(url, existing)
    assert existing.read_bytes() == b"keep me"
    backup(url, existing, force=True)
    assert existing.read_bytes().startswith(b"SQLite format 3\x00")
    assert not list(tmp_path.glob(".*partial")), "no partial file is left behind"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database\n" * 100)
    with pytest.raises(BackupFailed, match="not a readable SQLite backup"):
        restore(url, not_a_backup)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE notes (text)")
    with pytest.raises(BackupFailed, match="not a counterparty backup"):
        restore(url, other)
    with pytest.raises(BackupFailed, match="not a file"):
        restore(url, tmp_path / "missing.backup")
    assert not (tmp_path / "new.db").exists()
