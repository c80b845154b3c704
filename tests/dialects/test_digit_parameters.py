"""Numbers in paths and query parameters are ASCII decimal digits of a sane length: "²" is a
digit to `str.isdigit` but no number to `int`, "٣" is one to `int` in another script, and
`int` refuses more than 4,300 digits. Each of these was a 500 somewhere; each is now the
surface's own answer to a number out of range."""

from __future__ import annotations

import pytest

from tests.dialects.vendors import Tenant

HUGE = "9" * 5000  # past int()'s 4,300-digit limit
SUPERSCRIPT, ARABIC_INDIC = "\u00b2", "\u0663"


@pytest.mark.parametrize("raw", [SUPERSCRIPT, ARABIC_INDIC, HUGE])
def test_a_number_in_a_path_that_is_no_number_is_not_found(tenant: Tenant, raw: str) -> None:
    created = tenant.native.post("/v1/contacts", json={"name": "Numbered"}).json()
    paths = [
        (tenant.native, "/v1/contacts/by-number/" + raw),
        (tenant.native, f"/v1/contacts/{created['id']}/versions/{raw}"),
        (tenant.faturaentegrator, "/" + raw),
    ]
    for client, path in paths:
        assert client.get(path).status_code == 404, path[:60]


@pytest.mark.parametrize("raw", [SUPERSCRIPT, HUGE])
def test_a_page_size_that_is_no_number_is_refused(tenant: Tenant, raw: str) -> None:
    assert tenant.native.get("/v1/contacts", params={"limit": raw}).status_code == 422
    assert tenant.native.get("/v1/events", params={"limit": raw}).status_code == 422
    assert tenant.faturaentegrator.get(params={"per_page": raw}).status_code == 422
    assert tenant.idoklad.get(params={"pagesize": raw}).status_code == 400


@pytest.mark.parametrize("raw", [SUPERSCRIPT, HUGE])
def test_a_page_number_that_is_no_number_reads_the_first_page_on_fatura(
    tenant: Tenant, raw: str
) -> None:
    response = tenant.faturaentegrator.get(params={"page": raw})
    assert response.status_code == 200
    assert response.json()["meta"]["current_page"] == 1


@pytest.mark.parametrize("raw", [SUPERSCRIPT, ARABIC_INDIC, HUGE])
def test_a_vendor_page_that_is_no_number_is_the_vendors_own_400(tenant: Tenant, raw: str) -> None:
    assert tenant.muhasip.get(params={"page": raw}).status_code == 400
    assert tenant.wacs.get("GetContacts", params={"page": raw}).status_code == 400


def test_a_number_too_long_for_int_in_an_odata_filter_is_a_400(tenant: Tenant) -> None:
    response = tenant.odyssee.get(params={"$filter": f"modified_dateutc gt {HUGE}"})
    assert response.status_code == 400, response.text[:200]
    assert "error" in response.json()


def test_a_wacs_id_in_another_scripts_digits_is_no_id(tenant: Tenant) -> None:
    tenant.native.post("/v1/contacts", json={"name": "Number three"})
    response = tenant.wacs.get("GetContact/" + ARABIC_INDIC)
    assert response.status_code == 400 and "is not valid for id" in response.text
