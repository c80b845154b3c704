"""Who is acting, through which entry point: recorded with every change."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from counterparty.domain.tenancy import Tenant


@dataclass(frozen=True)
class Actor:
    tenant: Tenant
    api_key_id: UUID | None
    entry_point: str  # "api", "cli", "dialect:<name>", "import"
    request_id: str | None = None

    @property
    def tenant_id(self) -> UUID:
        return self.tenant.id
