"""Fixtures shared by the dialect tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import event

from counterparty.db import Database
from counterparty.services.registry import Services
from tests.conftest import TenantClient
from tests.dialects.vendors import Tenant, open_tenant, tenant_on

# A statement that reads the contacts table itself (not contacts_fts, contact_events, ...).
_CONTACT_READ = re.compile(r"^\s*SELECT\b.*\bFROM\s+\"?contacts\"?(?![\w\"])", re.I | re.S)


def _values(parameters: Any) -> list[Any]:
    """The bound values of a statement, whatever shape the driver's parameters take."""
    if isinstance(parameters, dict):
        return list(parameters.values())
    if isinstance(parameters, list | tuple):
        return [value for item in parameters for value in _values(item) or [item]]
    return []


class ContactReads:
    """Counts the statements that read the contacts table while `counting()` is open.

    The one place in the tests that knows how a read of a contact looks in SQL: if hot paths
    move below SQLAlchemy, adapt this class and every test that counts reads follows."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self.reads: list[tuple[str, list[Any]]] = []

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self._driver_level(statement, parameters)

    def _driver_level(self, statement: str, parameters: Any) -> None:
        if _CONTACT_READ.match(statement):
            self.reads.append((statement, _values(parameters)))

    @contextmanager
    def counting(self) -> Iterator[ContactReads]:
        """Statements through SQLAlchemy and those run on the driver connection alike."""
        self.reads = []
        engine = self._database.engine
        event.listen(engine, "before_cursor_execute", self._seen)
        self._database.observers.append(self._driver_level)
        try:
            yield self
        finally:
            self._database.observers.remove(self._driver_level)
            event.remove(engine, "before_cursor_execute", self._seen)

    def of(self, contact: dict[str, Any]) -> int:
        """How many of the reads looked up this contact, by its id or by its number."""
        wanted = {UUID(contact["id"]).hex, str(contact["number"])}
        return sum(
            1
            for _, values in self.reads
            if wanted & {str(value).replace("-", "").lower() for value in values}
        )


@pytest.fixture
def contact_reads(database: Database) -> ContactReads:
    return ContactReads(database)


@pytest.fixture(scope="session")
def vendor_pool(base_url: str) -> Iterator[httpx.Client]:
    """One connection pool, without credentials, for every dialect test's clients (plain HTTP
    to the test server: no TLS context to build)."""
    with httpx.Client(base_url=base_url, timeout=30, verify=False) as pool:
        yield pool


@pytest.fixture
def tenant(services: Services, vendor_pool: httpx.Client) -> Tenant:
    """A fresh tenant, with a client for the native API and for each vendor dialect."""
    return open_tenant(services, vendor_pool)


@pytest.fixture
def vendors(api: TenantClient, vendor_pool: httpx.Client) -> Tenant:
    """The tenant of the `api` fixture, with a client for each vendor dialect."""
    return tenant_on(vendor_pool, api.slug, api.key)
