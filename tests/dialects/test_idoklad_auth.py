"""iDoklad dialect authentication: the OAuth2 client-credentials token endpoint, access tokens
that are not the key and die with it, and the API key itself as a Bearer token."""

from __future__ import annotations

import base64
import time

import httpx
import orjson
import pytest

from counterparty.dialects.idoklad.auth import TOKEN_LIFETIME_SECONDS, issue_token
from counterparty.services.registry import Services
from tests.dialects.test_idoklad import TOKEN_URL, access_token, create, with_token
from tests.dialects.vendors import Client, Tenant, basic, open_tenant

DENIED = {"Message": "Authorization has been denied for this request."}


@pytest.fixture
def anonymous(vendor_pool: httpx.Client) -> Client:
    return Client(vendor_pool)


def form(key: str, **changes: str) -> dict[str, str]:
    fields = {
        "grant_type": "client_credentials",
        "client_id": "my-idoklad-app",
        "client_secret": key,
        "scope": "idoklad_api",
    }
    return {name: value for name, value in {**fields, **changes}.items() if value}


def test_the_token_endpoint_issues_a_bearer_token_that_is_not_the_key(
    anonymous: Client, tenant: Tenant
) -> None:
    response = anonymous.post(TOKEN_URL, data=form(tenant.key))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == (
        "Bearer",
        3600,
        "idoklad_api",
    )
    assert response.headers["cache-control"] == "no-store"
    token = body["access_token"]
    assert tenant.key not in token and tenant.key[4:20] not in token
    idoklad = with_token(tenant, token)
    created = create(idoklad)
    assert idoklad.get(f"/v2.0/Contacts/{created['Id']}").status_code == 200


def test_client_credentials_may_come_as_http_basic(anonymous: Client, tenant: Tenant) -> None:
    response = anonymous.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic("my-app", tenant.key)
    )
    assert response.status_code == 200, response.text
    assert response.json()["access_token"].startswith("idk.")


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic " + base64.b64encode(b"my-app:cpk_wrong").decode(),
        "Basic " + base64.b64encode(b"my-app:").decode(),
        "Basic not-base64!",
    ],
    ids=["wrong-secret", "no-secret", "malformed"],
)
def test_failed_http_basic_client_authentication_is_a_401(
    anonymous: Client, authorization: str
) -> None:
    """RFC 6749 §5.2: the Authorization header was tried, so 401 with WWW-Authenticate."""
    response = anonymous.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": authorization},
    )
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Basic realm=")
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["error"] == "invalid_client"
    assert "access_token" not in response.json()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"client_secret": "cpk_wrong"}, "invalid_client"),
        ({"client_secret": ""}, "invalid_client"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": ""}, "unsupported_grant_type"),
        ({"scope": "openid"}, "invalid_scope"),
    ],
)
def test_token_requests_that_fail_get_oauth_errors(
    anonymous: Client, tenant: Tenant, changes: dict[str, str], error: str
) -> None:
    response = anonymous.post(TOKEN_URL, data=form(tenant.key, **changes))
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert "access_token" not in response.json()


def test_token_requests_must_be_forms(anonymous: Client, tenant: Tenant) -> None:
    response = anonymous.post(TOKEN_URL, json=form(tenant.key))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    repeated = "grant_type=client_credentials&client_secret=a&client_secret=b"
    response = anonymous.post(
        TOKEN_URL,
        content=repeated,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.json()["error"] == "invalid_request"


def test_the_api_key_itself_is_accepted_as_the_bearer_token(
    tenant: Tenant,
) -> None:
    assert with_token(tenant, tenant.key).get("/v2.0/Contacts").status_code == 200


def test_revoking_the_key_revokes_its_tokens(
    anonymous: Client, tenant: Tenant, services: Services
) -> None:
    idoklad = with_token(tenant, access_token(anonymous, tenant.key))
    assert idoklad.get("/v2.0/Contacts").status_code == 200
    services.tenancy.revoke_key(tenant.key[:12])
    response = idoklad.get("/v2.0/Contacts")
    assert response.status_code == 401 and response.json() == DENIED
    assert anonymous.post(TOKEN_URL, data=form(tenant.key)).json()["error"] == "invalid_client"


def _tampered(token: str, **claims: object) -> str:
    _, payload, signature = token.split(".")
    data = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(orjson.dumps({**data, **claims})).rstrip(b"=").decode()
    return f"idk.{forged}.{signature}"


def test_forged_expired_and_foreign_tokens_are_refused(
    anonymous: Client, tenant: Tenant, services: Services, vendor_pool: httpx.Client
) -> None:
    other = open_tenant(services, vendor_pool)
    token = access_token(anonymous, tenant.key)
    [key] = services.tenancy.list_keys(tenant.slug)
    own_tenant = services.tenancy.get_tenant(tenant.slug)
    expired = issue_token(own_tenant, key.id, time.time() - TOKEN_LIFETIME_SECONDS - 1)
    refused = [
        _tampered(token, e=int(time.time()) + 10 * TOKEN_LIFETIME_SECONDS),  # longer life
        _tampered(token, t=other.slug),  # another tenant
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # another signature
        token.replace("idk.", "idk.x", 1),
        "idk.",
        "idk." + "a" * 2000,
        expired,
    ]
    for bad in refused:
        response = with_token(tenant, bad).get("/v2.0/Contacts")
        assert response.status_code == 401, bad
        assert response.json() == DENIED
    still = issue_token(own_tenant, key.id, time.time() - TOKEN_LIFETIME_SECONDS + 30)
    control = with_token(tenant, still).get("/v2.0/Contacts")
    assert control.status_code == 200  # the control: not yet expired
