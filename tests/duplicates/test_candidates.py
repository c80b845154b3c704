"""GET /v1/contacts/{id}/duplicates: scored candidates with their reasons, best first."""

from __future__ import annotations

from typing import Any

from tests.conftest import TenantClient


def candidates(client: TenantClient, contact: dict[str, Any], **params: Any) -> list[Any]:
    response = client.http.get(f"/v1/contacts/{contact['id']}/duplicates", params=params)
    assert response.status_code == 200, response.text
    found: list[Any] = response.json()["data"]
    return found


def rules(candidate: dict[str, Any]) -> set[str]:
    return {reason["rule"] for reason in candidate["reasons"]}


def test_the_same_vat_number_typed_differently_scores_at_least_0_9(api: TenantClient) -> None:
    first = api.create(name="Brouwerij De Klok", vat_number="BE 0403.019.261")
    second = api.create(name="De Klok Bier", vat_number="be0403019261")
    api.create(name="Unrelated", vat_number="BE0417497106")
    found = candidates(api, first)
    assert [c["id"] for c in found] == [second["id"]]
    assert found[0]["score"] >= 0.9
    assert found[0]["number"] == second["number"] and found[0]["name"] == "De Klok Bier"
    [reason] = found[0]["reasons"]
    assert reason["field"] == "vat_number" and reason["rule"] == "same_vat_number"
    assert "BE0403019261" in reason["detail"]


def test_the_same_tax_id_in_the_same_country_scores_at_least_0_9(api: TenantClient) -> None:
    tr = {"country_code": "TR", "city": "İstanbul"}
    first = api.create(name="Çelik Yapı A.Ş.", tax_id="1234567890", address=tr)
    second = api.create(name="Yapı Market", tax_id="1234567890", address={"country_code": "TR"})
    found = candidates(api, first)
    assert [c["id"] for c in found] == [second["id"]]
    assert found[0]["score"] >= 0.9 and rules(found[0]) == {"same_tax_id"}


def test_legal_forms_and_turkish_letters_do_not_hide_the_same_name(api: TenantClient) -> None:
    place = {"country_code": "TR", "city": "İzmir"}
    first = api.create(name="ABC Ticaret A.Ş.", address=place)
    second = api.create(name="ABC TİCARET ANONİM ŞİRKETİ", address={**place, "city": "IZMIR"})
    found = candidates(api, first)
    assert [c["id"] for c in found] == [second["id"]]
    assert rules(found[0]) == {"same_name_and_city"}


def test_a_similar_name_alone_never_scores_above_0_8(api: TenantClient) -> None:
    first = api.create(name="Novák Stavby s.r.o.", address={"country_code": "CZ"})
    same = api.create(name="NOVAK STAVBY spol. s r.o.", address={"country_code": "CZ"})
    typo = api.create(name="Novák Stavbyy", address={"country_code": "CZ"})
    found = {c["id"]: c for c in candidates(api, first)}
    assert set(found) == {same["id"], typo["id"]}
    assert found[same["id"]]["score"] == 0.8
    assert 0.5 <= found[typo["id"]]["score"] < 0.8
    assert all(rules(c) == {"similar_name"} for c in found.values())


def test_similar_names_count_only_within_a_country_or_else_a_city(api: TenantClient) -> None:
    first = api.create(name="Demir İnşaat Ltd. Şti.", address={"country_code": "TR"})
    api.create(name="Demir İnşaat GmbH", address={"country_code": "DE"})
    api.create(name="Demir İnşaat", address={"city": "Ankara"})  # no country, other city
    nowhere = api.create(name="Demir İnşaat")  # no country, no city
    assert candidates(api, first) == []
    in_ankara = api.create(name="Demir Insaat", address={"city": "ANKARA"})
    found = candidates(api, nowhere)
    assert found == []  # without a city nothing says they are in one place
    elsewhere = candidates(api, in_ankara)
    assert [c["name"] for c in elsewhere] == ["Demir İnşaat"]


def test_look_alikes_in_the_same_city_are_not_candidates(api: TenantClient) -> None:
    place = {"country_code": "TR", "city": "Bursa"}
    first = api.create(name="Demir İnşaat Ltd. Şti.", address=place)
    api.create(name="Demir Gıda Ltd. Şti.", address=place)
    assert candidates(api, first) == []


def test_reasons_add_up_best_first(api: TenantClient) -> None:
    first = api.create(
        name="Acme Trading BV",
        email="Info@Acme.example",
        phone="+31 20 123 4567",
        bank_accounts=[{"iban": "BE68 5390 0754 7034"}],
        address={"country_code": "NL", "city": "Amsterdam"},
    )
    strong = api.create(
        name="ACME Trading B.V.",
        email="info@acme.example",
        bank_accounts=[{"iban": "BE68539007547034"}],
        address={"country_code": "NL", "city": "Amsterdam"},
    )
    weak = api.create(name="Other", phone="+31201234567", address={"country_code": "NL"})
    found = candidates(api, first)
    assert [c["id"] for c in found] == [strong["id"], weak["id"]]
    assert rules(found[0]) == {"same_iban", "same_email", "same_name_and_city"}
    assert found[0]["reasons"][-1]["rule"] == "same_email"  # the weakest last
    assert found[0]["score"] > 0.95
    assert rules(found[1]) == {"same_phone"} and found[1]["score"] == 0.5
    assert candidates(api, first, min_score=0.6) == found[:1]
    assert candidates(api, first, limit=1) == found[:1]


def test_only_active_contacts_and_never_the_contact_itself(api: TenantClient) -> None:
    first = api.create(name="Solo", email="solo@example.com")
    archived = api.create(name="Solo Old", email="solo@example.com")
    assert api.http.post(f"/v1/contacts/{archived['id']}/archive").status_code == 200
    assert candidates(api, first) == []
    # An archived contact still has its own candidates.
    assert [c["id"] for c in candidates(api, archived)] == [first["id"]]


def test_keys_follow_changes(api: TenantClient) -> None:
    first = api.create(name="Alpha", email="one@example.com")
    second = api.create(name="Beta", email="two@example.com")
    assert candidates(api, first) == []
    patched = api.http.patch(f"/v1/contacts/{second['id']}", json={"email": "ONE@example.com"})
    assert patched.status_code == 200
    assert [c["id"] for c in candidates(api, first)] == [second["id"]]
    api.http.patch(f"/v1/contacts/{second['id']}", json={"email": None})
    assert candidates(api, first) == []


def test_tenants_never_see_each_other(api: TenantClient, other_api: TenantClient) -> None:
    mine = api.create(name="Shared Name BV", vat_number="BE0403019261")
    other_api.create(name="Shared Name BV", vat_number="BE0403019261")
    assert candidates(api, mine) == []
    response = other_api.http.get(f"/v1/contacts/{mine['id']}/duplicates")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_parameters_are_problems(api: TenantClient) -> None:
    contact = api.create(name="Anything")
    url = f"/v1/contacts/{contact['id']}/duplicates"
    for params in ({"min_score": "1.5"}, {"min_score": "nan"}, {"min_score": "x"}, {"limit": "0"}):
        response = api.http.get(url, params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert api.http.get("/v1/contacts/not-a-uuid/duplicates").status_code == 404
    missing = "/v1/contacts/00000000-0000-4000-8000-000000000000/duplicates"
    assert api.http.get(missing).status_code == 404
