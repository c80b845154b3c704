"""The list, contact and version pages, static files and languages, over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from counterparty.services.registry import Services
from tests.ui.conftest import Person

ROW_LINK = re.compile(r'<td><a href="/app/contacts/[0-9a-f-]+">([^<]+)</a>')
NAV_LINK = re.compile(
    r'<a href="([^"]+)" hx-get="[^"]+" hx-target="#results" hx-push-url="true">(Next|Previous)</a>'
)


def names(page: str) -> list[str]:
    return [unescape(name) for name in ROW_LINK.findall(page)]


def paging(page: str) -> dict[str, str]:
    return {label: unescape(href) for href, label in NAV_LINK.findall(page)}


def test_search_and_filters_narrow_the_list(editor: Person) -> None:
    editor.api.create(name="Anadolu Gıda A.Ş.", address={"city": "İstanbul", "country_code": "TR"})
    editor.api.create(
        name="Brouwerij Het Anker",
        is_supplier=True,
        is_customer=False,
        address={"country_code": "BE"},
        tags=["beer"],
    )
    editor.api.create(name="Old Customer BV", archived=True)
    assert names(editor.http.get("/app/contacts").text) == [
        "Anadolu Gıda A.Ş.",
        "Brouwerij Het Anker",
    ]
    assert names(editor.http.get("/app/contacts?q=istanbul").text) == ["Anadolu Gıda A.Ş."]
    assert names(editor.http.get("/app/contacts?is_supplier=true").text) == ["Brouwerij Het Anker"]
    assert names(editor.http.get("/app/contacts?country_code=TR").text) == ["Anadolu Gıda A.Ş."]
    assert names(editor.http.get("/app/contacts?tag=beer").text) == ["Brouwerij Het Anker"]
    assert names(editor.http.get("/app/contacts?archived=true").text) == ["Old Customer BV"]
    assert names(editor.http.get("/app/contacts?sort=-name").text) == [
        "Brouwerij Het Anker",
        "Anadolu Gıda A.Ş.",
    ]
    row = editor.http.get("/app/contacts?q=anker", headers={"HX-Request": "true"}).text
    assert "<td>Company</td>" in row and "<td>Belgium</td>" in row


def test_typing_gets_only_the_results_and_the_url_keeps_the_state(editor: Person) -> None:
    editor.api.create(name="Acme Trading BV")
    partial = editor.http.get("/app/contacts?q=acme", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert names(partial.text) == ["Acme Trading BV"]
    restored = editor.http.get(
        "/app/contacts?q=acme",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restored.text and 'value="acme"' in restored.text
    form = editor.http.get("/app/contacts").text
    assert (
        'hx-push-url="true"' in form
        and "delay:250ms" in form
        and '<label for="q">Search</label>' in form
    )


def test_next_and_previous_page_by_keyset(editor: Person) -> None:
    for letter in "ABCDE":
        editor.api.create(name=f"{letter} Company")
    first = editor.http.get("/app/contacts?limit=2").text
    assert names(first) == ["A Company", "B Company"] and "Previous" not in paging(first)
    second = editor.http.get(paging(first)["Next"]).text
    assert names(second) == ["C Company", "D Company"]
    third = editor.http.get(paging(second)["Next"]).text
    assert names(third) == ["E Company"] and "Next" not in paging(third)
    assert names(editor.http.get(paging(third)["Previous"]).text) == ["C Company", "D Company"]
    back_to_first = editor.http.get(paging(second)["Previous"]).text
    assert names(back_to_first) == ["A Company", "B Company"]


BADGE = re.compile(r'<span class="badge badge-(\w+)">')


def badges(page: str) -> dict[str, str | None]:
    """Each row's name and the status of its check badge (None: no badge)."""
    rows = page.split("<tr>")[2:]  # after the heading's row
    found = {}
    for row in rows:
        badge = BADGE.search(row)
        found[names(row)[0]] = badge.group(1) if badge else None
    return found


