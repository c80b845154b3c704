"""Matching keys: the name key without legal forms, and the keys every write keeps in
contact_keys (and migration 0009 derives for contacts stored before)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text

from counterparty.db import Database
from counterparty.domain.legal_forms import name_key
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import downgrade, empty_database

# Every legal form the issue names, after a name, and what the key keeps.
FORMS = [
    "A.Ş.",
    "Anonim Şirketi",
    "ANONİM ŞİRKETİ",
    "Ltd. Şti.",
    "Ltd.Şti.",
    "Limited Şirketi",
    "B.V.",
    "BV",
    "N.V.",
    "VOF",
    "BVBA",
    "SRL",
    "SA",
    "NV",
    "s.r.o.",
    "spol. s r.o.",
    "a.s.",
    "GmbH",
    "AG",
    "SARL",
    "SAS",
    "Ltd",
    "LLC",
    "Inc.",
    "GmbH & Co. KG",
]


@pytest.mark.parametrize("form", FORMS)
def test_legal_forms_are_left_out_of_the_name_key(form: str) -> None:
    assert name_key(f"Çağlar Straße {form}") == "caglar strasse"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("İSTANBUL Gıda", "istanbul gida"),
        ("Žlutý kůň, s.r.o.", "zluty kun"),
        ("ABC San. ve Tic. Ltd. Şti.", "abc sanayi ve ticaret"),
        ("A.B.C. Trading", "abc trading"),
        ("AG", "ag"),  # never the whole name
        ("Foo Private", "foo private"),  # a word cleanco takes for a form, ours do not
    ],
)
def test_the_name_key_folds_like_search(name: str, key: str) -> None:
    assert name_key(name) == key


def stored_keys(database: Database, contact_id: UUID) -> set[tuple[str, str]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT field, value FROM contact_keys WHERE contact_id = :id"),
            {"id": contact_id if database.engine.dialect.name == "postgresql" else contact_id.hex},
        )
        return {(row.field, row.value) for row in rows}


FULL = {
    "name": "De Klok Brouwerij N.V.",
    "vat_number": "BE 0403.019.261",
    "email": "Info@Klok.example",
    "phone": "+32 9 223 45 67",
    "mobile": "+32 9 223 45 67",
    "bank_accounts": [{"iban": "BE68 5390 0754 7034"}, {"iban": "BE68539007547034"}],
    "address": {"country_code": "BE"},
}
FULL_KEYS = {
    ("vat_number", "BE0403019261"),
    ("email", "info@klok.example"),
    ("phone", "+3292234567"),
    ("iban", "BE68539007547034"),
    ("name", "klok"),
}


def test_every_write_keeps_the_keys(database: Database, services: Services) -> None:
    actor = Actor(services.tenancy.create_tenant(f"k-{secrets.token_hex(4)}"), None, "test")
    contact = services.contacts.create(actor, FULL)
    assert stored_keys(database, contact.id) == FULL_KEYS
    services.contacts.patch(actor, contact.id, {"name": "Other Name BV", "email": None})
    assert stored_keys(database, contact.id) == FULL_KEYS - {
        ("email", "info@klok.example"),
        ("name", "klok"),
    } | {("name", "other")}
    services.contacts.delete(actor, contact.id)
    assert stored_keys(database, contact.id) == set()


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Any) -> Iterator[str]:
    with empty_database(database_url, tmp_path, "keys") as url:
        yield url


def test_the_migration_derives_the_keys_of_stored_contacts(fresh_url: str) -> None:
    database = Database(fresh_url)
    database.migrate()
    services = Services.over(database.unit_of_work)
    actor = Actor(services.tenancy.create_tenant("before"), None, "test")
    written = services.batch.apply(actor, [{**FULL, "name": f"Klok {n}"} for n in range(3)])
    contacts = [item.contact for item in written.results if item.contact is not None]
    assert len(contacts) == 3
    downgrade(database, "0008")  # what revision 0008's writes stored: the VAT number's key only
    assert stored_keys(database, contacts[0].id) == {("vat_number", "BE0403019261")}
    database.migrate()
    for contact in contacts:
        assert stored_keys(database, contact.id) == FULL_KEYS
    database.dispose()
