"""Create and edit forms: field errors next to the inputs, conflicts, lists edited in place."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.ui.conftest import Person

VERSION = re.compile(r'name="version" value="(\d+)"')


def field_error(page: str, name: str) -> str | None:
    ident = "f-" + name.replace(".", "-")
    found = re.search(rf'<p class="field-error" id="{ident}-error">([^<]+)</p>', page)
    if found is None:
        return None
    assert f'aria-describedby="{ident}-error"' in page or f'-hint {ident}-error"' in page
    return found.group(1)


def opened(person: Person, contact_id: str) -> dict[str, str]:
    page = person.http.get(f"/app/contacts/{contact_id}/edit").text
    fields = dict(
        re.findall(
            r'<input id="[^"]+" name="([^"]+)" type="(?:text|email|tel|url|date)" value="([^"]*)"',
            page,
        )
    )
    fields.update(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    for name in re.findall(r'name="([^"]+)" type="checkbox" value="true" checked', page):
        fields[name] = "true"
    fields.update(
        re.findall(
            r'<select id="[^"]+" name="([^"]+)"[^>]*>'
            r'(?:(?!</select>).)*?<option value="([^"]*)" selected',
            page,
            re.S,
        )
    )
    fields["base"] = fields["version"]
    fields.pop("csrf")
    return fields


def contact(person: Person, contact_id: str) -> dict[str, Any]:
    found: dict[str, Any] = person.api.http.get(f"/v1/contacts/{contact_id}").json()
    return found


def test_an_invalid_vat_number_is_explained_next_to_it_and_nothing_is_saved(editor: Person) -> None:
    answer = editor.post(
        "/app/contacts/new",
        {
            "kind": "company",
            "name": "Acme Trading BV",
            "vat_number": "NL123456789B01",
            "address.country_code": "NL",
        },
    )
    assert answer.status_code == 422
    assert "check digits" in (field_error(answer.text, "vat_number") or "")
    assert 'value="NL123456789B01"' in answer.text and 'value="Acme Trading BV"' in answer.text
    assert '<a href="#f-vat_number">VAT number</a>' in answer.text
    assert editor.api.http.get("/v1/contacts").json()["data"] == []
    fixed = editor.post(
        "/app/contacts/new",
        {
            "kind": "company",
            "name": "Acme Trading BV",
            "vat_number": "NL004495445B01",
            "address.country_code": "NL",
        },
    )
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("?done=created")
    saved = editor.api.http.get("/v1/contacts").json()["data"]
    assert [c["vat_number"] for c in saved] == ["NL004495445B01"]


def test_errors_in_lists_point_at_the_row_they_came_from(editor: Person) -> None:
    rows = {
        "name": "Rows BV",
        "bank_accounts.0.id": "",
        "bank_accounts.0.iban": "",  # an empty row is skipped: the next is item 0
        "bank_accounts.1.id": "",
        "bank_accounts.1.iban": "NL91ABNA0417164301",
    }
    answer = editor.post("/app/contacts/new", rows)
    assert answer.status_code == 422
    assert "IBAN" in (field_error(answer.text, "bank_accounts.1.iban") or "")
    assert field_error(answer.text, "bank_accounts.0.iban") is None
    typed = editor.post("/app/contacts/new", {"name": "Rows BV", "payment_terms_days": "soon"})
    assert field_error(typed.text, "payment_terms_days") == "Input should be a valid integer"
    assert 'value="soon"' in typed.text


def test_editing_saves_the_change_and_the_history_shows_it(editor: Person) -> None:
    created = editor.api.create(
        name="Acme", address={"city": "Utrecht"}, custom_fields={"crm_id": 42}
    )
    fields = opened(editor, created["id"])
    assert fields["address.city"] == "Utrecht" and fields["custom_fields.0.value"] == "42"
    answer = editor.post(
        f"/app/contacts/{created['id']}/edit", {**fields, "address.city": "Rotterdam"}
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=saved")
    now = contact(editor, created["id"])
    assert now["address"]["city"] == "Rotterdam" and now["custom_fields"] == {"crm_id": 42}
    assert now["version"] == 2
    page = editor.http.get(f"/app/contacts/{created['id']}").text
    assert "<del>Utrecht</del> → <ins>Rotterdam</ins>" in page and editor.email in page
    assert "Web interface" in page
    unchanged = editor.post(f"/app/contacts/{created['id']}/edit", opened(editor, created["id"]))
    assert unchanged.headers["location"].endswith("?done=unchanged")
    assert contact(editor, created["id"])["version"] == 2


def test_a_conflict_shows_their_changes_and_applies_mine_on_top(
    person_of: Callable[..., Person],
) -> None:
    mine = person_of("editor")
    theirs = person_of("editor", api=mine.api)
    created = mine.api.create(name="Acme", phone="+31201234567", address={"city": "Utrecht"})
    my_form = opened(mine, created["id"])
    their_form = opened(theirs, created["id"])
    assert (
        theirs.post(
            f"/app/contacts/{created['id']}/edit", {**their_form, "address.city": "Delft"}
        ).status_code
        == 303
    )
    conflict = mine.post(f"/app/contacts/{created['id']}/edit", {**my_form, "name": "Acme Trading"})
    assert conflict.status_code == 409
    assert "Someone else saved this contact" in conflict.text
    assert (
        "<del>Utrecht</del> → <ins>Delft</ins>" in conflict.text and theirs.email in conflict.text
    )
    assert contact(mine, created["id"])["name"] == "Acme", "nothing of mine was saved"
    assert 'value="Acme Trading"' in conflict.text and ">Reload</a>" in conflict.text
    again = dict(my_form, name="Acme Trading", version=VERSION.search(conflict.text).group(1))
    assert mine.post(f"/app/contacts/{created['id']}/edit", again).status_code == 303
    merged = contact(mine, created["id"])
    assert (merged["name"], merged["address"]["city"]) == ("Acme Trading", "Delft")


def test_lists_are_edited_in_place(editor: Person) -> None:
    created = editor.api.create(
        name="Acme", bank_accounts=[{"iban": "NL91ABNA0417164300"}], tags=["a", "b"]
    )
    fields = opened(editor, created["id"])
    added = editor.post(
        f"/app/contacts/{created['id']}/edit", {**fields, "action": "add:bank_accounts"}
    )
    assert added.status_code == 200 and 'name="bank_accounts.1.iban"' in added.text
    assert contact(editor, created["id"])["version"] == 1, "adding a row saves nothing"
    saved = editor.post(
        f"/app/contacts/{created['id']}/edit",
        {
            **fields,
            "bank_accounts.1.id": "",
            "bank_accounts.1.iban": "BE68 5390 0754 7034",
            "bank_accounts.1.is_default": "true",
            "tags": "a\nc",
            "custom_fields.0.key": "crm",
            "custom_fields.0.value": "X-1",
        },
    )
    assert saved.status_code == 303, saved.text
    now = contact(editor, created["id"])
    assert [a["iban"] for a in now["bank_accounts"]] == ["NL91ABNA0417164300", "BE68539007547034"]
    assert now["bank_accounts"][0]["id"] == created["bank_accounts"][0]["id"]
    assert now["tags"] == ["a", "c"] and now["custom_fields"] == {"crm": "X-1"}
    fields = opened(editor, created["id"])
    removed = editor.post(
        f"/app/contacts/{created['id']}/edit", {**fields, "action": "remove:bank_accounts:0"}
    )
    assert 'value="BE68539007547034"' in removed.text and "NL91ABNA0417164300" not in removed.text
    fields = {k: v for k, v in fields.items() if not k.startswith("bank_accounts.")}
    fields.update(
        {
            "bank_accounts.0.id": now["bank_accounts"][1]["id"],
            "bank_accounts.0.iban": "BE68539007547034",
        }
    )
    assert editor.post(f"/app/contacts/{created['id']}/edit", fields).status_code == 303
    assert [a["iban"] for a in contact(editor, created["id"])["bank_accounts"]] == [
        "BE68539007547034"
    ]


def test_the_parent_is_chosen_by_number(editor: Person) -> None:
    parent = editor.api.create(name="Holding")
    child = editor.api.create(name="Daughter")
    fields = opened(editor, child["id"])
    unknown = editor.post(f"/app/contacts/{child['id']}/edit", {**fields, "parent": "999"})
    assert field_error(unknown.text, "parent") == "There is no contact with this number."
    linked = editor.post(
        f"/app/contacts/{child['id']}/edit", {**fields, "parent": str(parent["number"])}
    )
    assert linked.status_code == 303
    assert contact(editor, child["id"])["parent_id"] == parent["id"]


def test_archive_unarchive_and_delete(editor: Person) -> None:
    parent = editor.api.create(name="Holding")
    child = editor.api.create(name="Daughter", parent_id=parent["id"])
    assert editor.post(f"/app/contacts/{parent['id']}/archive", {"version": "1"}).status_code == 303
    assert contact(editor, parent["id"])["archived"] is True
    stale = editor.post(f"/app/contacts/{parent['id']}/unarchive", {"version": "1"})
    assert stale.status_code == 409 and "Someone else changed this contact" in stale.text
    assert (
        editor.post(f"/app/contacts/{parent['id']}/unarchive", {"version": "2"}).status_code == 303
    )
    confirm = editor.http.get(f"/app/contacts/{parent['id']}/delete")
    assert "Delete this contact for good?" in confirm.text
    refused = editor.post(f"/app/contacts/{parent['id']}/delete", {"version": "3"})
    assert refused.status_code == 409 and "cannot be deleted" in refused.text
    assert f'<a href="/app/contacts/{child["id"]}">Daughter</a>' in refused.text
    assert (
        editor.post(f"/app/contacts/{child['id']}/delete", {"version": "1"}).headers["location"]
        == "/app/contacts?deleted=1"
    )
    assert editor.post(f"/app/contacts/{parent['id']}/delete", {"version": "3"}).status_code == 303
    assert editor.api.http.get(f"/v1/contacts/{parent['id']}").status_code == 404


def test_field_messages_follow_the_language(person_of: Callable[..., Person]) -> None:
    person = person_of("editor")
    person.http.get("/app/language", params={"set": "nl", "next": "/app/contacts"})
    answer = person.post(
        "/app/contacts/new", {"kind": "company", "name": "X", "vat_number": "NL123456789B01"}
    )
    assert field_error(answer.text, "vat_number") == "Ongeldig: de controlecijfers kloppen niet"


JUNK = [
    {"version": "x", "base": "1"},
    {"version": "1", "base": "999"},
    {"version": "1", "base": "1", "kind": "robot", "name": "x" * 5000},
    {
        "version": "1",
        "base": "1",
        "bank_accounts.99999999999.id": "",
        "action": "remove:bank_accounts:-1",
    },
    {
        "version": "1",
        "base": "1",
        "custom_fields.0.key": "Not A Key!",
        "custom_fields.0.value": "v",
    },
    {"version": "1", "base": "1", "gdpr.changed_at": "yesterday", "birth_date": "1990-02-31"},
    {"version": "1", "base": "1", "parent": "1", "discount_percent": "12.345", "tags": "a\n" * 60},
    {
        "version": "1",
        "base": "1",
        "action": "add:bank_accounts",
        "bank_accounts.0.id": "not-a-uuid",
    },
    {"version": "1", "base": "1", "bank_accounts.0.id": "not-a-uuid", "bank_accounts.0.iban": "x"},
]


def test_no_form_input_gives_a_500(editor: Person) -> None:
    created = editor.api.create(name="Sturdy")
    for junk in JUNK:
        for path in (f"/app/contacts/{created['id']}/edit", "/app/contacts/new"):
            answer = editor.post(path, junk)
            assert answer.status_code < 500, (path, junk, answer.text[-500:])
        for action in ("archive", "delete"):
            answer = editor.post(f"/app/contacts/{created['id']}/{action}", junk)
            assert answer.status_code < 500, (action, junk)
    odd_bodies = [b"\xff\xfe", b"csrf=" + editor.csrf.encode() + b"&%%%=&&=="]
    for body in odd_bodies:
        answer = editor.http.post(
            "/app/contacts/new",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code < 500
    assert editor.http.post("/app/contacts/new", json={}).status_code == 415
    history = editor.http.get(f"/app/contacts/{created['id']}?history=forged.cursor")
    assert history.status_code == 400
