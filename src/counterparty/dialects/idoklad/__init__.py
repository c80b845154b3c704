"""iDoklad API v2 (Czech and Slovak invoicing): its contacts API under /compat/idoklad.

Its decisions are written once, in docs/dialects.md.
"""

from __future__ import annotations

from counterparty.dialects import aspnet
from counterparty.dialects.base import Dialect
from counterparty.dialects.idoklad import auth, errors, routes
from counterparty.dialects.idoklad.table import NAMESPACE
from counterparty.web.routing import Surface

DIALECT = Dialect(
    name=NAMESPACE,
    title="iDoklad API v2",
    surface=Surface(
        authenticate=auth.authenticate,
        render_error=errors.render_error,
        operations=(*routes.OPERATIONS, *aspnet.fallback_operations(routes.OPERATIONS, NAMESPACE)),
    ),
    published=routes.PUBLISHED,
)
