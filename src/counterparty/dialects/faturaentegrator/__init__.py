"""Fatura Entegratör (Turkish e-invoicing): its customers API under /compat/faturaentegrator.

Its decisions are written once, in docs/dialects.md.
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect
from counterparty.dialects.faturaentegrator import auth, errors, routes
from counterparty.dialects.faturaentegrator.table import NAMESPACE
from counterparty.web.routing import Surface

DIALECT = Dialect(
    name=NAMESPACE,
    title="Fatura Entegratör",
    surface=Surface(
        authenticate=auth.authenticate, render_error=errors.render_error,
        operations=routes.OPERATIONS,
    ),
    published=routes.PUBLISHED,
)  # fmt: skip
