"""A fresh tenant seen through the native API and the five vendor dialects: a client for each,
presenting the tenant's key the way that vendor's own clients do. The one place in the tests
that knows how each vendor authenticates:

- WACS: `?key=`, as its page documents (Bearer works too);
- Muhasip: HTTP Basic, the tenant slug as user name and the key as password;
- Fatura Entegratör and iDoklad: Bearer (iDoklad's SDKs first exchange the key for an access
  token: `test_idoklad.access_token`);
- Odyssee: HTTP Basic `<user>:<key>@<TENANT>`; the tenant is matched case-insensitively and
  written in capitals here, as the Odyssee integrations write it.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from counterparty.services.registry import Services

# Where each API's contacts are: the base of its client.
BASES = {
    "native": "",
    "muhasip": "/compat/muhasip/accounting/contacts",
    "wacs": "/compat/wacs/api/v1/Contacts/",
    "faturaentegrator": "/compat/faturaentegrator/api/customers",
    "odyssee": "/compat/odyssee/api/Contact",
    "idoklad": "/compat/idoklad/v2.0/Contacts",
}


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The JSON object a response answered with, after checking its status."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def credentials(api: str, slug: str, key: str) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query parameters) with which `api`'s clients present a tenant's key."""
    if api == "wacs":
        return {}, {"key": key}
    if api == "muhasip":
        return basic(slug, key), {}
    if api == "odyssee":
        return basic("ERPSync", f"{key}@{slug.upper()}"), {}
    return bearer(key), {}


@dataclass(frozen=True)
class Client:
    """Requests to one API over a shared connection pool (a client of its own per test would
    cost more than many a test), its credentials added to each; paths are appended to `base`,
    and the query parameters and headers of a request are added to the client's."""

    http: httpx.Client
    base: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str = "",
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> httpx.Response:
        url = httpx.URL(self.base + path)
        if query := {**self.params, **(params or {})}:  # else the path's query is sent as written
            url = url.copy_merge_params(query)  # httpx's `params` would replace the path's query
        headers = {**self.headers, **(headers or {})}
        return self.http.request(method, url, headers=headers, **options)

    __call__ = request

    def get(self, path: str = "", **options: Any) -> httpx.Response:
        return self.request("GET", path, **options)

    def post(self, path: str = "", **options: Any) -> httpx.Response:
        return self.request("POST", path, **options)

    def put(self, path: str = "", **options: Any) -> httpx.Response:
        return self.request("PUT", path, **options)

    def patch(self, path: str = "", **options: Any) -> httpx.Response:
        return self.request("PATCH", path, **options)

    def delete(self, path: str = "", **options: Any) -> httpx.Response:
        return self.request("DELETE", path, **options)

    def at(self, base: str) -> Client:
        """The same API and credentials, with paths appended to another base."""
        return replace(self, base=base)

    def sending(self, headers: dict[str, str]) -> Client:
        """The same client, sending `headers` too (or instead of its own, by name)."""
        return replace(self, headers={**self.headers, **headers})


@dataclass(frozen=True)
class Tenant:
    """A tenant with a key, and a client for each of its APIs."""

    slug: str
    key: str
    native: Client  # /v1, Bearer
    muhasip: Client
    wacs: Client
    faturaentegrator: Client
    odyssee: Client
    idoklad: Client


def tenant_on(http: httpx.Client, slug: str, key: str) -> Tenant:
    """The clients of the tenant `slug`, whose key is `key`, over `http` (a pool without
    credentials)."""
    clients = {api: Client(http, base, *credentials(api, slug, key)) for api, base in BASES.items()}
    return Tenant(slug, key, **clients)


def open_tenant(services: Services, http: httpx.Client) -> Tenant:
    """A new tenant and key, with its clients over `http`."""
    slug = f"t-{secrets.token_hex(5)}"
    services.tenancy.create_tenant(slug)
    return tenant_on(http, slug, services.tenancy.create_key(slug, "tests").secret)
