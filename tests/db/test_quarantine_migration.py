"""Migration 0006 repairs what earlier versions stored and no longer accept, so that the
change feed, the history and the contact read again; the originals go to quarantine."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.db.codec import pack, unpack
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import downgrade, empty_database, new_tenant_client, running_server


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Any) -> Iterator[str]:
    with empty_database(database_url, tmp_path, "quarantine") as url:
        yield url


def test_deep_and_control_values_stored_earlier_are_repaired_and_kept(fresh_url: str) -> None:
    database = Database(fresh_url)
    database.migrate()
    services = Services.over(database.unit_of_work)
    client_slug = f"q-{secrets.token_hex(4)}"
    tenant = services.tenancy.create_tenant(client_slug)
    actor = Actor(tenant, None, "test")
    contact = services.contacts.create(actor, {"name": "Deep Ltd"})
    services.contacts.patch(actor, contact.id, {"notes": "v2"})
    downgrade(database, "0005")
    # What an earlier version let through: 250 nested lists, and (SQLite only) a NUL.
    deep = nested(250)
    sqlite = fresh_url.startswith("sqlite")
    with database.engine.begin() as connection:
        row = connection.execute(text("SELECT document FROM contacts")).one()
        document = orjson.loads(unpack(row.document))
        document["extensions"] = {"vendor": {"payload": deep}}
        if sqlite:
            document["name"] = "Deep\x00Ltd"
        connection.execute(
            text("UPDATE contacts SET document = :document"),
            {"document": pack(orjson.dumps(document))},
        )
        changes = [[["extensions"], {}, {"vendor": {"payload": deep}}, "+"]]
        connection.execute(
            text("UPDATE contact_events SET changes = :changes WHERE version = 2"),
            {"changes": orjson.dumps(changes).decode()},
        )
    database.migrate()
    settings = Settings(database_url=fresh_url, access_log=False)
    with running_server(create_app(settings, database)) as url:
        client = new_tenant_client(services, url)
        # The test tenant's contact is read through a key of its own tenant.
        key = services.tenancy.create_key(client_slug, "reader").secret
        client.http.headers["Authorization"] = f"Bearer {key}"
        feed = client.http.get("/v1/events")
        assert feed.status_code == 200, feed.text
        history = client.http.get(f"/v1/contacts/{contact.id}/history")
        assert history.status_code == 200
        read = client.http.get(f"/v1/contacts/{contact.id}").json()
        assert client.http.get(f"/v1/contacts/{contact.id}/versions/2").status_code == 200
        client.http.close()
    database.dispose()
    assert read["name"] == "DeepLtd" if sqlite else "Deep Ltd"
    payload = read["extensions"]["vendor"]["payload"]
    for _ in range(15):
        payload = payload[0]
    assert payload == "[quarantined]"
    change = history.json()["data"][0]["changes"][0]
    assert change["path"] == "extensions"
    with database.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT place, path, original FROM quarantine ORDER BY place")
        ).all()
    places = [row.place for row in kept]
    assert places == ["changes", "document"] + (["document"] if sqlite else [])
    originals = {
        (row.place, tuple(orjson.loads(row.path) if isinstance(row.path, str) else row.path)): (
            orjson.loads(unpack(row.original))
        )
        for row in kept
    }
    zeros = (0,) * 15
    assert originals[("document", ("extensions", "vendor", "payload", *zeros))] == nested(235)
    assert originals[("changes", (2, "vendor", "payload", *zeros))] == nested(235)
    if sqlite:
        assert originals[("document", ("name",))] == "Deep\x00Ltd"
    database.dispose()
