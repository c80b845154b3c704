"""The API key in `?key=` (as the page documents) or, for newer builds without it,
`Authorization: Bearer <key>`; `key` wins when both are sent."""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects.aspnet_routing import query_value
from counterparty.dialects.base import dialect_actor
from counterparty.dialects.wacs.table import NAMESPACE
from counterparty.services.context import Actor
from counterparty.web.credentials import bearer_token


def authenticate(request: Request) -> Actor:
    return dialect_actor(request, query_value(request, "key") or bearer_token(request), NAMESPACE)
