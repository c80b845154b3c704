"""HTTP Basic; the password is the API key, the user name is not checked."""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects.base import dialect_actor
from counterparty.dialects.muhasip.table import NAMESPACE
from counterparty.services.context import Actor
from counterparty.web.credentials import basic_credentials


def authenticate(request: Request) -> Actor:
    credentials = basic_credentials(request)
    return dialect_actor(request, credentials[1] if credentials else None, NAMESPACE)
