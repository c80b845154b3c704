"""A contact number outside the storage's 64-bit range names no contact: a lookup by it is a
NotFound on every backend (no driver binds it, so asking the database would be a 500)."""

from __future__ import annotations

import pytest

from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import TenantClient


@pytest.mark.parametrize("number", [2**63, 10**30, 0, -1, -(2**63) - 1])
def test_a_number_beyond_the_storage_range_is_not_found(
    api: TenantClient, services: Services, number: int
) -> None:
    api.create(name="Present")
    actor = Actor(services.tenancy.get_tenant(api.slug), None, "test")
    with pytest.raises(NotFound):
        services.contacts.read_by_number(actor, number)
