"""The OpenAPI document describes every operation, header and error the API can answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from counterparty.api.operations import OPERATIONS


@pytest.fixture(scope="module")
def document(base_url: str) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def test_it_is_a_valid_openapi_3_1_document(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_is_described_with_its_errors(document: dict[str, Any]) -> None:
    for operation in OPERATIONS:
        described = document["paths"][operation.path][operation.method.lower()]
        responses = described["responses"]
        assert str(operation.status) in responses
        assert "401" in responses and "500" in responses
        for status in set(operation.errors) - {204, 304}:  # answers without a body
            problem = responses[str(status)]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_writes_document_their_bodies_and_limits(document: dict[str, Any]) -> None:
    patch = document["paths"]["/v1/contacts/{contact_id}"]["patch"]
    assert set(patch["requestBody"]["content"]) == {
        "application/merge-patch+json",
        "application/json",
    }
    assert {"413", "415", "422"} <= set(patch["responses"])
    schemas = document["components"]["schemas"]
    name = schemas["ContactInput"]["properties"]["name"]
    assert {"maxLength": 200, "type": "string"} in name["anyOf"]
    assert schemas["ContactInput"]["additionalProperties"] is False
    assert "id" not in schemas["ContactInput"]["properties"]  # the service assigns ids
    custom = schemas["ContactInput"]["properties"]["custom_fields"]
    assert custom["additionalProperties"] is False
    assert list(custom["patternProperties"]) == ["^[a-z][a-z0-9_]{0,39}$"]
    by_number = document["paths"]["/v1/contacts/by-number/{number}"]["get"]["parameters"][0]
    assert by_number["schema"]["maximum"] == 2**63 - 1
    create = document["paths"]["/v1/contacts"]["post"]
    key = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert key["schema"]["pattern"] == '^"?[\\x20-\\x7E]{1,255}"?$'
    listing = document["paths"]["/v1/contacts"]["get"]
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200


def test_interactive_docs_load_the_document(base_url: str) -> None:
    response = httpx.get(f"{base_url}/docs")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/openapi.json" in response.text
