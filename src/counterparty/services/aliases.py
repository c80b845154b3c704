"""Merged contacts are aliases of their survivor: reads by their id or number find the
survivor; writes to them are refused, naming it (docs/duplicates.md, "Merge").

Only a read that finds no contact looks here, so reads of live contacts cost nothing more.
"""

from __future__ import annotations

from uuid import UUID

from counterparty.domain.documents import StoredContact
from counterparty.errors import ContactMerged
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork

# A survivor merged into another since is followed to that one, this many times at most.
MAX_HOPS = 20


def _survivor(uow: UnitOfWork, actor: Actor, key: UUID | int) -> UUID | None:
    if isinstance(key, int):
        return uow.merges.survivor_of_number(actor.tenant_id, key)
    return uow.merges.survivor_of(actor.tenant_id, key)


def resolve_alias(uow: UnitOfWork, actor: Actor, key: UUID | int) -> StoredContact | None:
    """The live contact that the contact with this id or number was merged into, if it was."""
    survivor = _survivor(uow, actor, key)
    for _ in range(MAX_HOPS):
        if survivor is None:
            return None
        stored = uow.contacts.get(actor.tenant_id, survivor)
        if stored is not None:
            return StoredContact(stored.version, stored.json, resolved_id=survivor)
        survivor = uow.merges.survivor_of(actor.tenant_id, survivor)
    return None


def refuse_alias_write(uow: UnitOfWork, actor: Actor, key: UUID | int) -> None:
    """A write to a merged contact is a 409 naming the contact it lives on as."""
    found = resolve_alias(uow, actor, key)
    if found is not None:
        what = f"number {key}" if isinstance(key, int) else str(key)
        raise ContactMerged(
            f"contact {what} was merged into {found.resolved_id}; write to that contact "
            "(or unmerge it first)",
            survivor_id=str(found.resolved_id),
        )
