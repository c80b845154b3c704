"""Roles and tenants at the HTTP level: a viewer changes nothing, a tenant sees only its own."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.ui.conftest import Person

WRITES = [
    ("GET", "/app/contacts/new"),
    ("POST", "/app/contacts/new"),
    ("GET", "/app/contacts/{id}/edit"),
    ("POST", "/app/contacts/{id}/edit"),
    ("POST", "/app/contacts/{id}/archive"),
    ("POST", "/app/contacts/{id}/unarchive"),
    ("GET", "/app/contacts/{id}/delete"),
    ("POST", "/app/contacts/{id}/delete"),
]
EDIT_CONTROLS = re.compile(r">(Edit|Archive|Unarchive|Delete|New contact|Save)<")


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_viewer_gets_403_from_every_write_route(
    person_of: Callable[..., Person], method: str, path: str
) -> None:
    viewer = person_of("viewer")
    contact = viewer.api.create(name="Read Only Ltd")
    form = {"version": "1", "base": "1", "name": "Changed", "kind": "company"}
    url = path.format(id=contact["id"])
    answer = viewer.post(url, form) if method == "POST" else viewer.http.get(url)
    assert answer.status_code == 403, answer.text
    assert viewer.api.http.get(f"/v1/contacts/{contact['id']}").json() == contact
    assert len(viewer.api.http.get("/v1/contacts").json()["data"]) == 1


def test_a_viewer_sees_no_edit_control(person_of: Callable[..., Person]) -> None:
    viewer = person_of("viewer")
    contact = viewer.api.create(name="Read Only Ltd")
    for page in ("/app/contacts", f"/app/contacts/{contact['id']}"):
        shown = viewer.http.get(page)
        assert shown.status_code == 200 and "Read Only Ltd" in shown.text
        assert EDIT_CONTROLS.findall(shown.text) == [], page
    editor = person_of("editor", api=viewer.api)
    controls = EDIT_CONTROLS.findall(editor.http.get(f"/app/contacts/{contact['id']}").text)
    assert {"Edit", "Archive", "Delete", "New contact"} <= set(controls)


def test_a_user_never_sees_another_tenants_contact(person_of: Callable[..., Person]) -> None:
    mine, theirs = person_of("admin"), person_of("admin")
    secret = theirs.api.create(name="Zyxwv Hidden Holding", external_ref="HIDDEN-1")
    for path in ("", "/edit", "/delete", "/versions/1"):
        assert mine.http.get(f"/app/contacts/{secret['id']}{path}").status_code == 404
    for action in ("edit", "archive", "delete"):
        answer = mine.post(f"/app/contacts/{secret['id']}/{action}", {"version": "1", "base": "1"})
        assert answer.status_code == 404
    for query in ("Zyxwv", "HIDDEN-1"):
        found = mine.http.get("/app/contacts", params={"q": query})
        assert found.status_code == 200 and "Hidden Holding" not in found.text
    assert "Hidden Holding" in theirs.http.get("/app/contacts", params={"q": "Zyxwv"}).text
    assert theirs.api.http.get(f"/v1/contacts/{secret['id']}").json() == secret
