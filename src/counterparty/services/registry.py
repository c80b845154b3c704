"""All services over one storage, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from counterparty.services.contacts import ContactService
from counterparty.services.history import HistoryService
from counterparty.services.idempotency import IdempotencyService
from counterparty.services.items import ContactItems
from counterparty.services.ports import UnitOfWorkFactory
from counterparty.services.tenancy import TenantService
from counterparty.services.transactions import Transactions

DEFAULT_IDEMPOTENCY_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Services:
    contacts: ContactService
    items: ContactItems
    history: HistoryService
    idempotency: IdempotencyService
    tenancy: TenantService

    @classmethod
    def over(
        cls,
        uow_factory: UnitOfWorkFactory,
        idempotency_retention: timedelta = DEFAULT_IDEMPOTENCY_RETENTION,
    ) -> Services:
        transactions = Transactions(uow_factory)
        contacts = ContactService(transactions)
        return cls(
            contacts=contacts,
            items=ContactItems(contacts),
            history=HistoryService(transactions),
            idempotency=IdempotencyService(transactions, idempotency_retention),
            tenancy=TenantService(transactions),
        )
