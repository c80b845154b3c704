"""WACS (Benelux accounting): the contact API of api.wacs.online, under /compat/wacs.

Its decisions are written once, in docs/dialects.md.
"""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects import aspnet
from counterparty.dialects.base import Dialect
from counterparty.dialects.wacs import auth, errors, routes
from counterparty.dialects.wacs.table import NAMESPACE
from counterparty.services.context import Actor
from counterparty.web.routing import Surface


def _authenticate(request: Request) -> Actor:
    if aspnet.UNMATCHED in request.path_params:
        aspnet.resolve(request, routes.OPERATIONS)  # an unknown path is a 404 before a 401
    return auth.authenticate(request)


DIALECT = Dialect(
    name=NAMESPACE,
    title="WACS (Benelux accounting)",
    surface=Surface(
        authenticate=_authenticate,
        render_error=errors.render_error,
        operations=(*routes.OPERATIONS, *aspnet.fallback_operations(routes.OPERATIONS, NAMESPACE)),
    ),
    published=routes.PUBLISHED,
)
