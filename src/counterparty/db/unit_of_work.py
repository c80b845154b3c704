"""A unit of work over one connection and one transaction."""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import Self

import psycopg
from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DBAPIError, IntegrityError

from counterparty.db.contacts import ContactTable
from counterparty.db.driver import Driver, Observer
from counterparty.db.history import EventTable
from counterparty.db.idempotency import IdempotencyTable
from counterparty.db.tenancy import ApiKeyTable, TenantTable
from counterparty.db.values import Values, values_for
from counterparty.errors import Conflict, TransientFailure

# SQLSTATEs a PostgreSQL-compatible database answers when the transaction may simply be
# re-run: serialization failure and deadlock.
_TRANSIENT_SQLSTATES = {"40001", "40P01"}
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

    def __init__(self, engine: Engine, keep: int) -> None:
        self._engine = engine
        self._keep = keep
        self._idle: list[Connection] = []
        self.values: Values = values_for(engine.dialect.name)
        self.observers: list[Observer] = []

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
    tenants: TenantTable
    api_keys: ApiKeyTable
    contacts: ContactTable
    events: EventTable
    idempotency: IdempotencyTable

    def __init__(self, lender: ConnectionLender, *, write: bool) -> None:
        self._lender = lender
        self._write = write
        self._committed = False

    def __enter__(self) -> Self:
        connection = self._lender.borrow()
        self._connection: Connection = connection.execution_options(write=self._write)
        try:
            self._transaction: RootTransaction = self._connection.begin()
        except BaseException as exc:
            self._lender.give_back(connection)
            _translate(exc)
            raise
        driver = Driver(self._connection.connection.driver_connection, self._lender.observers)
        values = self._lender.values
        self.tenants = TenantTable(self._connection, driver, values)
        self.api_keys = ApiKeyTable(self._connection)
        self.contacts = ContactTable(self._connection, driver, values)
        self.events = EventTable(self._connection, driver, values)
        self.idempotency = IdempotencyTable(self._connection)
        return self

    def commit(self) -> None:
        self._transaction.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if not self._committed and self._transaction.is_active:
                self._transaction.rollback()
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
