"""Both ways a free-text search can run return the same contacts."""

from __future__ import annotations

import secrets

import pytest

from counterparty.db import contacts as contact_table
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery
from counterparty.services.registry import Services


@pytest.mark.parametrize("dense_from", [1, 1000])
def test_index_and_scan_agree(
    services: Services, monkeypatch: pytest.MonkeyPatch, dense_from: int
) -> None:
    tenant = services.tenancy.create_tenant(f"s-{secrets.token_hex(5)}")
    actor = Actor(tenant, None, "test")
    for name in ("Bakkerij Zoet", "Banketbakkerij Jansen", "Slagerij Vos", "Bakker & Zn"):
        services.contacts.create(actor, {"name": name})
    monkeypatch.setattr(contact_table, "DENSE_MATCHES", dense_from)
    found = services.contacts.list(actor, ContactQuery(terms=("bakkerij",), limit=1))
    assert [c.name for c in found.contacts] == ["Bakkerij Zoet"]
    rest = services.contacts.list(
        actor, ContactQuery(terms=("bakkerij",), limit=1), found.next_cursor
    )
    assert [c.name for c in rest.contacts] == ["Banketbakkerij Jansen"]
    assert rest.next_cursor is None
    short = services.contacts.list(actor, ContactQuery(terms=("vo",)))
    assert [c.name for c in short.contacts] == ["Slagerij Vos"]
