"""A contact's place in its hierarchy: the contacts that name it as their parent."""

from __future__ import annotations

from uuid import UUID

from counterparty.domain.contact import Contact
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions

MAX_CHILDREN_SHOWN = 20


class ContactHierarchy:
    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions

    def children(
        self, actor: Actor, contact_id: UUID, limit: int = MAX_CHILDREN_SHOWN
    ) -> list[Contact]:
        """Up to `limit` contacts whose parent is `contact_id`, in one read."""

        def work(uow: UnitOfWork) -> list[Contact]:
            ids = uow.contacts.children(actor.tenant_id, contact_id, limit)
            found = uow.contacts.get_many(actor.tenant_id, list(ids))
            return [found[child].contact() for child in ids if child in found]

        return self._tx.read(work, actor)
