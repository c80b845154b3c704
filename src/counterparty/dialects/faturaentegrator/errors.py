"""Every failure as Laravel renders it, canonical errors named by the table's inverse."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects import laravel
from counterparty.dialects.faturaentegrator.table import TABLE
from counterparty.dialects.fields import vendor_names

NAMES = vendor_names(TABLE)
PREFIX = "/compat/faturaentegrator/"
NOT_FOUND = "No query results for model [App\\Models\\Customer] {}"
ROUTES = (("api/customers", ("GET", "HEAD", "POST")),
          ("api/customers/{number}", ("GET", "HEAD", "PUT", "PATCH", "DELETE")))  # fmt: skip


def allowed_methods(route: str) -> tuple[str, ...]:
    """The methods a vendor route answers ("api/customers/7"); () for no such route."""
    parts = route.strip("/").split("/")
    for path, methods in ROUTES:
        pattern = path.split("/")
        if len(parts) == len(pattern) and all(
            want.startswith("{") or want == have for want, have in zip(pattern, parts, strict=True)
        ):
            return methods
    return ()


def render_error(error: Exception, request: Request) -> Response:
    return laravel.render_error(error, request, NAMES, allowed_methods, PREFIX)
