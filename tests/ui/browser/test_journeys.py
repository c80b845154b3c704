"""What people do in the web interface, in a real browser (Chromium via Playwright)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import TenantClient
from tests.ui.browser.conftest import serious_violations, sign_in


def css_and_script_bytes(page: Page) -> int:
    """What the page loaded as style sheets and scripts, uncompressed, cached or not."""
    sizes: list[int] = page.evaluate(
        """() => performance.getEntriesByType("resource")
            .filter(entry => ["link", "script", "css"].includes(entry.initiatorType))
            .map(entry => entry.decodedBodySize)"""
    )
    assert len(sizes) == 2, sizes  # app.css and htmx.min.js
    return sum(sizes)


def _search(page: Page, text: str) -> None:
    page.get_by_label("Search").press_sequentially(text, delay=20)


def test_search_edit_with_an_invalid_vat_number_fix_it_and_see_the_history(
    new_context: Callable[..., BrowserContext], user_of: Callable[[str], str], api: TenantClient
) -> None:
    contact = api.create(
        name="Acme Trading BV", address={"city": "Amsterdam", "country_code": "NL"}
    )
    for name in ("Brouwerij Het Anker", "Anadolu Gıda"):
        api.create(name=name)
    page = new_context().new_page()
    sign_in(page, user_of("editor"))
    page.evaluate("window.stillTheSamePage = true")
    _search(page, "acme")
    expect(page).to_have_url(re.compile(r"/app/contacts\?q=acme"))
    expect(page.get_by_role("link", name="Brouwerij Het Anker")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True, "the results updated in place"
    page.get_by_role("link", name="Acme Trading BV").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acme Trading BV")
    page.go_back()  # the URL held the search: the back button brings it back
    expect(page.get_by_label("Search")).to_have_value("acme")
    expect(page.get_by_role("link", name="Brouwerij Het Anker")).to_have_count(0)
    page.go_forward()
    page.get_by_role("link", name="Edit").click()
    vat = page.get_by_label("VAT number")
    vat.fill("NL123456789B01")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#f-vat_number-error")
    expect(error).to_contain_text("check digits")
    expect(vat).to_have_attribute("aria-describedby", "f-vat_number-error")
    expect(vat).to_have_value("NL123456789B01")
    assert api.http.get(f"/v1/contacts/{contact['id']}").json()["version"] == 1
    vat.fill("NL004495445B01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    history = page.locator("section.history")
    expect(history).to_contain_text("VAT number: — → NL004495445B01")
    expect(history).to_contain_text("Web interface")
    assert api.http.get(f"/v1/contacts/{contact['id']}").json()["vat_number"] == "NL004495445B01"


def test_a_conflict_between_two_browsers(
    new_context: Callable[..., BrowserContext], user_of: Callable[[str], str], api: TenantClient
) -> None:
    contact = api.create(name="Acme", address={"city": "Utrecht"})
    mine, theirs = new_context().new_page(), new_context().new_page()
    sign_in(mine, user_of("editor"))
    sign_in(theirs, user_of("editor"))
    for page in (mine, theirs):
        page.goto(f"/app/contacts/{contact['id']}/edit")
    theirs.get_by_label("City").fill("Delft")
    theirs.get_by_role("button", name="Save").click()
    expect(theirs.get_by_text("Saved.")).to_be_visible()
    mine.get_by_label("Name", exact=True).fill("Acme Trading")
    mine.get_by_role("button", name="Save").click()
    alert = mine.locator("#conflict")
    expect(alert).to_contain_text("Someone else saved this contact")
    expect(alert).to_contain_text("Utrecht → Delft")
    mine.get_by_role("button", name="Apply my changes on top").click()
    expect(mine.get_by_text("Saved.")).to_be_visible()
    saved = api.http.get(f"/v1/contacts/{contact['id']}").json()
    assert (saved["name"], saved["address"]["city"]) == ("Acme Trading", "Delft")


def test_a_viewer_sees_no_edit_control(
    new_context: Callable[..., BrowserContext], user_of: Callable[[str], str], api: TenantClient
) -> None:
    contact = api.create(name="Read Only Ltd")
    page = new_context().new_page()
    sign_in(page, user_of("viewer"))
    expect(page.get_by_role("link", name="Read Only Ltd")).to_be_visible()
    expect(page.get_by_role("link", name="New contact")).to_have_count(0)
    page.get_by_role("link", name="Read Only Ltd").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Read Only Ltd")
    for name in ("Edit", "Delete"):
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Archive")).to_have_count(0)
    page.goto(f"/app/contacts/{contact['id']}/edit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")


def test_switch_to_turkish_and_sign_out(
    new_context: Callable[..., BrowserContext], user_of: Callable[[str], str], api: TenantClient
) -> None:
    api.create(name="Ege Yazılım", address={"country_code": "TR"})
    page = new_context().new_page()
    sign_in(page, user_of("editor"))
    page.get_by_role("link", name="Türkçe").click()
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cariler")
    expect(page.get_by_label("Ara")).to_be_visible()
    expect(page.get_by_role("cell", name="Türkiye")).to_be_visible()
    page.goto("/app/contacts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cariler"), "the choice is kept"
    page.get_by_role("button", name="Çıkış yap").click()
    expect(page.get_by_role("button", name="Giriş yap")).to_be_visible()
    page.goto("/app/contacts")
    expect(page).to_have_url(re.compile(r"/app/sign-in"))


def test_the_keyboard_alone_finds_and_opens_a_contact(
    new_context: Callable[..., BrowserContext], user_of: Callable[[str], str], api: TenantClient
) -> None:
    api.create(name="Keyboard Co")
    page = new_context().new_page()
    page.goto("/app/sign-in")
    page.keyboard.type(user_of("editor"))  # the e-mail field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url("**/app/")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to the content")).to_be_focused()
    page.get_by_label("Search").focus()
    page.keyboard.type("keyboard")
    expect(page).to_have_url(re.compile(r"q=keyboard"))
    link = page.get_by_role("link", name="Keyboard Co")
    for _ in range(20):
        if link.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keyboard Co")


def test_no_serious_accessibility_violation_and_little_css_and_script(
    new_context: Callable[..., BrowserContext], user_of: Callable[[str], str], api: TenantClient
) -> None:
    contact = api.create(
        name="Acme Trading BV",
        vat_number="NL004495445B01",
        bank_accounts=[{"iban": "NL91ABNA0417164300"}],
    )
    page = new_context(bypass_csp=True).new_page()  # axe is injected as a script of the page
    page.goto("/app/sign-in")
    assert serious_violations(page) == [], "sign-in"
    sign_in(page, user_of("admin"))
    pages = (f"/app/contacts/{contact['id']}", f"/app/contacts/{contact['id']}/edit")
    for path in ("/app/contacts", *pages, "/app/contacts/new", "/app/admin"):
        page.goto(path)
        assert 0 < css_and_script_bytes(page) < 100_000, path
        assert serious_violations(page) == [], path
    page.goto("/app/contacts/new")
    page.get_by_label("VAT number").fill("NL123456789B01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#problems")).to_be_visible()
    assert serious_violations(page) == [], "form with errors"


def test_the_scan_does_find_a_serious_violation(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert any(found.startswith("label ") for found in serious_violations(page))
