"""GDPR erasure: after POST /v1/contacts/{id}/erase no erased value is anywhere in storage.

The proof reads storage itself, not the API: every text, JSON and binary column of every table
(stored documents and snapshots decompressed), and on SQLite the bytes of the database file
and its write-ahead log, including every compressed frame found in them.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import zstandard
from schwifty import IBAN
from sqlalchemy import text

from counterparty.db import Database, codec
from counterparty.services.registry import Services
from tests.conftest import TenantClient

_FRAME_MAGIC = b"\x28\xb5\x2f\xfd"
_DICTIONARY = zstandard.ZstdCompressionDict(
    (Path(codec.__file__).parent / "document-dictionary-v1.json").read_bytes(),
    dict_type=zstandard.DICT_TYPE_RAWCONTENT,
)


def _readable(value: Any) -> str:
    """A stored value as text: compressed documents decompressed."""
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        try:
            return codec.unpack(value).decode()
        except Exception:
            return value.decode("latin-1")
    return str(value)


def stored_texts(database: Database) -> list[str]:
    """Every text, JSON and binary value of every table."""
    found: list[str] = []
    with database.engine.connect() as connection:
        if database.engine.dialect.name == "sqlite":
            tables = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            ).scalars()
            columns = [
                (table, column[1])
                for table in list(tables)
                for column in connection.exec_driver_sql(f'PRAGMA table_info("{table}")')
            ]
        else:
            columns = [
                (row[0], row[1])
                for row in connection.execute(
                    text(
                        "SELECT table_name, column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND data_type IN "
                        "('text', 'character varying', 'bytea', 'json', 'jsonb')"
                    )
                )
            ]
        for table, column in columns:
            rows = connection.exec_driver_sql(f'SELECT "{column}" FROM "{table}"').scalars()
            found.extend(_readable(value) for value in rows if value is not None)
    return found


def bytes_read_elsewhere(path: Path) -> bytes:
    """The file's bytes, read by another process: closing a descriptor of a database file in
    this process would drop every lock SQLite holds on it here (POSIX locks are per process),
    and the connections still open on it would then fail."""
    reader = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"
    return subprocess.run(
        [sys.executable, "-c", reader, str(path)], capture_output=True, check=True
    ).stdout


def file_texts(database: Database) -> list[str]:
    """SQLite: the database file and its log as bytes, and every compressed frame in them
    (once a log that was busy at the erasure has been emptied in the background)."""
    deadline = time.monotonic() + 30
    while database.log_truncation_pending and time.monotonic() < deadline:
        time.sleep(0.05)
    path = Path(str(database.engine.url.database))
    found = []
    for part in (path, Path(f"{path}-wal")):
        if not part.exists():
            continue
        data = bytes_read_elsewhere(part)
        found.append(data.decode("latin-1"))
        start = data.find(_FRAME_MAGIC)
        while start != -1:
            try:
                reader = zstandard.ZstdDecompressor(dict_data=_DICTIONARY).decompressobj()
                found.append(reader.decompress(data[start : start + 65536]).decode("latin-1"))
            except zstandard.ZstdError:
                pass
            start = data.find(_FRAME_MAGIC, start + 1)
    return found


def traces(database: Database, values: list[str]) -> set[str]:
    texts = stored_texts(database)
    if database.engine.dialect.name == "sqlite":
        texts += file_texts(database)
    return {value for value in values if any(value in found for found in texts)}


def distinct(label: str) -> str:
    return f"qz{label}{secrets.token_hex(6)}"


@pytest.fixture
def person(api: TenantClient) -> dict[str, Any]:
    """A person with a distinctive value in every personal field, created idempotently and
    changed 32 times (a snapshot at version 32 and differences between)."""
    iban = str(
        IBAN.generate("DE", bank_code="37040044", account_code=str(secrets.randbelow(10**10)))
    )
    document = {
        "kind": "person",
        "name": f"Retained {distinct('name')}",
        "first_name": distinct("first"),
        "last_name": distinct("last"),
        "email": f"{distinct('mail')}@example.org",
        "phone": f"+3247{secrets.randbelow(10**7):07d}",
        "website": f"https://{distinct('web')}.example",
        "vat_number": "BE0403170701",
        "address": {"street": f"Street {distinct('street')}", "city": "Gent", "country_code": "BE"},
        "bank_accounts": [{"iban": iban}],
        "contact_persons": [{"name": distinct("cp"), "email": f"{distinct('cpmail')}@example.org"}],
        "birth_date": "1971-03-14",
        "notes": distinct("notes"),
        "tags": [distinct("tag")],
        "custom_fields": {"hobby": distinct("custom")},
        "extensions": {"acme": {"secret": distinct("ext")}},
    }
    created = api.http.post(
        "/v1/contacts", json=document, headers={"Idempotency-Key": distinct("idem")}
    )
    assert created.status_code == 201, created.text
    contact: dict[str, Any] = created.json()
    url = f"/v1/contacts/{contact['id']}"
    earlier = []
    for index in range(32):
        changes: dict[str, Any] = {"notes": distinct(f"n{index}")}
        if index == 5:
            changes["email"] = f"{distinct('newmail')}@example.org"
        response = api.http.patch(url, json=changes)
        assert response.status_code == 200, response.text
        earlier.append(changes)
    contact["earlier"] = earlier
    contact["url"] = url
    return contact


def erased_values(person: dict[str, Any]) -> list[str]:
    values = [
        person["first_name"],
        person["last_name"],
        person["email"],
        person["phone"],
        person["website"],
        person["bank_accounts"][0]["iban"],
        person["contact_persons"][0]["name"],
        person["contact_persons"][0]["email"],
        person["notes"],
        person["tags"][0],
        person["custom_fields"]["hobby"],
        person["extensions"]["acme"]["secret"],
    ]
    for changes in person["earlier"]:
        values.extend(value for value in changes.values() if isinstance(value, str))
    return values


def test_erasure_leaves_no_erased_value_in_storage(
    api: TenantClient, database: Database, person: dict[str, Any]
) -> None:
    erased = erased_values(person)
    assert traces(database, erased) == set(erased), "the test must see the values first"
    url = person["url"]

    response = api.http.post(f"{url}/erase", headers={"If-Match": '"33"'})

    assert response.status_code == 200, response.text
    contact = response.json()
    assert response.headers["ETag"] == '"34"' and contact["version"] == 34
    assert traces(database, erased) == set()
    retained = [person["name"], person["address"]["street"], person["vat_number"]]
    assert traces(database, retained) == set(retained)
    assert contact["name"] == person["name"] and contact["vat_number"] == "BE0403170701"
    assert contact["address"] == person["address"]
    for field in ("first_name", "last_name", "email", "phone", "website", "birth_date", "notes"):
        assert contact[field] is None, field
    assert contact["bank_accounts"] == contact["contact_persons"] == contact["tags"] == []
    assert contact["custom_fields"] == contact["extensions"] == {}
    assert api.http.get(url).json() == contact


def test_history_keeps_every_version_without_the_erased_values(
    services: Services, api: TenantClient, person: dict[str, Any]
) -> None:
    url = person["url"]
    assert api.http.post(f"{url}/erase").status_code == 200

    events = api.http.get(f"{url}/history", params={"limit": 200}).json()["data"]
    assert [e["version"] for e in events] == list(range(34, 0, -1))
    erased_event = events[0]
    key = services.tenancy.list_keys(api.slug)[0]
    assert erased_event["type"] == "erased" and erased_event["api_key_id"] == str(key.id)
    [change] = erased_event["changes"]
    assert change["path"] == "erased" and change["old"] is None
    assert "email" in change["new"] and "name" not in change["new"]
    assert all(c["path"] != "email" for e in events for c in e["changes"])
    for version in (1, 2, 31, 32, 33, 34):
        old = api.http.get(f"{url}/versions/{version}").json()
        assert old["email"] is None and old["notes"] is None and old["name"] == person["name"]
        assert old["version"] == version
    feed = api.http.get("/v1/events", params={"limit": 1000}).json()["data"]
    assert feed[-1]["type"] == "erased" and feed[-1]["contact"]["email"] is None
    assert person["email"] not in str(feed)


def test_search_finds_the_retained_name_and_not_the_erased_values(
    api: TenantClient, person: dict[str, Any]
) -> None:
    email = person["earlier"][5]["email"]
    assert [c["id"] for c in api.http.get("/v1/contacts", params={"q": email}).json()["data"]] == [
        person["id"]
    ]
    api.http.post(f"{person['url']}/erase")
    assert api.http.get("/v1/contacts", params={"q": email}).json()["data"] == []
    found = api.http.get("/v1/contacts", params={"q": person["name"]}).json()["data"]
    assert [c["id"] for c in found] == [person["id"]]


def test_erasure_is_idempotent_and_honours_if_match(
    api: TenantClient, person: dict[str, Any]
) -> None:
    url = person["url"]
    stale = api.http.post(f"{url}/erase", headers={"If-Match": '"32"'})
    assert stale.status_code == 412
    assert api.http.get(url).json()["email"] == person["earlier"][5]["email"]

    first = api.http.post(f"{url}/erase", headers={"If-Match": '"33"'})
    again = api.http.post(f"{url}/erase")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["ETag"] == '"34"'
    history = api.http.get(f"{url}/history", params={"limit": 200}).json()["data"]
    assert [e["type"] for e in history].count("erased") == 1


def test_another_tenants_contact_is_not_found(
    api: TenantClient, other_api: TenantClient, person: dict[str, Any]
) -> None:
    response = other_api.http.post(f"{person['url']}/erase")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert api.http.get(person["url"]).json()["notes"] == person["earlier"][-1]["notes"]
    assert other_api.http.post("/v1/contacts/not-an-id/erase").status_code == 404


def test_a_company_keeps_its_own_data_and_loses_its_people(api: TenantClient) -> None:
    company = api.create(
        name="Acme Ltd",
        email="office@acme.example",
        phone="+3292345678",
        contact_persons=[{"name": "Jan Peeters", "email": "jan@acme.example"}],
        notes="Jan prefers calls",
        custom_fields={"owner": "Jan"},
    )
    erased = api.http.post(f"/v1/contacts/{company['id']}/erase").json()
    assert erased["email"] == "office@acme.example" and erased["phone"] == company["phone"]
    assert erased["contact_persons"] == [] and erased["notes"] is None
    assert erased["custom_fields"] == {}


def test_retention_fields_are_a_tenant_setting(api: TenantClient) -> None:
    assert api.http.get("/v1/tenant").json()["retention_fields"] == [
        "name",
        "tax_id",
        "vat_number",
        "address",
    ]
    bad = api.http.patch("/v1/tenant", json={"retention_fields": ["name", "id"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/retention_fields/1"
    assert api.http.get("/v1/tenant").json()["retention_fields"][0] == "name"
    changed = api.http.patch("/v1/tenant", json={"retention_fields": ["vat_number", "email"]})
    assert changed.json()["retention_fields"] == ["vat_number", "email"]

    person = api.create(
        kind="person", name="Ann Smith", email="ann@example.org", address={"city": "Gent"}
    )
    erased = api.http.post(f"/v1/contacts/{person['id']}/erase").json()
    assert erased["email"] == "ann@example.org"
    assert erased["name"] == "(erased)" and erased["address"]["city"] is None


def test_stored_responses_of_idempotent_requests_are_erased(
    api: TenantClient, person: dict[str, Any]
) -> None:
    url = person["url"]
    key = distinct("archive")
    archived = api.http.post(f"{url}/archive", headers={"Idempotency-Key": key})
    assert archived.json()["email"] is not None
    api.http.post(f"{url}/erase")
    replayed = api.http.post(f"{url}/archive", headers={"Idempotency-Key": key})
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["email"] is None and replayed.json()["name"] == person["name"]


def test_a_deleted_contacts_history_is_erased(
    api: TenantClient, database: Database, person: dict[str, Any]
) -> None:
    url = person["url"]
    assert api.http.delete(url).status_code == 204
    erased = erased_values(person)
    assert api.http.post(f"{url}/erase", headers={"If-Match": '"33"'}).status_code == 412

    response = api.http.post(f"{url}/erase")

    assert response.status_code == 204
    assert traces(database, erased) == set()
    history = api.http.get(f"{url}/history", params={"limit": 200}).json()["data"]
    assert [e["type"] for e in history[:2]] == ["deleted", "updated"]
    assert api.http.get(f"{url}/versions/33").json()["name"] == person["name"]
    assert api.http.post(f"{url}/erase").status_code == 204


def unique_vat_number() -> str:
    """A valid Belgian VAT number no other test uses (97 minus the first eight digits mod 97)."""
    first = f"0{secrets.randbelow(9 * 10**6) + 10**6:07d}"
    return f"BE{first}{97 - int(first) % 97:02d}"


def test_identifier_lookups_of_erased_numbers_are_gone(
    api: TenantClient, database: Database
) -> None:
    assert api.http.patch("/v1/tenant", json={"retention_fields": []}).status_code == 200
    vat = unique_vat_number()
    person = api.create(kind="person", name="Ann Smith", vat_number=vat)
    digits = vat[2:]
    assert traces(database, [digits]) == {digits}

    erased = api.http.post(f"/v1/contacts/{person['id']}/erase").json()

    assert erased["vat_number"] is None and erased["name"] == "(erased)"
    assert traces(database, [digits]) == set()
