"""The one place where dialects are registered and mounted."""

from __future__ import annotations

from starlette.routing import BaseRoute

from counterparty.dialects import faturaentegrator, idoklad, muhasip, odyssee, wacs
from counterparty.dialects.base import Dialect
from counterparty.web.routing import routes

DIALECTS: tuple[Dialect, ...] = (
    muhasip.DIALECT,
    wacs.DIALECT,
    faturaentegrator.DIALECT,
    odyssee.DIALECT,
    idoklad.DIALECT,
)


def dialect_routes() -> list[BaseRoute]:
    found: list[BaseRoute] = []
    for dialect in DIALECTS:
        found.extend(routes(dialect.surface, prefix=dialect.prefix))
    return found
