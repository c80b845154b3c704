"""Fatura Entegratör (Turkish e-invoicing): its customers API under /compat/faturaentegrator."""

from counterparty.dialects.base import Dialect
from counterparty.dialects.faturaentegrator import auth, errors, routes
from counterparty.dialects.faturaentegrator.table import NAMESPACE

DIALECT = Dialect.of(NAMESPACE, "Fatura Entegratör", auth.authenticate, errors, routes)
