"""Muhasip (Turkish pre-accounting), "Cariler" API, under /compat/muhasip/accounting/contacts."""

from counterparty.dialects.base import Dialect
from counterparty.dialects.muhasip import auth, errors, routes
from counterparty.dialects.muhasip.table import NAMESPACE

DIALECT = Dialect.of(
    NAMESPACE, "Muhasip (Turkish pre-accounting): Cariler", auth.authenticate, errors, routes
)
