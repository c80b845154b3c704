"""OAuth2 client credentials (RFC 6749, 4.4) over counterparty API keys, for the vendors whose
clients fetch an access token before they call the API (iDoklad's identity server).

`POST <token path>` with the form `grant_type=client_credentials`, `client_id` (any value: it
names the client application, which counterparty does not track), `client_secret` = a
counterparty API key and `scope` (optional; must include the grant's scope) answers
`{"access_token", "token_type": "Bearer", "expires_in", "scope"}`. The client id and secret may
also come as HTTP Basic credentials (RFC 6749, 2.3.1). Failures are RFC 6749 error bodies
(`{"error": "invalid_client", "error_description"}`), which is what the vendors' SDKs read.

The access token is not the key. It is `<prefix><payload>.<signature>`: the payload names the
tenant, the key's id and the expiry; the signature is an HMAC-SHA256 with the tenant's own
secret, under a purpose label no other token of the service uses. Each request checks the
signature and the expiry, then that the key still exists unrevoked, so revoking a key revokes
its tokens at once. API requests may also present the API key itself as the Bearer token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

import orjson
from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.base import dialect_actor
from counterparty.domain.tenancy import Tenant
from counterparty.errors import CounterpartyError, NotFound, Unauthenticated
from counterparty.services.context import Actor
from counterparty.web.credentials import basic_credentials, bearer_token
from counterparty.web.http import json_response, media_type, read_body
from counterparty.web.rate_limiting import authentication_failed, key_used
from counterparty.web.routing import Operation
from counterparty.web.state import CREDENTIAL_PRESENTED, limits, request_id, services

FORM = "application/x-www-form-urlencoded"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749, 5.1
MAX_TOKEN_LENGTH = 1024
ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string"}, "error_description": {"type": "string"}}}  # fmt: skip
# The token answer and request, for a published document's `extra` ("token" answers).
SCHEMAS = {
    "token": {"type": "object", "required": ["access_token", "token_type", "expires_in"],
              "properties": {"access_token": {"type": "string"}, "scope": {"type": "string"},
                             "token_type": {"type": "string"},
                             "expires_in": {"type": "integer"}}},
    "token_request": {"type": "object", "properties": {
        name: {"type": "string"} for name in ("grant_type", "client_id", "client_secret",
                                              "scope")}},
}  # fmt: skip


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _error(error: str, description: str, realm: str, status: int = 400) -> Response:
    headers = dict(NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = f'Basic realm="{realm}", charset="UTF-8"'
    return json_response({"error": error, "error_description": description}, status, headers)


def _sent_basic(request: Request) -> bool:
    """Whether the client authenticated with HTTP Basic, well-formed or not."""
    return request.headers.get("authorization", "").partition(" ")[0].lower() == "basic"


@dataclass(frozen=True)
class ClientCredentials:
    """One dialect's grant: its token endpoint, the prefix of its tokens and its scope."""

    dialect: str  # the realm, the actor's entry point and the tokens' purpose label
    token_path: str
    token_prefix: str
    scope: str
    lifetime_seconds: int = 3600

    @property
    def _purpose(self) -> bytes:
        return f"counterparty/dialect/{self.dialect}/access-token\n".encode()

    def _sign(self, tenant: Tenant, payload: bytes) -> bytes:
        return hmac.new(tenant.cursor_secret, self._purpose + payload, hashlib.sha256).digest()

    def issue_token(self, tenant: Tenant, key_id: UUID, now: float) -> str:
        payload = orjson.dumps(
            {"t": tenant.slug, "k": str(key_id), "e": int(now) + self.lifetime_seconds}
        )
        return f"{self.token_prefix}{_b64(payload)}.{_b64(self._sign(tenant, payload))}"

    def authenticate(self, request: Request) -> Actor:
        """Bearer access token issued here, or a counterparty API key as the Bearer token."""
        if request.url.path.lower().endswith(self.token_path):
            # Nobody acts yet: the token endpoint authenticates the client from its form.
            # This placeholder only satisfies the surface and is never used.
            nobody = Tenant(UUID(int=0), "", "", b"", datetime.fromtimestamp(0, UTC))
            return Actor(nobody, None, f"dialect:{self.dialect}")
        token = bearer_token(request)
        if token is not None and token.startswith(self.token_prefix):
            return self._token_actor(request, token)
        return dialect_actor(request, token, self.dialect)

    def _token_actor(self, request: Request, token: str) -> Actor:
        request.scope[CREDENTIAL_PRESENTED] = True  # a forged token counts as a failure too
        denied = Unauthenticated("a valid access token is required")
        try:
            if len(token) > MAX_TOKEN_LENGTH:
                raise ValueError(token)
            encoded_payload, encoded_signature = token.removeprefix(self.token_prefix).split(".")
            payload, signature = _unb64(encoded_payload), _unb64(encoded_signature)
            claims = orjson.loads(payload)
            slug, key_id, expires = str(claims["t"]), UUID(str(claims["k"])), int(claims["e"])
        except (ValueError, KeyError, TypeError):
            raise denied from None
        if expires <= time.time():
            raise Unauthenticated("the access token has expired")
        tenancy = services(request).tenancy
        try:
            tenant = tenancy.get_tenant(slug)
        except NotFound:
            raise denied from None
        if not hmac.compare_digest(signature, self._sign(tenant, payload)):
            raise denied
        if not any(key.id == key_id and key.revoked_at is None for key in tenancy.list_keys(slug)):
            raise denied  # the key was revoked (or deleted): so are its tokens
        return Actor(tenant, key_id, f"dialect:{self.dialect}", request_id(request))

    async def token_endpoint(self, request: Request, _: Actor) -> Response:
        """POST <token path>: exchange an API key for an access token."""
        if media_type(request) != FORM:
            return _error("invalid_request", f"send the parameters as {FORM}", self.dialect)
        try:
            body = await read_body(request, limits(request).max_body_bytes)
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except (CounterpartyError, UnicodeDecodeError) as problem:
            return _error("invalid_request", str(problem), self.dialect)
        if any(len(values) > 1 for values in form.values()):
            return _error("invalid_request", "a parameter was sent more than once", self.dialect)
        fields = {name: values[0] for name, values in form.items()}
        if fields.get("grant_type") != "client_credentials":
            detail = "only client_credentials is supported"
            return _error("unsupported_grant_type", detail, self.dialect)
        if "scope" in fields and self.scope not in fields["scope"].split():
            detail = f"the scope must include {self.scope}"
            return _error("invalid_scope", detail, self.dialect)
        basic = basic_credentials(request)
        secret = basic[1] if basic is not None else fields.get("client_secret")
        # RFC 6749 §5.2: a client that failed to authenticate through the Authorization header
        # gets a 401 that names the scheme; one that sent its secret in the form, a 400.
        failed = _error(
            "invalid_client",
            "the client_secret is not a valid API key",
            self.dialect,
            401 if _sent_basic(request) else 400,
        )
        try:
            actor = dialect_actor(request, secret, self.dialect)
            services(request).tenancy.ensure_confirmed(actor)  # a revoked key gets no token
        except Unauthenticated:
            await authentication_failed(request)
            return failed
        if actor.api_key_id is None:
            return failed
        await key_used(request, actor.api_key_id)
        token = self.issue_token(actor.tenant, actor.api_key_id, time.time())
        answer = {"access_token": token, "token_type": "Bearer",
                  "expires_in": self.lifetime_seconds, "scope": self.scope}  # fmt: skip
        return json_response(answer, headers=NO_STORE)

    def operation(self, operation_id: str, tag: str) -> Operation:
        """The token endpoint as an operation of the dialect's surface."""
        return Operation("POST", self.token_path, self.token_endpoint, operation_id,
                         "Exchange an API key (client_secret) for an access token", tag=tag,
                         body_media_types=(FORM,), errors=(400,))  # fmt: skip

    def security(self, prefix: str) -> dict[str, Any]:
        """The OpenAPI security scheme of a dialect served under `prefix`."""
        flow = {"tokenUrl": f"{prefix}{self.token_path}", "scopes": {self.scope: "the API"}}
        return {"type": "oauth2", "flows": {"clientCredentials": flow}}
