"""Tenants and their API keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from counterparty.domain.erasure import DEFAULT_RETENTION_FIELDS

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
DEFAULT_TENANT_SLUG = "default"
# What a write whose identifiers another active contact has gets: a warning or a 409
# (services/duplicate_policy.py). Read only by the writes that find such a contact.
DUPLICATE_POLICIES = ("warn", "refuse")


@dataclass(frozen=True)
class Tenant:
    id: UUID
    slug: str
    name: str
    cursor_secret: bytes
    created_at: datetime
    validation_policy: str = "strict"  # "strict" | "lenient", see domain/verification.py
    auth_epoch: int = 0  # raised whenever cached credentials of the tenant must be checked again
    # The fields a GDPR erasure keeps for bookkeeping (domain/erasure.py).
    retention_fields: tuple[str, ...] = DEFAULT_RETENTION_FIELDS


@dataclass(frozen=True)
class ApiKey:
    tenant_id: UUID
    id: UUID
    display_prefix: str
    name: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: the tenant and the key that proved it."""

    tenant: Tenant
    api_key_id: UUID | None
