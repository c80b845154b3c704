"""Who is acting, through which entry point: recorded with every change."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from counterparty.domain.tenancy import Tenant
from counterparty.domain.verification import Policy


@dataclass(frozen=True)
class Actor:
    tenant: Tenant
    api_key_id: UUID | None
    entry_point: str  # "api", "cli", "dialect:<name>", "import"
    request_id: str | None = None

    @property
    def tenant_id(self) -> UUID:
        return self.tenant.id

    @property
    def validation_policy(self) -> Policy:
        """Dialects are always lenient: their clients send what the vendor accepted."""
        if self.entry_point.startswith("dialect:"):
            return "lenient"
        return "lenient" if self.tenant.validation_policy == "lenient" else "strict"
