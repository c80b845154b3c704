"""A fresh SQLite database with one tenant, one API key and N contacts."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from counterparty.db import Database
from counterparty.domain.contact import WRITABLE_FIELDS, Contact, ContactCreate
from counterparty.domain.ids import new_id
from counterparty.domain.text import compact, fold
from counterparty.domain.validation import validate_document
from counterparty.services.contacts import CONTACT_NUMBER_COUNTER
from counterparty.services.registry import Services

from bench.data import contact_documents

TENANT_SLUG = "bench"
BATCH_SIZE = 2_000


@dataclass(frozen=True)
class Dataset:
    database_url: str
    database_path: Path
    api_key: str
    contact_ids: list[str]
    load_seconds: float
    validate_seconds: float
    insert_seconds: float


def _stored_contact(validated: ContactCreate, number: int, now: datetime) -> Contact:
    # Built as ContactService.create builds it, so rows are indistinguishable from rows
    # created through the API; only the per-contact transaction is skipped.
    return Contact.model_construct(
        **{name: getattr(validated, name) for name in WRITABLE_FIELDS},
        id=validated.id or new_id(),
        number=number,
        archived_at=now if validated.archived else None,
        checks=[],
        version=1,
        created_at=now,
        updated_at=now,
    )


def _insert_batch(
    database: Database, tenant_id: UUID, batch: Sequence[ContactCreate]
) -> list[str]:
    ids: list[str] = []
    now = datetime.now(UTC)
    with database.unit_of_work(write=True) as uow:
        for validated in batch:
            number = uow.tenants.next_value(tenant_id, CONTACT_NUMBER_COUNTER)
            contact = _stored_contact(validated, number, now)
            uow.contacts.insert(tenant_id, contact)
            ids.append(str(contact.id))
        uow.commit()
    return ids


def create_dataset(directory: Path, contacts: int, seed: int) -> Dataset:
    path = directory / "bench.db"
    url = f"sqlite:///{path}"
    database = Database(url)
    try:
        database.migrate()
        services = Services.over(database.unit_of_work)
        tenant = services.tenancy.create_tenant(TENANT_SLUG, "Benchmark tenant")
        api_key = services.tenancy.create_key(TENANT_SLUG, "bench").secret
        started = time.perf_counter()
        validate_seconds = 0.0
        ids: list[str] = []
        batch: list[ContactCreate] = []
        for document in contact_documents(contacts, seed):
            moment = time.perf_counter()
            batch.append(validate_document(ContactCreate, document))
            validate_seconds += time.perf_counter() - moment
            if len(batch) == BATCH_SIZE:
                ids += _insert_batch(database, tenant.id, batch)
                batch.clear()
        if batch:
            ids += _insert_batch(database, tenant.id, batch)
        load_seconds = time.perf_counter() - started
    finally:
        database.dispose()
    return Dataset(
        database_url=url,
        database_path=path,
        api_key=api_key,
        contact_ids=ids,
        load_seconds=load_seconds,
        validate_seconds=validate_seconds,
        insert_seconds=load_seconds - validate_seconds,
    )


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
