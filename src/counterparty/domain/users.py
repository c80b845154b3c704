"""People who sign in to the web interface: each belongs to one tenant and has one role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class User:
    tenant_id: UUID
    id: UUID
    email: str  # normalised (lower-case domain), unique across the service
    role: Role
    must_change_password: bool  # set for a one-time password printed by the CLI
    created_at: datetime
    disabled_at: datetime | None = None
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None

    @property
    def can_write(self) -> bool:
        """Editors and admins change contacts; viewers only read."""
        return self.role in ("editor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser. Its token lives only in the cookie; the database keeps a hash."""

    tenant_id: UUID
    id: UUID
    user_id: UUID
    created_at: datetime
    last_seen_at: datetime
