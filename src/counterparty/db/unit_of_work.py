"""A unit of work over one connection and one transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import DBAPIError, IntegrityError

from counterparty.db.contacts import ContactTable
from counterparty.db.history import EventTable
from counterparty.db.idempotency import IdempotencyTable
from counterparty.db.tenancy import ApiKeyTable, TenantTable
from counterparty.errors import Conflict, TransientFailure

# SQLSTATEs a PostgreSQL-compatible database answers when the transaction may simply be
# re-run: serialization failure and deadlock.
_TRANSIENT_SQLSTATES = {"40001", "40P01"}
# SQLite's result codes for a database another connection holds: SQLITE_BUSY, SQLITE_LOCKED.
_TRANSIENT_SQLITE_CODES = {5, 6}


def is_transient(error: DBAPIError) -> bool:
    original = error.orig
    if getattr(original, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    code = getattr(original, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _TRANSIENT_SQLITE_CODES


class SqlUnitOfWork:
    tenants: TenantTable
    api_keys: ApiKeyTable
    contacts: ContactTable
    events: EventTable
    idempotency: IdempotencyTable

    def __init__(self, engine: Engine, *, write: bool) -> None:
        self._engine = engine
        self._write = write
        self._committed = False

    def __enter__(self) -> Self:
        self._connection: Connection = self._engine.connect().execution_options(write=self._write)
        try:
            self._transaction: RootTransaction = self._connection.begin()
        except BaseException as exc:
            self._connection.close()
            _translate(exc)
            raise
        self.tenants = TenantTable(self._connection)
        self.api_keys = ApiKeyTable(self._connection)
        self.contacts = ContactTable(self._connection)
        self.events = EventTable(self._connection)
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
            if not self._committed:
                self._transaction.rollback()
        finally:
            self._connection.close()
        if exc is not None:
            _translate(exc)


def _translate(exc: BaseException) -> None:
    """Raise the domain error for a database error that has one; return otherwise."""
    if isinstance(exc, DBAPIError) and is_transient(exc):
        raise TransientFailure("the database was busy; the request can be retried") from exc
    if isinstance(exc, IntegrityError):
        raise Conflict("a concurrent change conflicts with this one; retry it") from exc
