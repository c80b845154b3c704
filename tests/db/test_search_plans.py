"""SQLite's plans for the statements a search page runs after the index: each reads the
contacts it names by row id, never every contact of the tenant through an index on tenant_id
(what the planner chose for `tenant_id = ? AND rowid IN (…)`, half a second a page at a million
contacts)."""

from __future__ import annotations

import pytest

from counterparty.db import Database
from counterparty.db.listing import CHUNK, documents_sql, matches_sql


def plan(database: Database, statement: str, parameters: list[object]) -> list[str]:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(parameters))
        return [str(row[-1]) for row in rows]


@pytest.mark.parametrize(
    ("statement", "parameters"),
    [
        (matches_sql("tenant_id = ? AND archived = ?"), [*range(CHUNK), "t", 0]),
        (documents_sql(51), ["t", *range(51)]),
    ],
    ids=["matches", "documents"],
)
def test_a_search_page_reads_contacts_by_row_id(
    database: Database, statement: str, parameters: list[object]
) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL searches through pg_trgm, not these statements")
    steps = plan(database, statement, parameters)
    assert steps == ["SEARCH contacts USING INTEGER PRIMARY KEY (rowid=?)"], steps
