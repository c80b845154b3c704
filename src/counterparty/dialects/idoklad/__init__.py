"""iDoklad API v2 (Czech and Slovak invoicing): its contacts API under /compat/idoklad."""

from counterparty.dialects.base import Dialect
from counterparty.dialects.idoklad import auth, errors, routes
from counterparty.dialects.idoklad.table import NAMESPACE

DIALECT = Dialect.of(NAMESPACE, "iDoklad API v2", auth.authenticate, errors, routes)
