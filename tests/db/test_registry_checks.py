"""VAT numbers checked against a registry after the write, with a fake VIES on 127.0.0.1."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from counterparty.db import Database
from counterparty.domain.contact import Contact
from counterparty.registries.vies import ViesClient
from counterparty.services.context import Actor
from counterparty.services.registry import Services

ANSWERS: dict[str, Any] = {
    "/ms/BE/vat/0403019261": {
        "isValid": True,
        "userError": "VALID",
        "name": "NV ANHEUSER-BUSCH INBEV",
        "address": "Grote Markt 1",
    },
    "/ms/NL/vat/004495445B01": {"isValid": False, "userError": "INVALID"},
    "/ms/CZ/vat/25596641": {"isValid": False, "userError": "MS_UNAVAILABLE"},
}
SLOW = "/ms/AT/vat/U13585627"
BROKEN = "/ms/DE/vat/136695976"


class FakeVies(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == SLOW:
            time.sleep(1.5)
        if self.path in ANSWERS:
            body = json.dumps(ANSWERS[self.path]).encode()
            self.send_response(200)
        else:
            body = b"<html>internal error</html>"
            self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def vies_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVies)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def checked(database: Database, vies_url: str) -> Iterator[tuple[Services, Actor]]:
    services = Services.over(
        database.unit_of_work, vat_registry=ViesClient(vies_url, timeout_seconds=0.5)
    )
    tenant = services.tenancy.create_tenant(f"v-{secrets.token_hex(5)}")
    yield services, Actor(tenant, None, "api")
    services.close()


def vat_check(contact: Contact) -> dict[str, Any]:
    return next(c.model_dump() for c in contact.checks if c.field == "vat_number")


def settled(services: Services, actor: Actor, contact: Contact) -> Contact:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        current = services.contacts.get(actor, contact.id)
        if vat_check(current)["status"] != "pending":
            return current
        time.sleep(0.05)
    raise AssertionError("the registry check never finished")


@pytest.mark.parametrize(
    ("vat", "status", "name"),
    [
        ("BE0403019261", "verified", "NV ANHEUSER-BUSCH INBEV"),
        ("NL004495445B01", "not_found", None),
        ("CZ25596641", "unavailable", None),
        ("DE136695976", "unavailable", None),  # the registry answers 500
        ("ATU13585627", "unavailable", None),  # the registry answers after the timeout
    ],
)
def test_the_write_is_stored_at_once_and_the_registry_answers_later(
    checked: tuple[Services, Actor], vat: str, status: str, name: str | None
) -> None:
    services, actor = checked
    started = time.monotonic()
    created = services.contacts.create(actor, {"name": "Registry test", "vat_number": vat})
    assert time.monotonic() - started < 1.0, "the write never waits for the registry"
    assert vat_check(created)["status"] == "pending"
    answered = settled(services, actor, created)
    check = vat_check(answered)
    assert check["status"] == status
    assert check["evidence"]["registry"] == "VIES" and check["evidence"]["checked_at"]
    assert check["evidence"]["name"] == name
    assert answered.version == 2
    events = services.history.history(actor, created.id, None, 10).events
    assert events[0].entry_point == "registry:vies"
    assert events[0].changes[0].path == "checks.vat_number.status"


def test_an_unchanged_number_keeps_its_answer(checked: tuple[Services, Actor]) -> None:
    services, actor = checked
    created = services.contacts.create(actor, {"name": "Keep", "vat_number": "BE0403019261"})
    answered = settled(services, actor, created)
    renamed = services.contacts.patch(actor, created.id, {"name": "Kept"})
    assert vat_check(renamed) == vat_check(answered)
    changed = services.contacts.patch(actor, created.id, {"vat_number": "NL004495445B01"})
    assert vat_check(changed)["status"] == "pending"
    assert vat_check(settled(services, actor, changed))["status"] == "not_found"


def test_without_a_registry_nothing_is_pending(services: Services) -> None:
    tenant = services.tenancy.create_tenant(f"v-{secrets.token_hex(5)}")
    created = services.contacts.create(
        Actor(tenant, None, "api"), {"name": "Plain", "vat_number": "BE0403019261"}
    )
    assert vat_check(created)["status"] == "valid"
