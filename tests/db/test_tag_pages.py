"""A page of contacts with a tag: on SQLite, the holders of a rare tag are read first and
sorted; a common tag's page walks the name order and checks each contact (db/listing.py,
COMMON_TAG). The same page either way, on both databases."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from counterparty.db import Database, listing
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery
from counterparty.services.registry import Services
from tests.api.test_erasure import distinct


@contextmanager
def page_statements(database: Database, start: str) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(statement: str, parameters: Any) -> None:
        if statement.startswith(start):
            seen.append((statement, parameters))

    database.observers.append(record)
    try:
        yield seen
    finally:
        database.observers.remove(record)


def plan(database: Database, statement: str, parameters: Any) -> list[str]:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(parameters))
        return [str(row[-1]) for row in rows]


def tag_pages(
    services: Services,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    query: ContactQuery,
    start: str,
) -> tuple[list[str], dict[str, list[str | None]], list[tuple[str, Any]]]:
    """Ten contacts in shuffled order, the first six tagged "common" (more than COMMON_TAG),
    the next two "rare"; the page of `query` with each tag, and the statements beginning with
    `start` that read them."""
    monkeypatch.setattr(listing, "COMMON_TAG", 3)
    actor = Actor(services.tenancy.create_tenant(distinct("t")[:30]), None, "test")
    names = [f"Firma {letter}" for letter in "ABCDEFGHIJ"]
    random.Random(7).shuffle(names)
    tags = {name: ["common"] for name in names[:6]} | {name: ["rare"] for name in names[6:8]}
    services.batch.apply(actor, [{"name": n, "tags": tags.get(n, [])} for n in names])
    pages = {}
    with page_statements(database, start) as seen:
        for tag in ("common", "rare"):
            found = services.contacts.list(actor, replace(query, tag=tag)).contacts
            pages[tag] = [contact.name for contact in found]
    return names, pages, seen


def test_a_common_tag_walks_the_name_order_and_a_rare_one_reads_its_holders(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    names, pages, seen = tag_pages(
        services, database, monkeypatch, ContactQuery(limit=4), "SELECT id, number"
    )
    assert pages["common"] == sorted(n for n in names[:6])[:4]
    assert pages["rare"] == sorted(names[6:8])
    if database.engine.dialect.name != "sqlite":
        return
    (common, common_parameters), (rare, rare_parameters) = seen
    assert "EXISTS" in common and "EXISTS" not in rare
    walk = plan(database, common, common_parameters)
    assert any("ix_contacts_tenant_id_name_key_id" in step for step in walk), walk
    assert not any("TEMP B-TREE" in step for step in walk), walk
    holders_first = plan(database, rare, rare_parameters)
    assert any("TEMP B-TREE FOR ORDER BY" in step for step in holders_first), holders_first


def test_a_search_with_a_common_tag_checks_each_match_for_it(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each chunk of a search's matches is filtered by one statement: a common tag is looked
    # up for each match there, not read whole for every chunk.
    names, pages, seen = tag_pages(
        services, database, monkeypatch, ContactQuery(terms=("firma",)), "SELECT rowid, name_key"
    )
    assert pages == {"common": sorted(names[:6]), "rare": sorted(names[6:8])}
    if database.engine.dialect.name == "sqlite":
        assert ["EXISTS" in statement for statement, _ in seen] == [True, False]
