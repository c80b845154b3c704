"""Dialect links never point at a host a client made up: Odyssee's `@odata.context`,
`@odata.nextLink` and `Location`, Fatura Entegratör's page links. Relative without
COUNTERPARTY_PUBLIC_URL, from it when it is set; never from the `Host` header."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_safe_links_and_headers import configured  # noqa: F401  (fixture)
from tests.conftest import TenantClient
from tests.dialects.vendors import credentials

EVIL = {"Host": "evil.example"}
PUBLIC = "https://contacts.example.com"
ODYSSEE = "/compat/odyssee/api/"
FE = "/compat/faturaentegrator/api/customers"


def odyssee_headers(tenant: TenantClient) -> dict[str, str]:
    return credentials("odyssee", tenant.slug, tenant.key)[0]


def fe_headers(tenant: TenantClient) -> dict[str, str]:
    headers, _ = credentials("faturaentegrator", tenant.slug, tenant.key)
    return {**headers, "Accept": "application/json"}


def odyssee_links(tenant: TenantClient, extra: dict[str, str]) -> list[str]:
    """Every link Odyssee answers with: a create's Location and context, a page's context and
    next link, an entity's context."""
    headers = {**odyssee_headers(tenant), **extra}
    links: list[str] = []
    for name in ("Peeters", "Maes"):
        body = {"lastname": name, "company": {"name": f"{name} BV"}}
        created = tenant.http.post(f"{ODYSSEE}Contact", json=body, headers=headers)
        assert created.status_code == 201, created.text
        links += [created.headers["location"], created.json()["@odata.context"]]
    for number in range(20):  # a page holds 20: these make a second one
        tenant.create(kind="person", last_name=f"Person {number}")
    page = tenant.http.get(f"{ODYSSEE}Contact", headers=headers)
    links += [page.json()["@odata.context"], page.json()["@odata.nextLink"]]
    entity = tenant.http.get(links[0].removeprefix(PUBLIC), headers=headers)
    assert entity.status_code == 200, entity.text
    links.append(entity.json()["@odata.context"])
    return links


def fe_links(tenant: TenantClient, extra: dict[str, str]) -> list[str]:
    headers = {**fe_headers(tenant), **extra}
    for number in range(2):
        customer = {"type": "company", "title": f"Firma {number}", "tax_number": "1234567890",
                    "tax_office": "Kadıköy", "country": "TÜRKİYE", "city": "İSTANBUL",
                    "district": "KADIKÖY", "address": "Moda Cd. 1"}  # fmt: skip
        created = tenant.http.post(FE, json=customer, headers=headers)
        assert created.status_code == 201, created.text
    page: dict[str, Any] = tenant.http.get(FE, params={"per_page": 1}, headers=headers).json()
    links = [page["links"][name] for name in ("first", "last", "next")]
    return [*links, page["meta"]["path"]]


@pytest.mark.parametrize("links_of", [odyssee_links, fe_links], ids=["odyssee", "fe"])
def test_dialect_links_ignore_the_host_header(api: TenantClient, links_of: Any) -> None:
    links = links_of(api, EVIL)
    assert links and all(link.startswith("/compat/") for link in links), links
    assert not any("evil" in link for link in links)


@pytest.mark.parametrize("links_of", [odyssee_links, fe_links], ids=["odyssee", "fe"])
def test_dialect_links_start_with_the_public_url(
    configured: TenantClient,  # noqa: F811
    links_of: Any,
) -> None:
    links = links_of(configured, {})
    assert all(link.startswith(f"{PUBLIC}/compat/") for link in links), links


def test_odyssee_relative_context_names_the_metadata_document(api: TenantClient) -> None:
    context = odyssee_links(api, {})[1]
    assert context == f"{ODYSSEE}$metadata#Contact(company())/$entity"
    metadata = api.http.get(context.split("#")[0], headers=odyssee_headers(api))
    assert metadata.status_code == 200 and metadata.text.startswith("<?xml")


def test_fe_page_links_keep_the_other_parameters(api: TenantClient) -> None:
    first, last, following, path = fe_links(api, {})
    assert (first, last, following) == (f"{FE}?per_page=1&page=1", f"{FE}?per_page=1&page=2",
                                        f"{FE}?per_page=1&page=2")  # fmt: skip
    assert path == FE
