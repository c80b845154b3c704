"""Odyssee Mobile (field service, OData v4): `api/Contact` under /compat/odyssee.

Its decisions are written once, in docs/dialects.md.
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect
from counterparty.dialects.odyssee import auth, errors, routes
from counterparty.web.routing import Surface

DIALECT = Dialect(
    name=errors.NAME,
    title="Odyssee Mobile (field service, OData)",
    surface=Surface(
        authenticate=auth.authenticate,
        render_error=errors.render_error,
        operations=routes.OPERATIONS,
    ),
    published=routes.PUBLISHED,
)
