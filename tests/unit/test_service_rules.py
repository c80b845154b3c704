"""What the services decide, run over the in-memory unit of work (tests/fakes.py).

The same rules are tested through HTTP on both real databases elsewhere; these tests pin the
decisions themselves, quickly, and show that a refused write leaves storage as it was.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from counterparty.errors import ContactInUse, DuplicateValue, PreconditionFailed, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.services.writes import WriteOptions
from tests.fakes import FakeDatabase

COMPANY = {"kind": "company", "name": "Anadolu Ticaret A.Ş.", "address": {"country_code": "TR"}}


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def services(database: FakeDatabase) -> Iterator[Services]:
    services = Services.over(database)
    yield services
    services.close()


def actor_of(services: Services, slug: str) -> Actor:
    tenant = services.tenancy.create_tenant(slug)
    return Actor(tenant=tenant, api_key_id=None, entry_point="api")


def test_numbers_count_per_tenant(services: Services) -> None:
    first, second = actor_of(services, "first"), actor_of(services, "second")
    numbers = [services.contacts.create(first, COMPANY).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert services.contacts.create(second, COMPANY).number == 1


def test_stale_if_match_names_the_changed_fields_and_writes_nothing(
    services: Services, database: FakeDatabase
) -> None:
    actor = actor_of(services, "acme")
    created = services.contacts.create(actor, COMPANY)
    services.contacts.patch(actor, created.id, {"notes": "called"})
    commits = database.data.commits

    with pytest.raises(PreconditionFailed) as refused:
        services.contacts.patch(
            actor, created.id, {"name": "Other"}, options=WriteOptions(if_match=frozenset({1}))
        )

    assert refused.value.current_version == 2
    assert refused.value.changed_fields == ["notes"]
    assert database.data.commits == commits
    assert services.contacts.get(actor, created.id).name == COMPANY["name"]


def test_a_patch_that_changes_nothing_makes_no_version_and_no_event(
    services: Services, database: FakeDatabase
) -> None:
    actor = actor_of(services, "acme")
    created = services.contacts.create(actor, COMPANY)

    same = services.contacts.patch(actor, created.id, {"name": COMPANY["name"]})

    assert same.version == 1
    assert len(database.data.events[actor.tenant_id]) == 1


def test_an_external_ref_belongs_to_one_contact(services: Services) -> None:
    actor = actor_of(services, "acme")
    holder = services.contacts.create(actor, {**COMPANY, "external_ref": "crm-1"})

    with pytest.raises(DuplicateValue) as refused:
        services.contacts.create(actor, {**COMPANY, "external_ref": "crm-1"})

    assert refused.value.extra()["existing_id"] == str(holder.id)


def test_the_same_external_ref_in_another_tenant_is_free(services: Services) -> None:
    services.contacts.create(actor_of(services, "first"), {**COMPANY, "external_ref": "crm-1"})
    other = services.contacts.create(
        actor_of(services, "second"), {**COMPANY, "external_ref": "crm-1"}
    )
    assert other.external_ref == "crm-1"


def test_a_parent_with_children_cannot_be_deleted(services: Services) -> None:
    actor = actor_of(services, "acme")
    parent = services.contacts.create(actor, COMPANY)
    child = services.contacts.create(
        actor, {"kind": "person", "name": "Ayşe Yılmaz", "parent_id": str(parent.id)}
    )

    with pytest.raises(ContactInUse) as refused:
        services.contacts.delete(actor, parent.id)

    assert str(child.id) in str(refused.value)
    assert services.contacts.get(actor, parent.id).id == parent.id


def test_a_refused_create_stores_nothing(services: Services, database: FakeDatabase) -> None:
    actor = actor_of(services, "acme")
    commits = database.data.commits

    with pytest.raises(ValidationFailed):
        services.contacts.create(actor, {**COMPANY, "email": "not an address"})

    assert database.data.commits == commits
    assert not database.data.contacts


def test_a_create_refused_inside_its_write_takes_no_number(services: Services) -> None:
    actor = actor_of(services, "acme")
    services.contacts.create(actor, {**COMPANY, "external_ref": "crm-1"})

    with pytest.raises(DuplicateValue):
        services.contacts.create(actor, {**COMPANY, "external_ref": "crm-1"})

    assert services.contacts.create(actor, COMPANY).number == 2


def test_a_batch_keeps_its_good_items_and_a_rerun_changes_nothing(
    services: Services, database: FakeDatabase
) -> None:
    actor = actor_of(services, "acme")
    items = [
        {**COMPANY, "external_ref": "a"},
        {**COMPANY, "external_ref": "b", "email": "not an address"},
        {**COMPANY, "external_ref": "c"},
    ]

    first = services.batch.apply(actor, items, match_on="external_ref")
    events = len(database.data.events[actor.tenant_id])
    again = services.batch.apply(actor, items, match_on="external_ref")

    assert [r.action for r in first.results] == ["created", "failed", "created"]
    assert [r.action for r in again.results] == ["unchanged", "failed", "unchanged"]
    assert len(database.data.events[actor.tenant_id]) == events
