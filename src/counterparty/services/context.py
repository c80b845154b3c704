"""Who is acting, through which entry point: recorded with every change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from counterparty.domain.tenancy import Tenant
from counterparty.domain.verification import Policy


@dataclass(frozen=True)
class Actor:
    tenant: Tenant
    api_key_id: UUID | None
    entry_point: str  # "api", "cli", "dialect:<name>", "batch", "import"
    request_id: str | None = None
    # Confirms, inside the operation's own unit of work, that the credential this actor was
    # authenticated with still holds (services/tenancy.py); None for trusted callers.
    confirm: Callable[[Any], None] | None = None

    @property
    def tenant_id(self) -> UUID:
        return self.tenant.id

    @property
    def validation_policy(self) -> Policy:
        """Dialects are always lenient: their clients send what the vendor accepted."""
        if self.entry_point.startswith("dialect:"):
            return "lenient"
        return "lenient" if self.tenant.validation_policy == "lenient" else "strict"
