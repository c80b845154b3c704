"""A fresh SQLite database with one tenant, one API key and N contacts."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast
from uuid import UUID

from bench.data import contact_documents
from counterparty.db import Database
from counterparty.domain.text import compact, fold
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.registry import Services

TENANT_SLUG = "bench"
BATCH_SIZE = 2_000


@dataclass(frozen=True)
class Dataset:
    database_url: str
    database_path: Path
    api_key: str
    contact_ids: list[str]
    load_seconds: float


class _Deferred:
    """The batch's open unit of work as one service call sees it: every repository is the
    batch's, and the call's commit is left to the batch."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # An error propagates to the batch, which rolls the whole batch back.
        return None

    def commit(self) -> None:
        return None


class BatchedUnitsOfWork:
    """A unit-of-work factory that gives every service call of a batch the same transaction.

    Contacts are created through ContactService.create itself, so that they are stored
    exactly as the API stores them (numbers, history, whatever create does next), but one
    commit per batch instead of one per contact makes loading 100k contacts affordable."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._current: _Deferred | None = None

    # `write` is ignored: the batch's transaction is always a write transaction.
    def __call__(self, *, write: bool) -> UnitOfWork:  # noqa: ARG002
        if self._current is None:
            raise RuntimeError("service called outside a batch")
        return cast(UnitOfWork, self._current)

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._database.unit_of_work(write=True) as uow:
            self._current = _Deferred(uow)
            try:
                yield
            finally:
                self._current = None
            uow.commit()


def create_dataset(directory: Path, contacts: int, seed: int) -> Dataset:
    path = directory / "bench.db"
    url = f"sqlite:///{path}"
    database = Database(url)
    try:
        database.migrate()
        services = Services.over(database.unit_of_work)
        services.tenancy.create_tenant(TENANT_SLUG, "Benchmark tenant")
        api_key = services.tenancy.create_key(TENANT_SLUG, "bench").secret
        principal = services.tenancy.authenticate(api_key)
        actor = Actor(principal.tenant, principal.api_key_id, "import")
        batched = BatchedUnitsOfWork(database)
        loader = Services.over(batched)
        started = time.perf_counter()
        ids: list[str] = []
        documents = contact_documents(contacts, seed)
        while batch := list(islice(documents, BATCH_SIZE)):
            with batched.batch():
                ids += [str(loader.contacts.create(actor, document).id) for document in batch]
        load_seconds = time.perf_counter() - started
    finally:
        database.dispose()
    return Dataset(url, path, api_key, ids, load_seconds)


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only: the server owns the database while it runs.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def term_matches(path: Path, terms: Sequence[str]) -> dict[str, int]:
    """Active contacts each search term matches, the way the API's `q` matches them."""
    found: dict[str, int] = {}
    with _connect(path) as connection:
        for term in terms:
            clauses: list[str] = []
            values: list[str] = []
            for word in fold(term).split():
                # The API also matches the word without separators ("cust-1" as "cust1").
                variants = sorted({word, fold(compact(word))} - {""})
                clauses.append("(" + " OR ".join("search_text LIKE ?" for _ in variants) + ")")
                values += [f"%{variant}%" for variant in variants]
            where = " AND ".join(clauses)
            row = connection.execute(
                f"SELECT count(*) FROM contacts WHERE archived = 0 AND {where}", values
            ).fetchone()
            found[term] = int(row[0])
    return found


@dataclass(frozen=True)
class WriteCheck:
    contacts: int
    changed_contacts: int
    versions_added: int
    most_changed_id: str | None


def write_check(path: Path) -> WriteCheck:
    """How many PATCHes reached the database: every successful one adds a version."""
    with _connect(path) as connection:
        total, changed, added = connection.execute(
            "SELECT count(*), sum(version > 1), sum(version - 1) FROM contacts"
        ).fetchone()
        row = connection.execute(
            "SELECT id FROM contacts WHERE version > 1 ORDER BY version DESC LIMIT 1"
        ).fetchone()
    return WriteCheck(
        contacts=int(total),
        changed_contacts=int(changed or 0),
        versions_added=int(added or 0),
        most_changed_id=None if row is None else str(UUID(row[0])),
    )
