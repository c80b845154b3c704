"""HTTP Basic `user:<api key>@<tenant slug>`: the password is split at its last `@`; the key
authenticates and the tenant must be the key's."""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects.base import dialect_actor
from counterparty.dialects.odyssee.errors import CREDENTIALS_NEEDED, NAME
from counterparty.errors import Unauthenticated
from counterparty.services.context import Actor
from counterparty.web.credentials import basic_credentials


def authenticate(request: Request) -> Actor:
    """Basic `user:<key>@<tenant>`: the key authenticates, the tenant must be the key's."""
    credentials = basic_credentials(request)
    key, _, tenant = credentials[1].rpartition("@") if credentials else ("", "", "")
    if not key or not tenant:
        raise Unauthenticated(CREDENTIALS_NEEDED)
    actor = dialect_actor(request, key, NAME)
    if actor.tenant.slug != tenant.strip().lower():
        raise Unauthenticated(CREDENTIALS_NEEDED)
    return actor
