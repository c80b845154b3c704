"""WACS's page parameters take decimal digits only: "²" is a digit to Python's `isdigit` but no
number, and was a 500 before the shared `whole_number` read them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from counterparty.services.registry import Services
from tests.dialects.test_wacs import Wacs, open_wacs


@pytest.fixture(scope="module")
def shared_http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture
def wacs(services: Services, shared_http: httpx.Client) -> Wacs:
    return open_wacs(services, shared_http)


@pytest.mark.parametrize("name", ["page", "pageSize"])
def test_a_superscript_digit_is_no_page_number(wacs: Wacs, name: str) -> None:
    response = wacs.http.get("GetContacts", params={name: "²"})
    assert response.status_code == 400, response.text
    assert list(response.json()["ModelState"]) == [name]
