"""All services over one storage, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from counterparty.services.batch import BatchService
from counterparty.services.contacts import ContactService
from counterparty.services.duplicates import DuplicateService
from counterparty.services.erasure import ErasureService, HistoryPurge
from counterparty.services.exports import ExportService
from counterparty.services.history import HistoryService
from counterparty.services.idempotency import IdempotencyService
from counterparty.services.imports import ImportService
from counterparty.services.items import ContactItems
from counterparty.services.merging import DEFAULT_UNMERGE_WINDOW, MergeService
from counterparty.services.ports import UnitOfWorkFactory
from counterparty.services.registry_checks import RegistryChecks, VatRegistry
from counterparty.services.tenancy import TenantService
from counterparty.services.transactions import Transactions

DEFAULT_IDEMPOTENCY_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Services:
    contacts: ContactService
    batch: BatchService
    imports: ImportService
    exports: ExportService
    items: ContactItems
    history: HistoryService
    idempotency: IdempotencyService
    tenancy: TenantService
    erasure: ErasureService
    duplicates: DuplicateService
    merges: MergeService

    registry_checks: RegistryChecks | None = None

    @classmethod
    def over(
        cls,
        uow_factory: UnitOfWorkFactory,
        idempotency_retention: timedelta = DEFAULT_IDEMPOTENCY_RETENTION,
        vat_registry: VatRegistry | None = None,
        history_retention: timedelta | None = None,
        unmerge_window: timedelta = DEFAULT_UNMERGE_WINDOW,
    ) -> Services:
        transactions = Transactions(uow_factory)
        registry_checks = RegistryChecks(vat_registry) if vat_registry else None
        purge = HistoryPurge(history_retention)
        contacts = ContactService(transactions, registry_checks, on_delete=purge.if_due)
        batch = BatchService(transactions, contacts)
        return cls(
            contacts=contacts,
            batch=batch,
            imports=ImportService(batch, transactions),
            exports=ExportService(transactions),
            items=ContactItems(contacts),
            history=HistoryService(transactions),
            idempotency=IdempotencyService(transactions, idempotency_retention),
            tenancy=TenantService(transactions),
            erasure=ErasureService(transactions, purge),
            duplicates=DuplicateService(transactions),
            merges=MergeService(transactions, contacts, unmerge_window),
            registry_checks=registry_checks,
        )

    def close(self) -> None:
        """Let background registry checks and notes of key use finish."""
        if self.registry_checks is not None:
            self.registry_checks.close()
        self.tenancy.close()