def test_the_check_status_filter_lists_the_contacts_to_fix(editor: Person) -> None:
    lenient = editor.api.http.patch("/v1/tenant", json={"validation_policy": "lenient"})
    assert lenient.status_code == 200, lenient.text
    belgium = {"country_code": "BE"}
    editor.api.create(name="Good Checks NV", vat_number="BE0403019261", address=belgium)
    editor.api.create(name="Typo Checks NV", vat_number="BE0403019262", address=belgium)
    editor.api.create(name="Unruled Checks", tax_id="12345")  # no country: no rule to apply
    editor.api.create(name="Nothing To Check")
    page = editor.http.get("/app/contacts").text
    assert badges(page) == {
        "Good Checks NV": "valid",
        "Nothing To Check": None,
        "Typo Checks NV": "invalid",
        "Unruled Checks": "unverified",
    }
    invalid = editor.http.get("/app/contacts?check_status=invalid").text
    assert names(invalid) == ["Typo Checks NV"]
    assert '<option value="invalid" selected>' in invalid
    # A contact with nothing to check has nothing wrong: it counts as valid (db/contacts.py),
    # though its row shows no badge.
    valid = editor.http.get("/app/contacts?check_status=valid").text
    assert names(valid) == ["Good Checks NV", "Nothing To Check"]
    unverified = editor.http.get("/app/contacts?check_status=unverified").text
    assert names(unverified) == ["Unruled Checks"]
    partial = editor.http.get(
        "/app/contacts?check_status=invalid&q=checks", headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.text and names(partial.text) == ["Typo Checks NV"]
    odd = editor.http.get("/app/contacts?check_status=sort-of")
    assert odd.status_code == 200 and names(odd.text) == []


def test_the_list_sorts_by_number_and_keeps_the_order_across_pages(editor: Person) -> None:
    for name in ("Charlie", "Alpha", "Bravo"):
        editor.api.create(name=name)
    assert names(editor.http.get("/app/contacts?sort=number").text) == ["Charlie", "Alpha", "Bravo"]
    highest = editor.http.get("/app/contacts?sort=-number").text
    assert names(highest) == ["Bravo", "Alpha", "Charlie"]
    assert '<option value="-number" selected>' in highest
    first = editor.http.get("/app/contacts?sort=number&limit=2").text
    assert names(first) == ["Charlie", "Alpha"] and "sort=number" in paging(first)["Next"]
    second = editor.http.get(paging(first)["Next"]).text
    assert names(second) == ["Bravo"]
    assert names(editor.http.get(paging(second)["Previous"]).text) == ["Charlie", "Alpha"]


def test_the_list_sorts_by_last_change(editor: Person) -> None:
    made = {name: editor.api.create(name=name) for name in ("Alpha", "Bravo", "Charlie")}
    changed = editor.api.http.patch(
        f"/v1/contacts/{made['Alpha']['id']}", json={"phone": None, "notes": "called"}
    )
    assert changed.status_code == 200, changed.text
    oldest_first = names(editor.http.get("/app/contacts?sort=updated_at").text)
    assert oldest_first == ["Bravo", "Charlie", "Alpha"]
    newest_first = editor.http.get("/app/contacts?sort=-updated_at").text
    assert names(newest_first) == ["Alpha", "Charlie", "Bravo"]
    assert '<option value="-updated_at" selected>' in newest_first


def test_bad_filters_and_cursors_are_explained_never_a_500(editor: Person) -> None:
    bad = editor.http.get("/app/contacts?country_code=Narnia")
    assert bad.status_code == 200 and "This is not a country we know." in bad.text
    stale = editor.http.get("/app/contacts?cursor=made.up")
    assert stale.status_code == 200 and "no longer fits this list" in stale.text
    for odd in ("?sort=sideways", "?limit=100000", "?q=" + "x" * 300, "?archived=maybe"):
        assert editor.http.get("/app/contacts" + odd).status_code == 200, odd


def test_the_contact_page_groups_fields_and_explains_checks(
    editor: Person, services: Services
) -> None:
    services.tenancy.update_tenant(editor.api.slug, validation_policy="lenient")
    parent = editor.api.create(name="Holding NV")
    contact = editor.api.create(
        name="Acme Trading BV",
        vat_number="NL123456789B01",
        email="invoices@acme.example",
        parent_id=parent["id"],
        address={"city": "Amsterdam", "country_code": "NL"},
        bank_accounts=[{"iban": "NL91ABNA0417164300", "is_default": True}],
        custom_fields={"crm_id": 42},
        extensions={"wacs": {"Debtor": "D-7"}},
        gdpr={"consent": "given"},
    )
    page = editor.http.get(f"/app/contacts/{contact['id']}").text
    for heading in (
        "Identity",
        "Identifiers",
        "Address",
        "Contact details",
        "Bank accounts",
        "Contact persons",
        "Commercial terms",
        "GDPR",
        "Custom fields",
        "Extensions by vendor",
        "History",
    ):
        assert f">{heading}</h2>" in page, heading
    assert "Invalid: the check digits do not match" in page
    assert re.search(r"NL91ABNA0417164300 <span class=\"check check-valid\">Valid</span>", page)
    assert f'<a href="/app/contacts/{parent["id"]}">Holding NV</a>' in page
    assert "crm_id" in page and "Debtor" in page and "Netherlands" in page and "Given" in page
    parent_page = editor.http.get(f"/app/contacts/{parent['id']}").text
    assert f'<a href="/app/contacts/{contact["id"]}">Acme Trading BV</a>' in parent_page


def test_history_names_who_changed_what_and_links_each_version(editor: Person) -> None:
    contact = editor.api.create(name="Acme")
    editor.api.http.patch(f"/v1/contacts/{contact['id']}", json={"name": "Acme Trading"})
    page = editor.http.get(f"/app/contacts/{contact['id']}").text
    history = page[page.index(">History</h2>") :]
    assert "API key tests" in history and "API" in history
    assert "<del>Acme</del> → <ins>Acme Trading</ins>" in history
    assert f'href="/app/contacts/{contact["id"]}/versions/1"' in history
    old = editor.http.get(f"/app/contacts/{contact['id']}/versions/1")
    assert (
        old.status_code == 200 and "This is version 1" in old.text and "<h1>Acme <span" in old.text
    )
    assert editor.http.get(f"/app/contacts/{contact['id']}/versions/9").status_code == 404


def test_static_files_are_versioned_cached_and_small(editor: Person) -> None:
    page = editor.http.get("/app/contacts").text
    assets = re.findall(r'(?:src|href)="(/app/static/[0-9a-f]{16}/[^"]+)"', page)
    assert {asset.rsplit("/", 1)[1] for asset in assets} == {"app.css", "htmx.min.js"}
    total = 0
    for asset in assets:
        answer = editor.http.get(asset)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        total += len(answer.content)
        stale = asset.replace(asset.split("/")[3], "0" * 16)
        assert editor.http.get(stale).status_code == 404
    assert total < 100_000


def test_pages_carry_security_headers(editor: Person) -> None:
    answer = editor.http.get("/app/contacts")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_language_follows_accept_language_and_the_remembered_choice(
    person_of: Callable[..., Person],
) -> None:
    person = person_of("editor")
    contact = person.api.create(
        kind="person",
        first_name="Jana",
        last_name="Nováková",
        birth_date="1990-03-14",
        address={"country_code": "CZ"},
    )
    turkish = person.http.get(
        "/app/contacts", headers={"Accept-Language": "tr-TR,tr;q=0.9,en;q=0.5"}
    )
    assert '<html lang="tr">' in turkish.text and "<td>Çekya</td>" in turkish.text
    assert '<label for="q">Ara</label>' in turkish.text
    chosen = person.http.get("/app/language", params={"set": "cs", "next": "/app/contacts"})
    assert chosen.status_code == 303 and chosen.headers["location"] == "/app/contacts"
    czech = person.http.get(f"/app/contacts/{contact['id']}", headers={"Accept-Language": "tr"})
    assert '<html lang="cs">' in czech.text and "Česko" in czech.text and ">Upravit<" in czech.text
    assert "14. března 1990" in czech.text
    dutch = person.http.get("/app/language", params={"set": "nl", "next": "/app/contacts"})
    assert dutch.status_code == 303
    page = person.http.get(f"/app/contacts/{contact['id']}").text
    assert re.search(r"\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}", page)
