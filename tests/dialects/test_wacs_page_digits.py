"""WACS's page parameters take decimal digits only: "²" is a digit to Python's `isdigit` but no
number, and was a 500 before the shared `whole_number` read them."""

from __future__ import annotations

import pytest

from tests.dialects.test_wacs import Wacs, wacs_fixture  # noqa: F401  (the `wacs` fixture)


@pytest.mark.parametrize("name", ["page", "pageSize"])
def test_a_superscript_digit_is_no_page_number(wacs: Wacs, name: str) -> None:
    response = wacs.http.get("GetContacts", params={name: "²"})
    assert response.status_code == 400, response.text
    assert list(response.json()["ModelState"]) == [name]
