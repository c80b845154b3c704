"""The benchmark's databases: made, read and dropped, on SQLite or PostgreSQL alike.

Everything here reads the database directly, beside the server, never through it: the ids wrk
draws from, the versions PATCHes added, how many contacts each search term matches, and the
contacts a deep list page starts after.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text

from bench.dataset.terms import Term
from counterparty.db import Database, alembic_config
from counterparty.db.values import values_for
from counterparty.domain.text import compact, fold
from counterparty.services.listing import Listed, encode_cursor
from counterparty.services.registry import Services
from counterparty.web.list_query import parse_list_parameters

TENANT_SLUG = "bench"
PAGE_SIZE = 50
_ORDER = {"name": "name_key, id", "updated_at": "updated_at, id"}


def schema_revision() -> str:
    """The Alembic head this code migrates to: a cached database must have been made by it."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return str(head)


def prepare(url: str) -> str:
    """Migrate a fresh database, make the benchmark's tenant and return its API key."""
    database = Database(url)
    try:
        database.migrate()
        services = Services.over(database.unit_of_work)
        services.tenancy.create_tenant(TENANT_SLUG, "Benchmark tenant")
        return services.tenancy.create_key(TENANT_SLUG, "bench").secret
    finally:
        database.dispose()


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A database of its own for one run, dropped afterwards whatever happens."""
    name = f"counterparty_bench_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin.url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@dataclass(frozen=True)
class WriteCounts:
    contacts: int
    versions_added: int
    last_updated_id: str


@dataclass(frozen=True)
class DeepPage:
    """A cursor built the way the service builds it, positioned `depth` contacts into the
    list, and the contact the page must start with."""

    cursor: str
    first_id: str


class Inspector:
    """Read-only questions to the benchmark tenant's data."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        self._values = values_for(self.engine.dialect.name)
        row = self._one(
            "SELECT id, cursor_secret FROM tenants WHERE slug = :slug", slug=TENANT_SLUG
        )
        self.tenant_id = row[0]
        self._cursor_secret = bytes(row[1])

    def close(self) -> None:
        self.engine.dispose()

    def _one(self, statement: str, **parameters: Any) -> Sequence[Any]:
        with self.engine.connect() as connection:
            row = connection.execute(text(statement), parameters).one()
        return tuple(row)

    def contact_ids(self) -> list[str]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id FROM contacts WHERE tenant_id = :t ORDER BY number"),
                {"t": self.tenant_id},
            )
            return [str(self._values.read_uuid(row[0])) for row in rows]

    def active_contacts(self) -> int:
        return int(
            self._one(
                "SELECT count(*) FROM contacts WHERE tenant_id = :t AND archived = false",
                t=self.tenant_id,
            )[0]
        )

    def write_counts(self) -> WriteCounts:
        total, added = self._one(
            "SELECT count(*), sum(version - 1) FROM contacts WHERE tenant_id = :t",
            t=self.tenant_id,
        )
        last = self._one(
            "SELECT id FROM contacts WHERE tenant_id = :t ORDER BY updated_at DESC LIMIT 1",
            t=self.tenant_id,
        )[0]
        return WriteCounts(int(total), int(added or 0), str(self._values.read_uuid(last)))

    def term_matches(self, terms: Sequence[Term]) -> dict[str, int]:
        """Active contacts each term matches, counted with LIKE over `search_text`, the way
        the API's `q` defines a match (every word, as typed or without separators)."""
        found: dict[str, int] = {}
        for term in terms:
            clauses, parameters = [], {"t": self.tenant_id}
            for w, word in enumerate(fold(term.text).split()):
                variants = sorted({word, fold(compact(word))} - {""})
                names = [f"p{w}_{v}" for v in range(len(variants))]
                clauses.append("(" + " OR ".join(f"search_text LIKE :{n}" for n in names) + ")")
                parameters.update(
                    {n: f"%{variant}%" for n, variant in zip(names, variants, strict=True)}
                )
            statement = (
                "SELECT count(*) FROM contacts WHERE tenant_id = :t AND archived = false AND "
                + " AND ".join(clauses)
            )
            found[term.text] = int(self._one(statement, **parameters)[0])
        return found

    def deep_page(self, sort: str, depth: int) -> DeepPage:
        statement = (
            "SELECT id, number, name_key, updated_at FROM contacts "
            "WHERE tenant_id = :t AND archived = false "
            f"ORDER BY {_ORDER[sort]} LIMIT 2 OFFSET :depth"
        )
        with self.engine.connect() as connection:
            rows = connection.execute(text(statement), {"t": self.tenant_id, "depth": depth})
            last, first = (tuple(row) for row in rows.all())
        query, _ = parse_list_parameters({"sort": sort, "limit": str(PAGE_SIZE)})
        values = self._values
        position = Listed(
            id=values.read_uuid(last[0]),
            number=int(last[1]),
            name_key=last[2],
            updated_at=values.read_moment(last[3]),
            document=b"",
        )
        return DeepPage(
            encode_cursor(self._cursor_secret, query, position), str(values.read_uuid(first[0]))
        )
