"""A tenant's admin manages its people and API keys, and nothing of another tenant."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tests.ui.conftest import Person, sign_in

ISSUED = re.compile(r"<code>([^<]+)</code>")


def test_only_an_admin_reaches_administration(person_of: Callable[..., Person]) -> None:
    editor = person_of("editor")
    assert editor.http.get("/app/admin").status_code == 403
    assert editor.post("/app/admin/keys", {"name": "x"}).status_code == 403
    admin = person_of("admin", api=editor.api)
    page = admin.http.get("/app/admin")
    assert page.status_code == 200 and editor.email in page.text and "tests" in page.text


def test_an_admin_adds_disables_and_resets_people(
    person_of: Callable[..., Person], ui_url: str
) -> None:
    admin = person_of("admin")
    added = admin.post("/app/admin/people", {"email": "New.Person@Example.com", "role": "viewer"})
    one_time = ISSUED.search(added.text)
    assert added.status_code == 200 and one_time, added.text
    assert sign_in(ui_url, "new.person@example.com", one_time.group(1)).status_code == 303
    again = admin.post("/app/admin/people", {"email": "new.person@example.com", "role": "viewer"})
    assert again.status_code == 422
    change = "/app/admin/people/change"
    admin.post(change, {"email": "new.person@example.com", "action": "disable"})
    assert sign_in(ui_url, "new.person@example.com", one_time.group(1)).status_code == 401
    admin.post(change, {"email": "new.person@example.com", "action": "enable"})
    reset = admin.post(change, {"email": "new.person@example.com", "action": "reset"})
    fresh = ISSUED.search(reset.text)
    assert fresh and fresh.group(1) != one_time.group(1)
    assert sign_in(ui_url, "new.person@example.com", fresh.group(1)).status_code == 303
    assert admin.post(change, {"email": admin.email, "action": "disable"}).status_code == 409


def test_an_admin_creates_and_revokes_api_keys(
    person_of: Callable[..., Person], ui_url: str
) -> None:
    admin = person_of("admin")
    created = admin.post("/app/admin/keys", {"name": "erp"})
    key = ISSUED.search(created.text)
    assert key and key.group(1).startswith("cpk_")
    headers = {"Authorization": f"Bearer {key.group(1)}"}
    assert httpx.get(f"{ui_url}/v1/contacts", headers=headers).status_code == 200
    assert admin.post("/app/admin/keys/revoke", {"prefix": key.group(1)[:12]}).status_code == 303
    assert httpx.get(f"{ui_url}/v1/contacts", headers=headers).status_code == 401


def test_an_admin_touches_nothing_of_another_tenant(person_of: Callable[..., Person]) -> None:
    admin, other = person_of("admin"), person_of("viewer")
    change = "/app/admin/people/change"
    for action in ("disable", "reset"):
        assert admin.post(change, {"email": other.email, "action": action}).status_code == 404
    assert other.http.get("/app/contacts").status_code == 200
    their_key = other.api.key[:12]
    assert admin.post("/app/admin/keys/revoke", {"prefix": their_key}).status_code == 404
    assert other.api.http.get("/v1/contacts").status_code == 200
    assert other.email not in admin.http.get("/app/admin").text
