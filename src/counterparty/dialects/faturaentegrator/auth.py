"""`Authorization: Bearer <API key>`, as the page documents."""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects.base import dialect_actor
from counterparty.dialects.faturaentegrator.table import NAMESPACE
from counterparty.services.context import Actor
from counterparty.web.credentials import bearer_token


def authenticate(request: Request) -> Actor:
    return dialect_actor(request, bearer_token(request), NAMESPACE)
