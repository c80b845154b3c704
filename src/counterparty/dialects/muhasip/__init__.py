"""Muhasip (Turkish pre-accounting), "Cariler" API, under /compat/muhasip/accounting/contacts.

Its decisions are written once, in docs/dialects.md.
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect
from counterparty.dialects.muhasip import auth, errors, routes
from counterparty.dialects.muhasip.table import NAMESPACE
from counterparty.web.routing import Surface

DIALECT = Dialect(
    name=NAMESPACE,
    title="Muhasip (Turkish pre-accounting): Cariler",
    surface=Surface(
        authenticate=auth.authenticate,
        render_error=errors.render_error,
        operations=routes.OPERATIONS,
    ),
    published=routes.PUBLISHED,
)
