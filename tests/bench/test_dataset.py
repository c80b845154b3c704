"""The benchmark's data: deterministic, accepted by the service's strict checks, and holding
what its search terms look for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from bench.dataset.bodies import BATCH_SIZE, bodies_file, read_bodies
from bench.dataset.documents import COUNTRIES, contact_document, country_of
from bench.dataset.terms import CATEGORIES, MISS, search_terms

from counterparty.domain.contact import ContactInput
from counterparty.domain.verification import verify
from tests.conftest import TenantClient

SEED = 4711
# Fields whose country has no rule the service could check them by (German HRB numbers,
# British company numbers): stored unverified by design.
UNVERIFIED = {("DE", "registration_number"), ("GB", "registration_number")}


def test_a_document_depends_on_its_seed_and_position_only() -> None:
    assert contact_document(SEED, 17) == contact_document(SEED, 17)
    assert contact_document(SEED, 17) != contact_document(SEED, 18)
    assert contact_document(SEED, 17) != contact_document(SEED + 1, 17)


def test_bodies_are_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    count = BATCH_SIZE + 200
    first = bodies_file(tmp_path / "a", SEED, count).read_bytes()
    assert bodies_file(tmp_path / "b", SEED, count).read_bytes() == first
    bodies = list(read_bodies(tmp_path / "a" / next((tmp_path / "a").iterdir()).name))
    items = [item for body in bodies for item in orjson.loads(body)["items"]]
    assert [len(orjson.loads(body)["items"]) for body in bodies] == [BATCH_SIZE, 200]
    assert items == [contact_document(SEED, index) for index in range(1, count + 1)]


def test_every_identifier_passes_the_strict_checks() -> None:
    statuses: Counter[tuple[str, str, str]] = Counter()
    for index in range(1, 3001):
        document = contact_document(SEED, index)
        # verify raises ValidationFailed for any invalid identifier under "strict".
        _, checks = verify(ContactInput.model_validate(document), "strict")
        for check in checks:
            field = check.field.split("/")[0]
            statuses[(country_of(document), field, check.status)] += 1
    not_valid = {key: n for key, n in statuses.items() if key[2] != "valid"}
    assert {(country, field) for country, field, _ in not_valid} <= UNVERIFIED
    valid = {(country, field) for country, field, status in statuses if status == "valid"}
    assert {
        ("TR", "tax_id"), ("TR", "phone"), ("TR", "bank_accounts"), ("TR", "email"),
        ("CZ", "registration_number"), ("CZ", "vat_number"), ("CZ", "phone"),
        ("CZ", "bank_accounts"), ("SK", "registration_number"), ("SK", "tax_id"),
        ("SK", "vat_number"), ("SK", "mobile"), ("SK", "bank_accounts"),
    } <= valid  # fmt: skip


def test_every_country_and_kind_is_generated_in_its_share() -> None:
    documents = [contact_document(SEED, index) for index in range(1, 4001)]
    shares = Counter(country_of(document) for document in documents)
    for country in COUNTRIES:
        assert abs(shares[country.code] / len(documents) * 100 - country.weight) < 2.5
    assert 0.15 < sum(d["kind"] == "person" for d in documents) / len(documents) < 0.25


def _load(api: TenantClient, count: int) -> None:
    for first in range(1, count + 1, BATCH_SIZE):
        items = [
            contact_document(SEED, i) for i in range(first, min(first + BATCH_SIZE, count + 1))
        ]
        response = api.http.post("/v1/contacts/batch", json={"items": items})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        failed = [result for result in body["results"] if result["action"] != "created"]
        assert failed == []


@pytest.mark.parametrize("count", [2000])
def test_the_service_stores_every_contact_and_finds_what_each_term_looks_for(
    api: TenantClient, count: int
) -> None:
    _load(api, count)
    terms = search_terms(SEED, count)
    assert {term.category for term in terms} == set(CATEGORIES)
    found = {}
    for term in terms:
        response = api.http.get("/v1/contacts", params={"q": term.text, "limit": 1})
        assert response.status_code == 200, response.text
        found[term.text] = bool(response.json()["data"])
    assert found == {term.text: term.should_match for term in terms}
    assert sum(term.category == MISS for term in terms) == 5
