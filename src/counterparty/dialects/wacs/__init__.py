"""WACS (Benelux accounting): the contact API of api.wacs.online, under /compat/wacs."""

from counterparty.dialects import aspnet_routing
from counterparty.dialects.base import Dialect
from counterparty.dialects.wacs import auth, errors, routes
from counterparty.dialects.wacs.table import NAMESPACE

# An unknown path is a 404 before a missing key is a 401: ASP.NET routes before it authorizes.
authenticate = aspnet_routing.routed_first(auth.authenticate, routes.ENDPOINTS)
DIALECT = Dialect.of(NAMESPACE, "WACS (Benelux accounting)", authenticate, errors, routes)
