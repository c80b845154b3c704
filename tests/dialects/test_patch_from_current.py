"""A vendor write built from what it read never undoes a change that landed in between."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from counterparty.dialects.base import patch_from_current
from counterparty.domain.contact import Contact
from counterparty.errors import PreconditionFailed
from counterparty.services.context import Actor
from counterparty.services.registry import Services


@pytest.fixture
def actor(services: Services) -> Actor:
    tenant = services.tenancy.create_tenant(f"p-{secrets.token_hex(5)}")
    return Actor(tenant, None, "dialect:test")


def test_a_write_in_between_makes_it_rebuild(services: Services, actor: Actor) -> None:
    created = services.contacts.create(actor, {"name": "A", "tags": ["x"]})
    builds: list[int] = []

    def build(current: Contact) -> dict[str, Any]:
        builds.append(current.version)
        if len(builds) == 1:  # another client writes after our read
            services.contacts.patch(actor, created.id, {"tags": ["x", "theirs"]})
        return {"tags": [*current.tags, "mine"]}

    result = patch_from_current(services.contacts, actor, created.id, build)
    assert builds == [1, 2]
    assert result.tags == ["x", "theirs", "mine"]


def test_it_gives_up_after_the_attempts(services: Services, actor: Actor) -> None:
    created = services.contacts.create(actor, {"name": "B"})

    def always_raced(current: Contact) -> dict[str, Any]:
        services.contacts.patch(actor, created.id, {"notes": f"v{current.version}"})
        return {"name": "never"}

    with pytest.raises(PreconditionFailed):
        patch_from_current(services.contacts, actor, created.id, always_raced, attempts=2)
    assert services.contacts.get(actor, created.id).name == "B"
