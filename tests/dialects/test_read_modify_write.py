"""Every dialect update is one read-modify-write: `ContactService.edit` hands the contact read
in the write's own transaction to the callback, found by id or by per-tenant number."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from counterparty.domain.contact import Contact
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.services.writes import writable_document
from tests.conftest import TenantClient
from tests.dialects.conftest import ContactReads
from tests.dialects.vendors import Tenant


@pytest.fixture
def actor(services: Services) -> Actor:
    tenant = services.tenancy.create_tenant(f"rmw-{secrets.token_hex(5)}")
    return Actor(tenant, None, "dialect:test")


def test_edit_hands_the_current_contact_to_the_change(services: Services, actor: Actor) -> None:
    created = services.contacts.create(actor, {"name": "A", "tags": ["x"]})
    seen: list[Contact] = []

    def change(current: Contact) -> dict[str, Any]:
        seen.append(current)
        return {**writable_document(current), "tags": [*current.tags, "mine"]}

    saved = services.contacts.edit(actor, created.id, change)
    assert [contact.version for contact in seen] == [1]
    assert saved.tags == ["x", "mine"] and saved.version == 2


def test_edit_finds_a_contact_by_its_number(services: Services, actor: Actor) -> None:
    created = services.contacts.create(actor, {"name": "By number"})
    saved = services.contacts.edit(
        actor, created.number, lambda current: {**writable_document(current), "notes": "n"}
    )
    assert saved.id == created.id and saved.notes == "n"
    with pytest.raises(NotFound):
        services.contacts.edit(actor, created.number + 1000, writable_document)


def test_a_dialect_update_reads_the_contact_once(
    api: TenantClient, vendors: Tenant, contact_reads: ContactReads
) -> None:
    """Each dialect's update, on a contact it did not create, reads that contact once: inside
    the write, where the change is built (Odyssee also reads the company it shows)."""
    company = api.create(name="Reads Once BV", tax_id="1234567890")
    person = api.create(kind="person", last_name="Once", parent_id=company["id"])
    updates = {
        "muhasip": lambda: vendors.muhasip.put(
            f"/{company['id']}", json={"name": "Reads Once BV", "taxId": "1234567890"}
        ),
        "wacs": lambda: vendors.wacs.put(
            f"UpdateContact/{company['number']}", json={"Name": "Reads Once BV", "Memo": "wacs"}
        ),
        "faturaentegrator": lambda: vendors.faturaentegrator.put(
            f"/{company['number']}",
            json={
                "type": "company",
                "title": "Reads Once BV",
                "tax_number": "1234567890",
                "tax_office": "Urla",
                "country": "TÜRKİYE",
                "city": "İzmir",
                "district": "Urla",
                "address": "Açık Adres",
            },
        ),
        "odyssee": lambda: vendors.odyssee.patch(f"({person['id']})", json={"firstname": "Read"}),
        "idoklad": lambda: vendors.idoklad.patch(
            f"/{company['number']}", json={"Www": "reads-once.example"}
        ),
    }
    reads = {}
    for dialect, update in updates.items():
        with contact_reads.counting() as counted:
            response = update()
        assert response.status_code == 200, (dialect, response.text)
        reads[dialect] = counted.of(person if dialect == "odyssee" else company)
    assert reads == dict.fromkeys(updates, 1)
