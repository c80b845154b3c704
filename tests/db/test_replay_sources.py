"""Past versions read together (the change feed's and webhooks' documents) are the ones read
one contact version at a time: across snapshots, after a delete, and in a contact's new life
after it was created again with the same id."""

from __future__ import annotations

from uuid import uuid4

from counterparty.db import Database
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.api.test_erasure import distinct


def test_replay_sources_are_each_versions_replay_source(
    services: Services, database: Database
) -> None:
    actor = Actor(services.tenancy.create_tenant(distinct("t")[:30]), None, "test")
    patched = services.contacts.create(actor, {"name": "Patched"})
    for n in range(70):  # past two snapshots (every 32 versions)
        services.contacts.patch(actor, patched.id, {"notes": f"patch {n}"})
    gone = services.contacts.create(actor, {"name": "Gone"})
    services.contacts.patch(actor, gone.id, {"notes": "once"})
    services.contacts.delete(actor, gone.id)
    reborn = services.contacts.create(actor, {"name": "Reborn"})
    for n in range(3):
        services.contacts.patch(actor, reborn.id, {"notes": f"first life {n}"})
    services.contacts.delete(actor, reborn.id)
    services.contacts.create(actor, {"id": str(reborn.id), "name": "Reborn again"})
    services.contacts.patch(actor, reborn.id, {"notes": "second life"})
    wanted = [
        *((patched.id, version) for version in range(1, 74)),
        *((gone.id, version) for version in range(1, 5)),
        *((reborn.id, version) for version in range(1, 7)),
        (uuid4(), 1),
    ]
    with database.unit_of_work(write=False) as uow:
        together = uow.events.replay_sources(actor.tenant_id, wanted)
        one_by_one = {w: uow.events.replay_source(actor.tenant_id, *w) for w in wanted}
    assert together == one_by_one
    assert [e.version for e in together[(patched.id, 70)]] == list(range(64, 71))
    assert [e.type for e in together[(reborn.id, 2)]] == ["created", "updated"]
    assert together[(reborn.id, 2)][-1].entries[0][2] == "second life"  # the latest life's
