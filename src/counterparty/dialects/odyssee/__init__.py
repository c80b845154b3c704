"""Odyssee Mobile (field service, OData v4): `api/Contact` under /compat/odyssee."""

from counterparty.dialects.base import Dialect
from counterparty.dialects.odyssee import auth, errors, routes

DIALECT = Dialect.of(
    errors.NAME, "Odyssee Mobile (field service, OData)", auth.authenticate, errors, routes
)
