"""Each vendor's seed samples against the dialect's published OpenAPI document (no HTTP): the
page's request bodies are bodies the document allows, so a client generated from the document
can send what the vendor's page shows. The answers are checked against the same documents by
schemathesis (test_published_documents.py)."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from counterparty.dialects.registry import DIALECTS
from tests.dialects.test_faturaentegrator import COMPANY as FE_COMPANY
from tests.dialects.test_faturaentegrator import DOCUMENTED_PATCH as FE_PATCH
from tests.dialects.test_faturaentegrator import PERSON as FE_PERSON
from tests.dialects.test_idoklad import SAMPLE as IDOKLAD_SAMPLE
from tests.dialects.test_muhasip import SEED_BODY as MUHASIP_SAMPLE
from tests.dialects.test_odyssee import contact_sample
from tests.dialects.test_wacs import SAMPLE as WACS_SAMPLE

DOCUMENTS = {dialect.name: dialect.document() for dialect in DIALECTS}
SAMPLES: list[tuple[str, str, dict[str, Any]]] = [  # (dialect, operation id, the page's body)
    ("wacs", "wacsCreateContact", WACS_SAMPLE),
    ("wacs", "wacsUpdateContact", WACS_SAMPLE),
    ("faturaentegrator", "faturaentegratorCreateCustomer", FE_COMPANY),
    ("faturaentegrator", "faturaentegratorCreateCustomer", FE_PERSON),
    ("faturaentegrator", "faturaentegratorUpdateCustomer", FE_PATCH),
    ("idoklad", "idokladCreateContact", IDOKLAD_SAMPLE),
    ("idoklad", "idokladUpdateContact", IDOKLAD_SAMPLE),
    ("muhasip", "muhasipCreateContact", MUHASIP_SAMPLE),
    ("muhasip", "muhasipUpdateContact", MUHASIP_SAMPLE),
    ("odyssee", "odysseeCreateContact", contact_sample("2c5b3e3a-5b1e-4c1e-9d5e-1b2c3d4e5f60")),
    ("odyssee", "odysseeReplaceContact", contact_sample("2c5b3e3a-5b1e-4c1e-9d5e-1b2c3d4e5f60")),
]


def request_schema(name: str, operation_id: str) -> dict[str, Any]:
    """The JSON body schema of an operation, with the document's components to resolve in."""
    document = DOCUMENTS[name]
    for operations in document["paths"].values():
        for operation in operations.values():
            if operation.get("operationId") == operation_id:
                body = operation["requestBody"]["content"]["application/json"]["schema"]
                return {**body, "components": document["components"]}
    raise LookupError(operation_id)


@pytest.mark.parametrize(("name", "operation_id", "sample"), SAMPLES,
                         ids=[f"{name}-{operation}" for name, operation, _ in SAMPLES])  # fmt: skip
def test_the_pages_request_samples_conform_to_the_published_document(
    name: str, operation_id: str, sample: dict[str, Any]
) -> None:
    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft202012Validator(request_schema(name, operation_id)).iter_errors(sample)
    ]
    assert problems == []


def test_a_body_the_page_does_not_allow_is_refused_by_the_document() -> None:
    """The check above can fail: a member the vendor does not have, a text too long."""
    schema = Draft202012Validator(request_schema("odyssee", "odysseeCreateContact"))
    assert not schema.is_valid({**contact_sample(""), "colour": "red"})
    assert not schema.is_valid({**contact_sample(""), "firstname": "x" * 51})
