"""Signing in, sessions, CSRF and lockout, over real HTTP."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from counterparty.services import sign_in as sign_in_module
from counterparty.services.people_registry import PeopleServices
from counterparty.services.registry import Services
from tests.conftest import new_tenant_client
from tests.ui.conftest import PASSWORD, Person, csrf_of, sign_in, signing_in

WRONG = "not the password at all"


def _user(services: Services, people: PeopleServices, url: str, role: str = "editor") -> str:
    tenant = new_tenant_client(services, url)
    email = f"u-{secrets.token_hex(4)}@example.com"
    people.users.create_user(tenant.slug, email, role, PASSWORD)
    return email


def _clock(monkeypatch: pytest.MonkeyPatch, ahead: timedelta) -> None:
    moment = datetime.now(UTC) + ahead
    monkeypatch.setattr(sign_in_module, "_now", lambda: moment)


def test_root_and_app_lead_to_the_sign_in_page(ui_url: str) -> None:
    with httpx.Client(base_url=ui_url) as http:
        assert http.get("/").headers["location"] == "/app/"
        page = http.get("/app/contacts?q=x")
        assert page.status_code == 303
        assert page.headers["location"] == "/app/sign-in?next=/app/contacts%3Fq%3Dx"
        form = http.get("/app/sign-in")
        assert 'for="email">Email<' in form.text and 'for="password">Password<' in form.text
        assert ">Sign in</button>" in form.text


@pytest.mark.parametrize(("server", "secure"), [("ui_url", False), ("base_url", True)])
def test_signing_in_sets_a_session_cookie_and_returns_to_the_page(
    services: Services,
    people: PeopleServices,
    request: pytest.FixtureRequest,
    server: str,
    secure: bool,
) -> None:
    url = request.getfixturevalue(server)
    email = _user(services, people, url)
    with httpx.Client(base_url=url) as http:
        form = http.get("/app/sign-in?next=/app/contacts%3Fq%3Dacme")
        answer = http.post(
            "/app/sign-in",
            data={
                "csrf": csrf_of(form),
                "email": email.upper(),
                "password": PASSWORD,
                "next": "/app/contacts?q=acme",
            },
            # sent by hand: a client keeps no Secure cookie for plain http
            headers={"Cookie": f"cp_signin={form.cookies['cp_signin']}"},
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/app/contacts?q=acme"
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("cp_session=")
        )
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/app" in cookie
        assert ("Secure" in cookie) is secure  # off with COUNTERPARTY_INSECURE_COOKIES
        session = cookie.split(";")[0]
        assert http.get("/app/contacts", headers={"Cookie": session}).status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(
    services: Services, people: PeopleServices, ui_url: str
) -> None:
    email = _user(services, people, ui_url)
    wrong = sign_in(ui_url, email, WRONG)
    unknown = sign_in(ui_url, "nobody@example.com", PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "Wrong email or password" in answer.text
        assert "cp_session" not in answer.headers.get("set-cookie", "")


def test_five_failures_lock_the_account_for_fifteen_minutes(
    services: Services, people: PeopleServices, ui_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = _user(services, people, ui_url)
    for _ in range(5):
        assert sign_in(ui_url, email, WRONG).status_code == 401
    assert sign_in(ui_url, email).status_code == 401, "locked: even the right password"
    _clock(monkeypatch, timedelta(minutes=14))
    assert sign_in(ui_url, email).status_code == 401
    _clock(monkeypatch, timedelta(minutes=16))
    assert sign_in(ui_url, email).status_code == 303


def test_failures_outside_fifteen_minutes_do_not_add_up(
    services: Services, people: PeopleServices, ui_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = _user(services, people, ui_url)
    for _ in range(4):
        sign_in(ui_url, email, WRONG)
    _clock(monkeypatch, timedelta(minutes=16))
    assert sign_in(ui_url, email, WRONG).status_code == 401
    assert sign_in(ui_url, email).status_code == 303


def test_a_session_ends_after_eight_idle_hours(
    person_of: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    person = person_of("viewer")
    _clock(monkeypatch, timedelta(hours=7, minutes=59))
    assert person.http.get("/app/contacts").status_code == 200  # and it counts as activity
    _clock(monkeypatch, timedelta(hours=15, minutes=58))
    assert person.http.get("/app/contacts").status_code == 200
    _clock(monkeypatch, timedelta(hours=24))
    assert person.http.get("/app/contacts").status_code == 303


def test_signing_out_ends_the_session_for_a_copied_cookie(person_of: Callable[..., Person]) -> None:
    person = person_of("viewer")
    stolen = dict(person.http.cookies)
    answer = person.post("/app/sign-out", {})
    assert answer.status_code == 303 and answer.headers["location"] == "/app/sign-in"
    with httpx.Client(base_url=str(person.http.base_url), cookies=stolen) as replay:
        assert replay.get("/app/contacts").status_code == 303


def test_every_form_needs_its_csrf_token(person_of: Callable[..., Person], ui_url: str) -> None:
    person = person_of("editor")
    contact = person.api.create(name="Kept")
    target = f"/app/contacts/{contact['id']}/archive"
    missing = person.http.post(target, data={"version": "1"})
    forged = person.http.post(target, data={"version": "1", "csrf": "0" * 32})
    for answer in (missing, forged):
        assert answer.status_code == 403 and "This form has expired" in answer.text
    assert person.api.http.get(f"/v1/contacts/{contact['id']}").json()["archived"] is False
    by_header = person.http.post(
        target, data={"version": "1"}, headers={"X-CSRF-Token": person.csrf}
    )
    assert by_header.status_code == 303
    with httpx.Client(base_url=ui_url) as signed_out:
        form = signed_out.get("/app/sign-in")
        no_token = signed_out.post(
            "/app/sign-in", data={"email": person.email, "password": PASSWORD}
        )
    assert no_token.status_code == 403 and form.status_code == 200


def test_a_one_time_password_must_be_changed_first(
    services: Services, people: PeopleServices, ui_url: str
) -> None:
    tenant = new_tenant_client(services, ui_url)
    email = f"new-{secrets.token_hex(4)}@example.com"
    one_time = people.users.create_user(tenant.slug, email, "viewer").one_time_password
    assert one_time is not None
    http = httpx.Client(base_url=ui_url)
    assert signing_in(http, email, one_time).status_code == 303
    assert http.get("/app/contacts").headers["location"] == "/app/account/password"
    form = http.get("/app/account/password")
    csrf = csrf_of(form)
    short = http.post(
        "/app/account/password",
        data={"csrf": csrf, "password": one_time, "new_password": "short"},
    )
    assert short.status_code == 422 and "at least 12 characters" in short.text
    changed = http.post(
        "/app/account/password",
        data={"csrf": csrf, "password": one_time, "new_password": "a brand new passphrase"},
    )
    assert changed.status_code == 303
    assert http.get("/app/contacts").status_code == 200
    http.close()
    assert sign_in(ui_url, email, one_time).status_code == 401
    assert sign_in(ui_url, email, "a brand new passphrase").status_code == 303


def test_disabling_a_user_ends_their_sessions_at_once(
    person_of: Callable[..., Person], people: PeopleServices, ui_url: str
) -> None:
    person = person_of("viewer")
    people.users.set_disabled(person.email, disabled=True)
    assert person.http.get("/app/contacts").status_code == 303
    assert sign_in(ui_url, person.email).status_code == 401
    people.users.set_disabled(person.email, disabled=False)
    assert sign_in(ui_url, person.email).status_code == 303


def test_next_never_leads_off_the_site(person_of: Callable[..., Person], ui_url: str) -> None:
    person = person_of("viewer")
    for target in ("https://evil.example/", "//evil.example/app/", "/app/\\evil"):
        answer = person.http.get("/app/language", params={"set": "nl", "next": target})
        assert answer.headers["location"] == "/app/"
