"""OAuth2 client credentials, as iDoklad's identity server speaks them, over counterparty keys.

`POST identity/server/connect/token` with the form `grant_type=client_credentials`,
`client_id` (any value: it names the client application, which counterparty does not track),
`client_secret` = a counterparty API key and `scope=idoklad_api` (optional) answers
`{"access_token", "token_type": "Bearer", "expires_in": 3600, "scope": "idoklad_api"}`. The
client id and secret may also come as HTTP Basic credentials (RFC 6749, 2.3.1). Failures are
RFC 6749 error bodies (`{"error": "invalid_client"}`), which is what iDoklad's SDKs read.

The access token is not the key. It is `idk.<payload>.<signature>`: the payload names the
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
from datetime import UTC, datetime
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
from counterparty.web.state import CREDENTIAL_PRESENTED, limits, request_id, services

NAME = "idoklad"
TOKEN_PATH = "/identity/server/connect/token"
TOKEN_PREFIX = "idk."
TOKEN_LIFETIME_SECONDS = 3600
SCOPE = "idoklad_api"
FORM = "application/x-www-form-urlencoded"
_PURPOSE = b"counterparty/dialect/idoklad/access-token\n"
_MAX_TOKEN_LENGTH = 1024
# Who "acts" while the token endpoint runs: nobody yet. The endpoint authenticates the client
# from the form itself; this placeholder only satisfies the surface and is never used.
_TOKEN_CLIENT = Actor(
    Tenant(UUID(int=0), "", "", b"", datetime.fromtimestamp(0, UTC)), None, f"dialect:{NAME}"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(tenant: Tenant, payload: bytes) -> bytes:
    return hmac.new(tenant.cursor_secret, _PURPOSE + payload, hashlib.sha256).digest()


def issue_token(tenant: Tenant, key_id: UUID, now: float) -> str:
    payload = orjson.dumps(
        {"t": tenant.slug, "k": str(key_id), "e": int(now) + TOKEN_LIFETIME_SECONDS}
    )
    return f"{TOKEN_PREFIX}{_b64(payload)}.{_b64(_sign(tenant, payload))}"


def authenticate(request: Request) -> Actor:
    """Bearer access token issued here, or a counterparty API key as the Bearer token."""
    if request.url.path.lower().endswith(TOKEN_PATH):
        return _TOKEN_CLIENT
    token = bearer_token(request)
    if token is not None and token.startswith(TOKEN_PREFIX):
        return _token_actor(request, token)
    return dialect_actor(request, token, NAME)


def _token_actor(request: Request, token: str) -> Actor:
    request.scope[CREDENTIAL_PRESENTED] = True  # a forged token counts as a failure too
    denied = Unauthenticated("a valid access token is required")
    try:
        if len(token) > _MAX_TOKEN_LENGTH:
            raise ValueError(token)
        encoded_payload, encoded_signature = token.removeprefix(TOKEN_PREFIX).split(".")
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
    if not hmac.compare_digest(signature, _sign(tenant, payload)):
        raise denied
    if not any(key.id == key_id and key.revoked_at is None for key in tenancy.list_keys(slug)):
        raise denied  # the key was revoked (or deleted): so are its tokens
    return Actor(tenant, key_id, f"dialect:{NAME}", request_id(request))


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if status == 401:
        headers["WWW-Authenticate"] = f'Basic realm="{NAME}", charset="UTF-8"'
    return json_response({"error": error, "error_description": description}, status, headers)


def _sent_basic(request: Request) -> bool:
    """Whether the client authenticated with HTTP Basic, well-formed or not."""
    return request.headers.get("authorization", "").partition(" ")[0].lower() == "basic"


async def token_endpoint(request: Request, _: Actor) -> Response:
    """POST identity/server/connect/token: exchange an API key for an access token."""
    if media_type(request) != FORM:
        return _oauth_error("invalid_request", f"send the parameters as {FORM}")
    try:
        body = await read_body(request, limits(request).max_body_bytes)
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except (CounterpartyError, UnicodeDecodeError) as problem:
        return _oauth_error("invalid_request", str(problem))
    if any(len(values) > 1 for values in form.values()):
        return _oauth_error("invalid_request", "a parameter was sent more than once")
    fields = {name: values[0] for name, values in form.items()}
    if fields.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "only client_credentials is supported")
    if "scope" in fields and SCOPE not in fields["scope"].split():
        return _oauth_error("invalid_scope", f"the scope must include {SCOPE}")
    basic = basic_credentials(request)
    secret = basic[1] if basic is not None else fields.get("client_secret")
    # RFC 6749 §5.2: a client that failed to authenticate through the Authorization header
    # gets a 401 that names the scheme; one that sent its secret in the form, a 400.
    failed = _oauth_error(
        "invalid_client",
        "the client_secret is not a valid API key",
        401 if _sent_basic(request) else 400,
    )
    try:
        actor = dialect_actor(request, secret, NAME)
        services(request).tenancy.ensure_confirmed(actor)  # a revoked key gets no token
    except Unauthenticated:
        await authentication_failed(request)
        return failed
    if actor.api_key_id is None:
        return failed
    await key_used(request, actor.api_key_id)
    token = issue_token(actor.tenant, actor.api_key_id, time.time())
    return json_response(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "scope": SCOPE,
        },
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
