"""The muhasip contact API (placeholder until the dialect is written)."""

from __future__ import annotations

from counterparty.dialects.base import Dialect, dialect_actor
from counterparty.web.credentials import bearer_token
from counterparty.web.http import json_response
from counterparty.web.routing import Surface

DIALECT = Dialect(
    name="muhasip",
    title="muhasip",
    surface=Surface(
        authenticate=lambda request: dialect_actor(request, bearer_token(request), "muhasip"),
        render_error=lambda error, request: json_response({"error": str(error)}, 400),
        operations=(),
    ),
)
