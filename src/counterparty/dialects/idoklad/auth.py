"""Where iDoklad's clients put the key: an access token from the identity server's OAuth2
client-credentials endpoint (`dialects/oauth2.py`), or the API key itself, as the Bearer token."""

from __future__ import annotations

from counterparty.dialects.idoklad.table import NAMESPACE
from counterparty.dialects.oauth2 import ClientCredentials

GRANT = ClientCredentials(
    dialect=NAMESPACE,
    token_path="/identity/server/connect/token",
    token_prefix="idk.",
    scope="idoklad_api",
)
TOKEN_LIFETIME_SECONDS = GRANT.lifetime_seconds
issue_token = GRANT.issue_token
authenticate = GRANT.authenticate
