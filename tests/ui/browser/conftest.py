"""Browser tests: Playwright driving Debian's Chromium against the real service.

Playwright's own browser downloads are not used: the tests start the system's Chromium
(`/usr/bin/chromium`, or COUNTERPARTY_TEST_CHROMIUM). Without it they fail, never skip:
`.ci/run` installs it when it is missing.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from counterparty.services.people_registry import PeopleServices
from tests.conftest import TenantClient
from tests.ui.conftest import PASSWORD

CHROMIUM = os.environ.get("COUNTERPARTY_TEST_CHROMIUM", "/usr/bin/chromium")
# Headless, and quiet: without the background-networking flags Chromium calls home, which a
# closed network answers slowly or not at all.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM}: apt-get install chromium")
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def new_context(browser: Browser, ui_url: str) -> Iterator[Callable[..., BrowserContext]]:
    opened: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(base_url=ui_url, locale="en-GB", **options)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def user_of(people: PeopleServices, api: TenantClient) -> Callable[[str], str]:
    """Users of the tenant that `api` writes to."""

    def make(role: str) -> str:
        email = f"{role}-{secrets.token_hex(4)}@example.com"
        people.users.create_user(api.slug, email, role, PASSWORD)
        return email

    return make


def sign_in(page: Page, email: str) -> None:
    page.goto("/app/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/app/")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results
        if violation["impact"] in ("serious", "critical")
    ]
