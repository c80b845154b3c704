"""A generic OData v4 client (python-odata) against the Odyssee dialect: it loads the model from
$metadata, queries with filters and ordering, gets by key and saves a change."""

from __future__ import annotations

import requests
from odata import ODataService
from requests.auth import HTTPBasicAuth

from tests.dialects.test_odyssee import ROOT, Odyssee, minimal, odyssee_client  # noqa: F401


def test_python_odata_works_against_the_dialect(odyssee: Odyssee, base_url: str) -> None:
    for name in ("Janssens", "Peeters", "Maes"):
        assert odyssee.http.post(f"{ROOT}/Contact", json=minimal(name)).status_code == 201
    session = requests.Session()
    session.auth = HTTPBasicAuth("ERPSync", f"{odyssee.key}@{odyssee.slug}")
    service = ODataService(f"{base_url}{ROOT}/", session=session, reflect_entities=True,
                           quiet_progress=True)  # fmt: skip
    contact = service.entities["Contact"]  # the entity set
    query = service.query(contact)
    found = query.filter(contact.lastname == "Peeters").all()
    assert [item.lastname for item in found] == ["Peeters"]
    ordered = service.query(contact).order_by(contact.lastname.desc()).all()
    assert [item.lastname for item in ordered][:3] == ["Peeters", "Maes", "Janssens"]
    one = service.query(contact).get(found[0].id)
    assert one.lastname == "Peeters"
    one.firstname = "Anne"
    service.save(one)
    assert odyssee.native_contact(str(found[0].id))["first_name"] == "Anne"
