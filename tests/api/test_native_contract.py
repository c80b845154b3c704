"""The native API answers as its OpenAPI document says: schemathesis with every check,
one operation at a time and in chains (stateful), a bounded number of examples."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from counterparty.api.system import openapi_document
from counterparty.services.exports import MEDIA_TYPES
from counterparty.services.registry import Services

EXAMPLES = 20  # per operation
# Files uploaded as they are (POST /v1/imports): sent as the bytes generated for them.
for media_type in ("application/jsonl", MEDIA_TYPES["xlsx"]):
    schemathesis.serializer.alias(media_type, "application/octet-stream")
SCHEMA = schemathesis.openapi.from_dict(openapi_document())
# Rules no JSON Schema can state make schema-valid data fail, as documented for each operation:
# identifiers with check digits and countries by name (422), cursors the service sealed (400),
# If-Match naming the current version (412).
# Each call carries a tenant's key (below): no case may drop or forge the Authorization header.
SCHEMA.config.generation.update(with_security_parameters=False)
SCHEMA.config.checks.positive_data_acceptance.expected_statuses.extend(["400", "412", "422"])
FAST = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))  # fmt: skip


@pytest.fixture(scope="module")
def headers(services: Services) -> dict[str, str]:
    slug = f"contract-{secrets.token_hex(4)}"
    services.tenancy.create_tenant(slug)
    return {"Authorization": f"Bearer {services.tenancy.create_key(slug, 'contract').secret}"}


@SCHEMA.parametrize()
@FAST
def test_each_operation_answers_as_documented(
    case: schemathesis.Case, base_url: str, headers: dict[str, str]
) -> None:
    response = case.call(base_url=base_url, headers=headers)
    case.validate_response(response)


def test_chains_of_operations_answer_as_documented(base_url: str, headers: dict[str, str]) -> None:
    # Chains leave erasure out: it rewrites the history the change feed returns to later steps
    # of later examples, so hypothesis could not replay an example's draws (each operation on
    # its own still covers it).
    chained = SCHEMA.exclude(path_regex="/erase$")

    class Workflow(chained.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, _case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": base_url, "headers": headers}

    chains = settings(
        max_examples=30,
        stateful_step_count=6,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    Workflow.run(settings=chains)
