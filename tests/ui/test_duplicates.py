"""Probable duplicates in the pages: the contact page warns after a create (or an edit giving
a contact another's identifiers) under the `warn` policy; under `refuse` the form says which
contacts made the service refuse, and nothing is saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.ui.conftest import Person
from tests.ui.test_forms import field_error, opened

VAT = "NL004495445B01"
OTHER_VAT = "BE0403019261"
WARNING = 'id="duplicates"'


def acme(person: Person, **fields: Any) -> dict[str, Any]:
    return person.api.create(
        name="Acme Trading BV", vat_number=VAT, address={"country_code": "NL"}, **fields
    )


def new_contact(person: Person, name: str, vat_number: str) -> Any:
    return person.post(
        "/app/contacts/new",
        {
            "kind": "company",
            "name": name,
            "vat_number": vat_number,
            "address.country_code": "NL" if vat_number.startswith("NL") else "BE",
        },
    )


def names_in_the_book(person: Person) -> list[str]:
    return sorted(c["name"] for c in person.api.http.get("/v1/contacts").json()["data"])


def refuse_duplicates(person: Person) -> None:
    answer = person.api.http.patch("/v1/tenant", json={"duplicate_policy": "refuse"})
    assert answer.status_code == 200, answer.text


def test_a_new_contact_with_anothers_vat_number_is_saved_with_a_warning(editor: Person) -> None:
    other = acme(editor)
    answer = new_contact(editor, "Acme Handel", VAT)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=created")
    assert names_in_the_book(editor) == ["Acme Handel", "Acme Trading BV"]
    page = editor.http.get(answer.headers["location"]).text
    assert WARNING in page and "The contact was created." in page
    warning = page[page.index(WARNING) : page.index("</div>", page.index(WARNING))]
    link = f'<a href="/app/contacts/{other["id"]}">Acme Trading BV</a>'
    assert f'{link} <span class="number">#{other["number"]}</span>: the same VAT number' in warning
    assert "This contact may duplicate another one" in warning
    turkish = editor.http.get(answer.headers["location"], headers={"Accept-Language": "tr"})
    assert "aynı KDV numarası" in turkish.text and link in turkish.text


def test_a_name_and_city_alike_is_a_warning_too(editor: Person) -> None:
    other = editor.api.create(name="Kartal İnşaat Ltd. Şti.", address={"city": "Konya"})
    answer = editor.post(
        "/app/contacts/new",
        {"kind": "company", "name": "KARTAL İNŞAAT LİMİTED ŞİRKETİ", "address.city": "Konya"},
    )
    assert answer.status_code == 303
    page = editor.http.get(answer.headers["location"]).text
    assert f'<a href="/app/contacts/{other["id"]}">' in page
    assert "the same name and city" in page


def test_giving_a_contact_anothers_vat_number_warns_after_saving(editor: Person) -> None:
    other = acme(editor)
    mine = editor.api.create(name="Acme Handel", address={"country_code": "NL"})
    answer = editor.post(
        f"/app/contacts/{mine['id']}/edit", {**opened(editor, mine["id"]), "vat_number": VAT}
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("duplicates=1")
    page = editor.http.get(answer.headers["location"]).text
    assert "Saved." in page and f'<a href="/app/contacts/{other["id"]}">Acme Trading BV</a>' in page
    changed = editor.api.http.get(f"/v1/contacts/{mine['id']}").json()
    assert changed["vat_number"] == VAT
    # A later edit that leaves the identifiers alone does not warn again.
    again = editor.post(
        f"/app/contacts/{mine['id']}/edit",
        {**opened(editor, mine["id"]), "phone": "+31 20 123 4567"},
    )
    assert again.status_code == 303 and again.headers["location"].endswith("?done=saved")
    assert WARNING not in editor.http.get(again.headers["location"]).text


def test_a_contact_without_duplicates_shows_no_warning(editor: Person) -> None:
    acme(editor)
    editor.api.create(name="Dormant BV", vat_number=OTHER_VAT, archived=True)
    answer = new_contact(editor, "Brand New Company", OTHER_VAT)  # only an archived one has it
    assert answer.status_code == 303
    page = editor.http.get(answer.headers["location"]).text
    assert "The contact was created." in page and WARNING not in page


def test_under_refuse_the_form_names_the_other_contact_and_saves_nothing(editor: Person) -> None:
    other = acme(editor)
    refuse_duplicates(editor)
    answer = new_contact(editor, "Acme Handel", VAT)
    assert answer.status_code == 409
    assert "Not saved: this would duplicate another contact" in answer.text
    link = f'<a href="/app/contacts/{other["id"]}">Acme Trading BV</a>'
    assert (
        f'{link} <span class="number">#{other["number"]}</span>: the same VAT number' in answer.text
    )
    assert (
        field_error(answer.text, "vat_number") == "Another active contact already has this number."
    )
    assert f'value="{VAT}"' in answer.text and 'value="Acme Handel"' in answer.text
    assert names_in_the_book(editor) == ["Acme Trading BV"]


def test_under_refuse_an_edit_is_refused_in_the_language_of_the_page(
    person_of: Callable[..., Person],
) -> None:
    editor = person_of("editor")
    other = acme(editor)
    mine = editor.api.create(name="Acme Handel", address={"country_code": "NL"})
    refuse_duplicates(editor)
    editor.http.get("/app/language", params={"set": "cs", "next": "/app/contacts"})
    answer = editor.post(
        f"/app/contacts/{mine['id']}/edit", {**opened(editor, mine["id"]), "vat_number": VAT}
    )
    assert answer.status_code == 409
    assert "Neuloženo" in answer.text and "stejné DIČ" in answer.text
    assert f'<a href="/app/contacts/{other["id"]}">Acme Trading BV</a>' in answer.text
    assert field_error(answer.text, "vat_number") == "Toto číslo už má jiný aktivní kontakt."
    assert editor.api.http.get(f"/v1/contacts/{mine['id']}").json() == mine
    # The form still saves once the number is another.
    fixed = dict(
        re.findall(r'<input type="hidden" name="(version|base)" value="(\d+)"', answer.text)
    )
    saved = editor.post(
        f"/app/contacts/{mine['id']}/edit",
        {
            **opened(editor, mine["id"]),
            **fixed,
            "vat_number": OTHER_VAT,
            "address.country_code": "BE",
        },
    )
    assert saved.status_code == 303, saved.text


def test_a_viewer_still_gets_403_and_nothing_is_saved(person_of: Callable[..., Person]) -> None:
    viewer = person_of("viewer")
    acme(viewer)
    answer = new_contact(viewer, "Acme Handel", VAT)
    assert answer.status_code == 403
    assert WARNING not in answer.text
    assert names_in_the_book(viewer) == ["Acme Trading BV"]


def test_a_tax_number_the_policy_finds_warns_though_it_scores_low(editor: Person) -> None:
    # Without a country, the same tax number scores 0.7 (below the candidates' 0.8), but it
    # is what the duplicate policy looks for: the warning names it like the API's header.
    other = editor.api.create(name="Yıldız Gıda", tax_id="1234567890")
    answer = editor.post(
        "/app/contacts/new", {"kind": "company", "name": "Deniz Lojistik", "tax_id": "1234567890"}
    )
    assert answer.status_code == 303
    page = editor.http.get(answer.headers["location"]).text
    link = f'<a href="/app/contacts/{other["id"]}">Yıldız Gıda</a>'
    assert f'{link} <span class="number">#{other["number"]}</span>: the same tax number' in page
