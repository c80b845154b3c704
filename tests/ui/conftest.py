"""Fixtures of the web interface tests: people of fresh tenants, signed in over real HTTP."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.db.users import people_units
from counterparty.services.people_registry import PeopleServices
from counterparty.services.registry import Services
from tests.conftest import TenantClient, new_tenant_client, running_server

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def people(database: Database) -> PeopleServices:
    return PeopleServices.over(people_units(database.lender))


@pytest.fixture(scope="session")
def ui_url(settings: Settings, database: Database) -> Iterator[str]:
    """The service with cookies a plain-http client keeps (COUNTERPARTY_INSECURE_COOKIES)."""
    insecure = settings.model_copy(update={"insecure_cookies": True})
    with running_server(create_app(insecure, database)) as url:
        yield url


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


@dataclass
class Person:
    """A signed-in person of a tenant, with the tenant's API client for setting up data."""

    email: str
    http: httpx.Client
    api: TenantClient
    csrf: str = ""

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> httpx.Response:
        return self.http.post(path, data={"csrf": self.csrf, **data}, **kwargs)


def signing_in(http: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    form = http.get("/app/sign-in")
    return http.post(
        "/app/sign-in", data={"csrf": csrf_of(form), "email": email, "password": password}
    )


def sign_in(url: str, email: str, password: str = PASSWORD) -> httpx.Response:
    """The answer to one sign-in attempt from a fresh browser."""
    with httpx.Client(base_url=url, timeout=30) as http:
        return signing_in(http, email, password)


@pytest.fixture
def person_of(
    services: Services, people: PeopleServices, ui_url: str
) -> Iterator[Callable[..., Person]]:
    made: list[Person] = []

    def make(role: str = "editor", api: TenantClient | None = None) -> Person:
        api = api or new_tenant_client(services, ui_url)
        email = f"{role}-{secrets.token_hex(4)}@example.com"
        people.users.create_user(api.slug, email, role, PASSWORD)
        http = httpx.Client(base_url=ui_url, timeout=30)
        answer = signing_in(http, email)
        assert answer.status_code == 303, answer.text
        person = Person(email, http, api)
        person.csrf = csrf_of(http.get("/app/contacts"))
        made.append(person)
        return person

    yield make
    for person in made:
        person.http.close()
        person.api.http.close()


@pytest.fixture
def editor(person_of: Callable[..., Person]) -> Person:
    return person_of("editor")
