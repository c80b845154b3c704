"""Muhasip dialect: the Index operation (page, pageSize, query, archived) answering
mongoose-paginate pages, and the history its writes leave."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dialects.test_muhasip import (
    PAGINATE_MEMBERS,
    PREFIX,
    Clients,
    assert_error,
    body,
    clients,
)

__all__ = ["clients"]  # the fixture, shared with test_muhasip.py

NAMES = ["Deniz Ltd", "ahmet Kaya", "Çağlar İnşaat", "Banu Tekstil", "Ceren Gıda"]
BY_NAME = ["ahmet Kaya", "Banu Tekstil", "Çağlar İnşaat", "Ceren Gıda", "Deniz Ltd"]


def create_all(clients: Clients) -> dict[str, dict[str, object]]:
    cities = {"Deniz Ltd": "Bornova", "Banu Tekstil": "Bornova"}
    return {
        name: clients.create(body(name=name, cities=cities.get(name, "Urla"), variables=[]))
        for name in NAMES
    }


def page(clients: Clients, **params: object) -> dict[str, Any]:
    response = clients.muhasip.get(PREFIX, params=params)
    assert response.status_code == 200, response.text
    assert response.json()["status"] is True
    result: dict[str, Any] = response.json()["result"]
    assert set(result) == PAGINATE_MEMBERS
    return result


def names(result: dict[str, Any]) -> list[str]:
    docs = result["docs"]
    assert isinstance(docs, list)
    return [doc["name"] for doc in docs]


def test_defaults_page_1_of_25_active_contacts_by_name(clients: Clients) -> None:
    created = create_all(clients)
    clients.muhasip.patch(f"{PREFIX}/{created['Deniz Ltd']['_id']}/archive")
    result = page(clients)
    assert names(result) == BY_NAME[:4]
    assert result["docs"][0] == created["ahmet Kaya"]
    assert {key: value for key, value in result.items() if key != "docs"} == {
        "totalDocs": 4,
        "limit": 25,
        "page": 1,
        "totalPages": 1,
        "pagingCounter": 1,
        "hasPrevPage": False,
        "hasNextPage": False,
        "prevPage": None,
        "nextPage": None,
    }
    archived = page(clients, archived="true")
    assert names(archived) == ["Deniz Ltd"] and archived["totalDocs"] == 1


def test_pages_of_two(clients: Clients) -> None:
    create_all(clients)
    seen = []
    for number, expected_next in ((1, 2), (2, 3), (3, None)):
        result = page(clients, page=number, pageSize=2)
        seen += names(result)
        assert (result["page"], result["limit"], result["totalDocs"]) == (number, 2, 5)
        assert (result["totalPages"], result["pagingCounter"]) == (3, 2 * number - 1)
        assert result["nextPage"] == expected_next
        assert result["hasNextPage"] is (expected_next is not None)
        assert result["prevPage"] == (number - 1 or None)
        assert result["hasPrevPage"] is (number > 1)
    assert seen == BY_NAME
    beyond = page(clients, page=4, pageSize=2)
    assert beyond["docs"] == [] and beyond["prevPage"] == 3 and beyond["hasNextPage"] is False


def test_an_empty_list(clients: Clients) -> None:
    result = page(clients, query="nobody")
    assert (result["docs"], result["totalDocs"], result["totalPages"]) == ([], 0, 1)


def test_query_matches_every_word_across_case_accents_and_fields(clients: Clients) -> None:
    create_all(clients)
    assert names(page(clients, query="CAGLAR")) == ["Çağlar İnşaat"]
    assert names(page(clients, query="insaat çağlar")) == ["Çağlar İnşaat"]
    assert names(page(clients, query="bornova")) == ["Banu Tekstil", "Deniz Ltd"]  # cities
    assert names(page(clients, query="bornova banu")) == ["Banu Tekstil"]
    assert page(clients, query="bornova", pageSize=1)["totalDocs"] == 2


def test_unknown_parameters_are_ignored(clients: Clients) -> None:
    create_all(clients)
    assert names(page(clients, sort="-name", foo="bar", page="", pageSize="")) == BY_NAME


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "²"}, "page"),  # a digit, but no number
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "201"}, "pageSize"),
        ({"pageSize": "-5"}, "pageSize"),
        ({"archived": "all"}, "archived"),
        ({"query": "x" * 201}, "query"),
    ],
)
def test_bad_parameters_are_400_in_muhasip_shape(
    clients: Clients, params: dict[str, str], field: str
) -> None:
    error = assert_error(clients.muhasip.get(PREFIX, params=params), 400, field)
    assert error["code"] == "validation_failed"


def test_writes_are_recorded_as_the_muhasip_dialect(clients: Clients) -> None:
    created = clients.create(body())
    at = f"{PREFIX}/{created['_id']}"
    assert clients.muhasip.put(at, json=body(name="Yeni Ad")).status_code == 200
    assert clients.muhasip.patch(f"{at}/archive").status_code == 200
    history = clients.native.get(f"/v1/contacts/{created['_id']}/history")
    assert history.status_code == 200, history.text
    events = history.json()["data"]
    assert len(events) == 3
    assert {event["entry_point"] for event in events} == {"dialect:muhasip"}
