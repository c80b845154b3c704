"""Paths and methods that match nothing under a vendor's prefix answer in that vendor's shape."""

from __future__ import annotations

import httpx
import pytest

SHAPES = {
    "muhasip": lambda body: body["status"] is False and "message" in body,
    "wacs": lambda body: "Message" in body,
    "faturaentegrator": lambda body: "message" in body,
    "odyssee": lambda body: "message" in body["error"],
    "idoklad": lambda body: "Message" in body,
}


@pytest.mark.parametrize("vendor", SHAPES)
def test_unknown_paths_answer_in_the_vendor_shape(base_url: str, vendor: str) -> None:
    response = httpx.get(f"{base_url}/compat/{vendor}/no/such/path")
    assert response.status_code in (401, 404)
    assert response.headers["content-type"].startswith("application/json")
    assert SHAPES[vendor](response.json()), response.text
