"""Backups of the whole database while the service runs, and restoring one.

SQLite: the online backup API copies every page in one step, inside one read transaction. In
WAL mode the service's writers go on meanwhile, and the copy is the database as of the moment
the step began: every write acknowledged before the backup started is in it. The copy is
written beside FILE under a temporary name, made self-contained (rollback journal, not WAL),
checked, and only then renamed to FILE, so an interrupted backup never leaves a FILE that
looks complete.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot as well) and `pg_restore`, with
the connection taken from the database URL. The password travels in the environment
(PGPASSWORD), never on a command line where other users could read it. When the URL sets a
`search_path` (the service lives in one schema), only that schema is dumped.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from counterparty.db.engine import normalize_url

T = TypeVar("T")
BUSY_TIMEOUT_SECONDS = 30.0
_SEARCH_PATH = re.compile(r"-c\s*search_path\s*=\s*([^\s,]+)")


class BackupFailed(Exception):
    """A backup or restore that could not be made; the message says why and what to do."""


def backup(database_url: str, target: Path, *, force: bool = False) -> str:
    """Copy the database to `target`; returns what was written, for the operator."""
    if target.exists() and not force:
        raise BackupFailed(f"{target} exists; choose another file or pass --force")
    url = make_url(normalize_url(database_url))
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_path(url), target)
    else:
        _postgres_backup(url, target)
    return f"backup written to {target} ({target.stat().st_size} bytes)"


def restore(database_url: str, source: Path, *, force: bool = False) -> str:
    """Replace the configured database with the backup in `source`. An existing database
    with data is replaced only with `force` (stop the service first)."""
    if not source.is_file():
        raise BackupFailed(f"{source} is not a file")
    url = make_url(normalize_url(database_url))
    if url.get_backend_name() == "sqlite":
        revision = _sqlite_restore(source, _sqlite_path(url), force)
    else:
        _refuse_data(_postgres_holds_data(url), force)
        _postgres_restore(url, source)
        revision = None
    shown = f" (schema revision {revision})" if revision else ""
    return f"restored {source}{shown}; run `counterparty db upgrade` if this version is newer"


def _refuse_data(holds_data: bool, force: bool) -> None:
    if holds_data and not force:
        raise BackupFailed(
            "the configured database already holds data; stop the service and pass --force "
            "to replace it"
        )


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("an in-memory SQLite database cannot be backed up or restored")
    return url.database


def _sqlite_backup(path: str, target: Path) -> None:
    if not Path(path).is_file():
        raise BackupFailed(f"there is no database at {path}")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            _check(copy, str(partial))
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupFailed(f"the backup failed: {error}") from None
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_restore(source: Path, path: str, force: bool) -> str | None:
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            _check(backup, str(source))
            revision = _revision(backup)
            with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)) as database:
                _refuse_data(_sqlite_holds_data(database), force)
                backup.backup(database)
                database.execute("PRAGMA journal_mode=WAL")  # the service's mode
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{source} is not a readable SQLite backup: {error}") from None
    return revision


def _check(connection: sqlite3.Connection, name: str) -> None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupFailed(f"{name} fails SQLite's check: {result}")


def _revision(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is None:
        raise BackupFailed("the file is an SQLite database, but not a counterparty backup")
    return str(row[0])


def _sqlite_holds_data(connection: sqlite3.Connection) -> bool:
    """Whether a database has anything a restore would destroy: a counterparty schema with
    a tenant in it, or tables of something else entirely."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not tables:
        return False
    if "tenants" not in tables:
        return True
    return connection.execute("SELECT 1 FROM tenants LIMIT 1").fetchone() is not None


# --- PostgreSQL ------------------------------------------------------------------------------


def _postgres_environment(url: URL) -> dict[str, str]:
    """libpq's variables for the URL, so that no secret is on a command line."""
    settings = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGOPTIONS": _query_value(url, "options"),
        "PGSSLMODE": _query_value(url, "sslmode"),
    }
    return {**os.environ, **{name: value for name, value in settings.items() if value}}


def _query_value(url: URL, name: str) -> str | None:
    value = url.query.get(name)
    return value if isinstance(value, str) or value is None else value[-1]


def _schema(url: URL) -> str | None:
    found = _SEARCH_PATH.search(_query_value(url, "options") or "")
    return found[1] if found else None


def _run(program: str, arguments: list[str], url: URL) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupFailed(f"{program} is not installed (PostgreSQL's client tools)")
    done = subprocess.run(
        [executable, *arguments],
        env=_postgres_environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupFailed(f"{program} failed: {done.stderr.strip()}")


def _postgres_backup(url: URL, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    arguments = ["--format=custom", f"--file={partial}"]
    if schema := _schema(url):
        # One schema leaves out the extensions it needs (pg_trgm's operators): name them.
        extensions = [f"--extension={name}" for name in _postgres_extensions(url)]
        arguments += [f"--schema={schema}", *extensions]
    try:
        _run("pg_dump", arguments, url)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _postgres_restore(url: URL, source: Path) -> None:
    # --clean drops what the archive holds before creating it: a database set up by
    # `db upgrade` (tables, no tenants) takes the backup as well as an empty one.
    arguments = ["--clean", "--if-exists", "--no-owner", "--exit-on-error"]
    _run("pg_restore", [*arguments, f"--dbname={url.database}", str(source)], url)


def _postgres_extensions(url: URL) -> list[str]:
    statement = text("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")
    return _on_postgres(url, lambda connection: list(connection.execute(statement).scalars()))


def _postgres_holds_data(url: URL) -> bool:
    def holds_data(connection: Connection) -> bool:
        if not inspect(connection).has_table("tenants"):
            return bool(inspect(connection).get_table_names())
        return connection.execute(text("SELECT 1 FROM tenants LIMIT 1")).first() is not None

    return _on_postgres(url, holds_data)


def _on_postgres(url: URL, work: Callable[[Connection], T]) -> T:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return work(connection)
    finally:
        engine.dispose()
