"""A search returns exactly the contacts whose search text contains every term, in list order,
page after page: the name-ordered index (SQLite) and the trigram index (PostgreSQL) against
a scan of every contact."""

from __future__ import annotations

import random
import secrets
from typing import Any

import pytest

from counterparty.db.contacts import search_text
from counterparty.domain.contact import Contact
from counterparty.domain.text import compact, fold
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery, SortField
from counterparty.services.registry import Services

PREFIXES = ("Ar", "Arı", "Arda", "Bv", "Çelik", "Šťastný", "Zé", "0-9", "Öz", "A.Ş.", "ar-")
WORDS = ("Gent", "İstanbul", "Plzeň", "ışık", "bv", "Straße", "%", "_", '"q"', "Müller")
CITIES = ("Gent", "İzmir", "Brno", "Plzeň", "Den Haag", None)
TERMS = (
    "a", "ş", "ar", "bv", "ç", "ze", "ğı", "ist", "istanbul", "İSTANBUL", "ışık", "plzen",
    "plzeň", "gent", "strasse", "%", "_", '"', "a.ş", "as", "ar gent", "0-9", "09", "mül",
    "qqq", "zz", "ı", "b v", "ce", "elik",
)  # fmt: skip


def random_document(rng: random.Random, index: int) -> dict[str, Any]:
    name = f"{rng.choice(PREFIXES)}{rng.choice(('', ' ', '-'))}{rng.choice(WORDS)} {index}"
    document: dict[str, Any] = {
        "name": name,
        "archived": rng.random() < 0.15,
        "address": {"city": rng.choice(CITIES)},
    }
    if rng.random() < 0.3:
        local = "".join(ch for ch in fold(rng.choice(WORDS)) if ch.isalnum())
        document["email"] = f"{local}x{index}@example.com"
    return document


@pytest.fixture(scope="module")
def population(services: Services) -> tuple[Actor, list[Contact]]:
    rng = random.Random(20261130)
    actors = []
    for _ in range(2):  # the second tenant holds look-alikes that must never show
        tenant = services.tenancy.create_tenant(f"s-{secrets.token_hex(5)}")
        actors.append(Actor(tenant, None, "test"))
    documents = [random_document(rng, index) for index in range(360)]
    result = services.batch.apply(actors[0], documents)
    contacts = [item.contact for item in result.results if item.contact is not None]
    assert len(contacts) == len(documents)
    # The same names (so the same name buckets and numbers) with other words beside them.
    elsewhere = [{**d, "address": {"city": "Gent İstanbul Plzeň ışık"}} for d in documents]
    services.batch.apply(actors[1], elsewhere)
    return actors[0], contacts


def expected(contacts: list[Contact], query: ContactQuery) -> list[str]:
    def matches(contact: Contact) -> bool:
        text = search_text(contact)
        return all(
            any(variant in text for variant in {term, fold(compact(term))} - {""})
            for term in query.terms
        )

    keys = {
        "name": lambda c: (fold(c.name or ""), c.id.hex),
        "number": lambda c: (c.number,),
        "updated_at": lambda c: (c.updated_at, c.id.hex),
    }[query.sort]
    found = [c for c in contacts if not c.archived and matches(c)]
    found.sort(key=keys, reverse=query.descending)  # type: ignore[arg-type]
    return [str(c.id) for c in found]


def all_pages(services: Services, actor: Actor, query: ContactQuery) -> list[str]:
    ids: list[str] = []
    cursor = None
    for _ in range(100):
        page = services.contacts.list(actor, query, cursor)
        ids += [str(item.id) for item in page.listed]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor
    raise AssertionError("no last page")


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("sort", ["name", "-name", "number", "-updated_at"])
def test_every_page_of_a_search_is_exactly_the_matches_in_order(
    services: Services, population: tuple[Actor, list[Contact]], term: str, sort: str
) -> None:
    actor, contacts = population
    sort_field: SortField = sort.removeprefix("-")  # type: ignore[assignment]
    query = ContactQuery(
        terms=tuple(dict.fromkeys(fold(term).split())),
        sort=sort_field,
        descending=sort.startswith("-"),
        limit=7,
    )
    assert all_pages(services, actor, query) == expected(contacts, query)
    if sort == "name":
        counted = services.contacts.list_counted(actor, query)
        assert counted.total == len(expected(contacts, query))
