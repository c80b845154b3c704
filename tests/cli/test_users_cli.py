"""`counterparty users`: people of the web interface, managed from the command line."""

from __future__ import annotations

import subprocess

import httpx

from tests.cli.test_cli import COMMAND, environment, run, start_server, stop  # noqa: F401
from tests.ui.conftest import csrf_of


def test_users_create_list_disable_and_reset(environment: dict[str, str]) -> None:  # noqa: F811
    assert run(environment, "db", "upgrade").returncode == 0
    run(environment, "tenants", "create", "acme")
    created = run(environment, "users", "create", "acme", "Ann@Example.com", "--role", "editor")
    assert created.returncode == 0, created.stderr
    one_time = created.stdout.strip()
    assert created.stdout == one_time + "\n" and len(one_time) >= 20
    again = run(environment, "users", "create", "acme", "ann@example.com")
    assert again.returncode == 1 and "exists" in again.stderr
    bad_role = run(environment, "users", "create", "acme", "bob@example.com", "--role", "owner")
    assert bad_role.returncode == 2
    chosen = subprocess.run(
        [*COMMAND, "users", "create", "acme", "bob@example.com", "--password-stdin"],
        input="a long enough password\n",
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert chosen.returncode == 0 and chosen.stdout == ""
    listed = run(environment, "users", "list", "acme").stdout
    assert "ann@example.com\teditor" in listed and "bob@example.com\tviewer" in listed
    assert run(environment, "users", "disable", "bob@example.com").returncode == 0
    assert run(environment, "users", "list", "acme").stdout.count("\t-\n") == 1
    reset = run(environment, "users", "reset-password", "ann@example.com")
    assert reset.returncode == 0 and reset.stdout.strip() not in ("", one_time)
    assert run(environment, "users", "disable", "nobody@example.com").returncode == 1


def test_make_run_style_start_serves_the_web_interface(environment: dict[str, str]) -> None:  # noqa: F811
    environment["COUNTERPARTY_INSECURE_COOKIES"] = "true"
    run(environment, "db", "upgrade")
    run(environment, "tenants", "create", "acme")
    subprocess.run(
        [*COMMAND, "users", "create", "acme", "ann@example.com", "--password-stdin"],
        input="a long enough password\n",
        env=environment,
        check=True,
        timeout=60,
        text=True,
        capture_output=True,
    )
    process, base = start_server(environment)
    try:
        with httpx.Client(base_url=base, follow_redirects=True) as browser:
            form = browser.get("/")
            assert form.url.path == "/app/sign-in"
            page = browser.post(
                "/app/sign-in",
                data={
                    "csrf": csrf_of(form),
                    "email": "ann@example.com",
                    "password": "a long enough password",
                },
            )
            assert page.url.path == "/app/" and "<h1>Contacts</h1>" in page.text
    finally:
        stop(process)
