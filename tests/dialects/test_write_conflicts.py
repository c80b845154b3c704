"""Every dialect's update racing a native write: never a lost update, never a status outside
the vendor's documented list. A write conflict is 409 in WACS (as docs/dialects.md says) and in
Fatura Entegratör (whose documented statuses have no 412)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from counterparty import errors
from counterparty.db import Database
from counterparty.dialects.faturaentegrator.errors import render_error as fe_error
from counterparty.dialects.idoklad.errors import render_error as idoklad_error
from counterparty.dialects.wacs.errors import render_error as wacs_error
from tests.api.test_waiting_for_locks import in_background, lock_held_elsewhere
from tests.conftest import TenantClient
from tests.dialects.vendors import Tenant

Update = Callable[[Tenant, dict[str, Any]], httpx.Response]
UPDATES: dict[str, Update] = {
    "wacs": lambda vendors, contact: vendors.wacs.put(
        f"UpdateContact/{contact['number']}", json={"Name": "New"}
    ),
    "faturaentegrator": lambda vendors, contact: vendors.faturaentegrator.patch(
        f"/{contact['number']}", json={"title": "New"}
    ),
    "idoklad": lambda vendors, contact: vendors.idoklad.patch(
        f"/{contact['number']}", json={"CompanyName": "New"}
    ),
    "muhasip": lambda vendors, contact: vendors.muhasip.put(
        f"/{contact['id']}", json={"name": "New"}
    ),
    "odyssee": lambda vendors, contact: vendors.odyssee.patch(
        f"({contact['id']})", json={"lastname": "New"}
    ),
}


@pytest.mark.parametrize("dialect", sorted(UPDATES))
def test_an_update_racing_a_native_write_loses_nothing(
    api: TenantClient, vendors: Tenant, database: Database, dialect: str
) -> None:
    if dialect == "odyssee":  # an Odyssee contact is a person with a company
        company = api.create(name="Old BV")
        contact = api.create(kind="person", last_name="Old", parent_id=company["id"])
    else:
        contact = api.create(name="Old", kind="company", address={"country_code": "TR"})
    native_url = f"/v1/contacts/{contact['id']}"
    with lock_held_elsewhere(database, api.slug):
        native, native_outcome = in_background(
            lambda: api.http.patch(native_url, json={"tags": ["native"]})
        )
        update, update_outcome = in_background(lambda: UPDATES[dialect](vendors, contact))
        update.join(timeout=0.3)
        assert native.is_alive() and update.is_alive(), "both writes wait for the held lock"
    native.join(timeout=30)
    update.join(timeout=30)
    assert native_outcome[0].status_code == 200, native_outcome[0].text
    assert update_outcome[0].status_code == 200, update_outcome[0].text
    final = api.http.get(native_url).json()
    assert (final["name"], final["tags"], final["version"]) == ("New", ["native"], 3)


def _request() -> Request:
    return Request(
        {"type": "http", "method": "PUT", "path": "/", "headers": [], "query_string": b""}
    )


CONFLICTS: list[Any] = [
    errors.Conflict("the contact was changed at the same time"),
    errors.PreconditionFailed("the contact is at version 3", current_version=3),
]


@pytest.mark.parametrize("conflict", CONFLICTS, ids=lambda error: type(error).__name__)
@pytest.mark.parametrize(
    "render", [wacs_error, fe_error, idoklad_error], ids=["wacs", "fe", "idoklad"]
)
def test_a_write_conflict_is_a_409_in_every_vendor_family(
    render: Callable[[Exception, Request], Any], conflict: Exception
) -> None:
    response = render(conflict, _request())
    assert response.status_code == 409
