"""A unit of work over one connection and one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import psycopg
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from counterparty.db.contacts import ContactTable
from counterparty.db.driver import Driver, Observer
from counterparty.db.duplicates import DuplicateQueries
from counterparty.db.erasure import ErasureTable
from counterparty.db.history import EventTable
from counterparty.db.idempotency import IdempotencyTable
from counterparty.db.import_jobs import ImportJobTable
from counterparty.db.merges import MergeTable
from counterparty.db.outbox import ArmedTenants, OutboxTable
from counterparty.db.tenancy import ApiKeyTable, TenantTable
from counterparty.db.values import Values, values_for
from counterparty.errors import Conflict, TransientFailure
from counterparty.services.ports import EpochProbe

# SQLSTATEs a PostgreSQL-compatible database answers when the transaction may simply be
# re-run: serialization failure, deadlock, a lock not granted within lock_timeout.
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}
# How long a statement may wait for a lock another transaction holds: briefly on an event
# loop (a longer wait there would stall every request of the process; the request pauses
# asynchronously and tries again instead), for as long as it takes elsewhere.
BRIEF_WAIT_MS = 20
LONG_WAIT_MS = 5000
# SQLite's result codes for a database another connection holds: SQLITE_BUSY, SQLITE_LOCKED.
_TRANSIENT_SQLITE_CODES = {5, 6}


def _original(error: BaseException) -> BaseException:
    return error.orig if isinstance(error, DBAPIError) and error.orig is not None else error


def is_transient(error: BaseException) -> bool:
    original = _original(error)
    if getattr(original, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    code = getattr(original, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _TRANSIENT_SQLITE_CODES


def _is_integrity_error(error: BaseException) -> bool:
    return isinstance(
        _original(error), IntegrityError | sqlite3.IntegrityError | psycopg.IntegrityError
    )


class ConnectionLender:
    """Keeps a process's connections checked out and lends them to units of work: taking
    one from the pool for every request costs more than a GET's own statement."""

    def __init__(
        self,
        engine: Engine,
        keep: int,
        on_write: Callable[[], None],
        truncate_log: Callable[[], None] | None = None,
    ) -> None:
        self._engine = engine
        self._keep = keep
        self._idle: list[Connection] = []
        self.values: Values = values_for(engine.dialect.name)
        self.sqlite = engine.dialect.name == "sqlite"
        self.observers: list[Observer] = []
        self.on_write = on_write
        # SQLite: empties the write-ahead log in the background (db/checkpoints.py).
        self.truncate_log = truncate_log
        self.armed_tenants = ArmedTenants()  # webhooks: db/outbox.py

    def borrow(self) -> Connection:
        try:
            return self._idle.pop()
        except IndexError:
            return self._engine.connect()

    def give_back(self, connection: Connection) -> None:
        if connection.invalidated or connection.closed or len(self._idle) >= self._keep:
            connection.close()
        else:
            self._idle.append(connection)

    def close(self) -> None:
        while self._idle:
            self._idle.pop().close()


class SqlUnitOfWork:
    """One transaction on one lent connection. The transaction is begun and ended on the
    driver connection (SQLAlchemy's bookkeeping costs more than a GET's statement); the
    statements that go through SQLAlchemy join it. SQLite writes take the write lock up
    front (BEGIN IMMEDIATE), so that a read-then-write never fails on the lock upgrade;
    reads run in autocommit on both backends, each statement seeing the last commit."""

    tenants: TenantTable
    api_keys: ApiKeyTable
    contacts: ContactTable
    events: EventTable
    idempotency: IdempotencyTable
    outbox: OutboxTable
    duplicates: DuplicateQueries
    imports: ImportJobTable
    merges: MergeTable

    def __init__(self, lender: ConnectionLender, *, write: bool, wait: bool = True) -> None:
        self._lender = lender
        self._write = write
        self._wait_ms = LONG_WAIT_MS if wait else BRIEF_WAIT_MS
        self._committed = False

    def __enter__(self) -> Self:
        lender = self._lender
        self._connection = connection = lender.borrow()
        try:
            raw: Any = connection.connection.driver_connection
            if lender.sqlite:
                if connection.info.get("wait_ms") != self._wait_ms:
                    raw.execute(f"PRAGMA busy_timeout = {self._wait_ms}")
                    connection.info["wait_ms"] = self._wait_ms
                if self._write:
                    lender.on_write()
                    raw.execute("BEGIN IMMEDIATE")
            else:
                if connection.info.get("wait_ms") != self._wait_ms:
                    raw.autocommit = True
                    raw.execute(f"SET lock_timeout = {self._wait_ms}")
                    connection.info["wait_ms"] = self._wait_ms
                if raw.autocommit == self._write:
                    raw.autocommit = not self._write
        except BaseException as exc:
            lender.give_back(connection)
            _translate(exc)
            raise
        self._raw = raw
        driver = Driver(raw, lender.observers)
        values = lender.values
        self.epoch = EpochProbe()
        self.tenants = TenantTable(connection, driver, values)
        self.api_keys = ApiKeyTable(connection)
        self.contacts = ContactTable(
            connection, driver, values, self.epoch, lock_rows=self._write and not lender.sqlite
        )
        self.events = EventTable(connection, driver, values)
        self.idempotency = IdempotencyTable(connection)
        self.outbox = OutboxTable(connection, driver, values, lender.armed_tenants)
        self.duplicates = DuplicateQueries(driver, values)
        self.imports = ImportJobTable(connection)
        self.merges = MergeTable(connection)
        return self

    @property
    def erasure(self) -> ErasureTable:
        # Made on first use: erasure and purges are rare, every request makes the others.
        lender = self._lender
        return ErasureTable(self._connection, sqlite=lender.sqlite, later=lender.truncate_log)

    def commit(self) -> None:
        if self._connection.in_transaction():
            self._connection.commit()  # statements through SQLAlchemy began its transaction
        elif not self._raw_autocommit():
            self._raw.commit()
        self._committed = True

    def _raw_autocommit(self) -> bool:
        return not self._write if self._lender.sqlite else bool(self._raw.autocommit)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                if self._connection.in_transaction():
                    self._connection.rollback()
                elif not self._raw_autocommit():
                    self._raw.rollback()
        finally:
            self._lender.give_back(self._connection)
        if exc is not None:
            _translate(exc)


def _translate(exc: BaseException) -> None:
    """Raise the domain error for a database error that has one; return otherwise."""
    if is_transient(exc):
        raise TransientFailure("the database was busy; the request can be retried") from exc
    if _is_integrity_error(exc):
        raise Conflict("a concurrent change conflicts with this one; retry it") from exc
