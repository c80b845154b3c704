"""All services over one storage, built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from counterparty.services.contacts import ContactService
from counterparty.services.ports import UnitOfWorkFactory
from counterparty.services.tenancy import TenantService
from counterparty.services.transactions import Transactions


@dataclass(frozen=True)
class Services:
    contacts: ContactService
    tenancy: TenantService

    @classmethod
    def over(cls, uow_factory: UnitOfWorkFactory) -> Services:
        transactions = Transactions(uow_factory)
        return cls(contacts=ContactService(transactions), tenancy=TenantService(transactions))
