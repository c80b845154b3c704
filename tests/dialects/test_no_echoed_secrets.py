"""An ASP.NET dialect's route 404 names the request URI, as ASP.NET does, but never its query
string (where clients put credentials: WACS's documented `?key=`, tokens, secrets) and never
a host the client made up."""

from __future__ import annotations

import pytest

from tests.api.test_safe_links_and_headers import configured  # noqa: F401  (fixture)
from tests.conftest import TenantClient

SECRET_QUERY = {"key": "cpk_secret", "access_token": "idk.secret", "client_secret": "s3cret"}
UNKNOWN_PATHS = {
    "idoklad": "/compat/idoklad/v2.0/Contactz",
    "idoklad-bad-id": "/compat/idoklad/v2.0/Contacts/abc",
    "wacs": "/compat/wacs/api/v1/Contacts/GetCustomers",
}


@pytest.mark.parametrize("where", sorted(UNKNOWN_PATHS))
def test_a_route_404_never_echoes_the_query_string_or_the_host(
    api: TenantClient, where: str
) -> None:
    path = UNKNOWN_PATHS[where]
    response = api.http.get(path, params=SECRET_QUERY, headers={"Host": "evil.example"})
    assert response.status_code == 404, response.text
    message = response.json()["Message"]
    assert message == f"No HTTP resource was found that matches the request URI '{path}'."
    assert not any(secret in response.text for secret in SECRET_QUERY.values())
    assert "evil" not in response.text


def test_with_a_public_url_the_404_names_the_absolute_uri(
    configured: TenantClient,  # noqa: F811
) -> None:
    path = UNKNOWN_PATHS["wacs"]
    response = configured.http.get(path, params=SECRET_QUERY)
    assert response.status_code == 404
    assert response.json()["Message"].endswith(f"'https://contacts.example.com{path}'.")
    assert "secret" not in response.text


def test_unknown_contacts_name_only_the_id(api: TenantClient) -> None:
    response = api.http.get("/compat/idoklad/v2.0/Contacts/999", params=SECRET_QUERY)
    assert response.json() == {"Message": "Contact with Id '999' was not found."}
