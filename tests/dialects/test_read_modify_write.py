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
