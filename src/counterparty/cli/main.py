"""`counterparty`: serve the API, migrate the database, manage tenants and keys."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from counterparty.cli.reporting import database as _database
from counterparty.cli.reporting import reports_errors
from counterparty.cli.reporting import services as _services
from counterparty.config import get_settings, split_list
from counterparty.db.users import people_units
from counterparty.domain import api_keys
from counterparty.domain.users import ROLES
from counterparty.errors import CounterpartyError
from counterparty.services import checking
from counterparty.services.people import PeopleTransactions
from counterparty.services.registry import Services
from counterparty.services.users import IssuedPassword, UserService
from counterparty.web.server import ProblemHttpToolsProtocol

F = TypeVar("F", bound=Callable[..., Any])


@click.group()
@click.version_option(package_name="counterparty")
def cli() -> None:
    """Contacts (customers and suppliers) as a service."""


@cli.command()
@click.option("--host", help="Listen address [COUNTERPARTY_HOST, default 127.0.0.1]")
@click.option("--port", type=int, help="Listen port [COUNTERPARTY_PORT, default 8000]")
@click.option("--workers", type=int, help="Server processes [COUNTERPARTY_WORKERS, default 1]")
@click.option(
    "--migrate/--no-migrate",
    default=True,
    show_default=True,
    help="Bring the database schema up to date first",
)
def serve(host: str | None, port: int | None, workers: int | None, migrate: bool) -> None:
    """Start the HTTP service."""
    import uvicorn

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    database = _database(settings)
    if migrate:
        database.migrate()
    bootstrap_key = settings.bootstrap_key.get_secret_value() if settings.bootstrap_key else None
    try:
        issued = Services.over(database.unit_of_work).tenancy.bootstrap(bootstrap_key)
    except CounterpartyError as error:
        click.echo(f"error: {error.detail}", err=True)
        sys.exit(2)
    finally:
        database.dispose()
    if issued is not None and bootstrap_key is None:
        # Shown once, on the terminal only: the database keeps nothing but its hash.
        click.echo("Created tenant 'default'. Its API key (shown once, keep it safe):", err=True)
        click.echo(issued.secret)
    uvicorn.run(
        "counterparty.app:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        access_log=False,  # ours redacts credentials in query strings; uvicorn's would not
        log_level=settings.log_level.lower(),
        server_header=False,
        http=ProblemHttpToolsProtocol,
        # Forwarded headers are believed only from the proxies named (uvicorn's default would
        # believe any local process).
        proxy_headers=bool(split_list(settings.trusted_proxies)),
        forwarded_allow_ips=split_list(settings.trusted_proxies) or None,
    )


@cli.group()
def db() -> None:
    """Database schema, backups and restores."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    database = _database(get_settings())
    database.migrate(revision)
    click.echo(f"schema at {database.current_revision()}")


@db.command("rebuild-search")
def db_rebuild_search() -> None:
    """Rebuild the search index (SQLite: after a VACUUM, or a change of how texts are folded)."""
    _database(get_settings()).rebuild_search_index()
    click.echo("search index rebuilt")


@db.command("current")
def db_current() -> None:
    """Show the schema revision of the database."""
    click.echo(_database(get_settings()).current_revision() or "empty")


@cli.group()
def tenants() -> None:
    """Tenants: separate books of contacts."""


@tenants.command("create")
@click.argument("slug")
@click.option("--name", help="Display name (default: the slug)")
@reports_errors
def tenants_create(slug: str, name: str | None) -> None:
    """Create tenant SLUG."""
    tenant = _services().tenancy.create_tenant(slug, name)
    click.echo(f"created tenant {tenant.slug} ({tenant.id})")


@tenants.command("list")
def tenants_list() -> None:
    """List tenants."""
    for tenant in _services().tenancy.list_tenants():
        click.echo(f"{tenant.slug}\t{tenant.id}\t{tenant.name}")


@tenants.command("update")
@click.argument("slug")
@click.option("--name", help="New display name")
@click.option(
    "--validation-policy",
    type=click.Choice(["strict", "lenient"]),
    help="strict refuses invalid identifiers; lenient stores and reports them",
)
@click.option(
    "--retention-fields",
    help='Comma-separated fields a GDPR erasure keeps ("" for none), e.g. name,tax_id',
)
@click.option(
    "--duplicate-policy",
    type=click.Choice(["warn", "refuse"]),
    help="warn (default) or refuse a write whose identifiers another contact has",
)
@reports_errors
def tenants_update(
    slug: str,
    name: str | None,
    validation_policy: str | None,
    retention_fields: str | None,
    duplicate_policy: str | None,
) -> None:
    """Change tenant SLUG's name, validation, retention or duplicate policy."""
    tenancy = _services().tenancy
    tenant = tenancy.update_tenant(
        slug,
        name=name,
        validation_policy=validation_policy,
        retention_fields=None if retention_fields is None else split_list(retention_fields),
        duplicate_policy=duplicate_policy,
    )
    click.echo(
        f"{tenant.slug}\tname={tenant.name}\tvalidation_policy={tenant.validation_policy}"
        f"\tretention_fields={','.join(tenant.retention_fields)}"
        f"\tduplicate_policy={tenancy.duplicate_policy(tenant.id)}"
    )


@cli.command()
@click.option("--country", "country_code", help="Country whose rules apply (code or name)")
@click.option("--tax-id")
@click.option("--vat", "vat_number")
@click.option("--registration-number")
@click.option("--peppol-id")
@click.option("--iban")
@click.option("--bic")
@click.option("--email")
@click.option("--phone")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON")
@reports_errors
def validate(as_json: bool, **values: str | None) -> None:
    """Check identifiers without storing anything; exit status 1 if one is invalid."""
    report = checking.check({name: value for name, value in values.items() if value})
    document = checking.report_document(report)
    if as_json:
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for entry in document["checks"]:
            field = entry["field"]
            click.echo(
                "\t".join(
                    [
                        field,
                        document["values"][field],
                        document["formatted"][field],
                        entry["status"],
                        entry["scheme"] or "-",
                        entry["reason"] or "-",
                    ]
                )
            )
        for suggestion in document["suggestions"]:
            click.echo(f"suggestion\t{suggestion['field']}\t{suggestion['value']}")
    if report.invalid:
        sys.exit(1)


@cli.group()
def keys() -> None:
    """API keys: shown once when created, stored only as a hash."""


@keys.command("create")
@click.argument("slug")
@click.option("--name", help="What the key is for")
@reports_errors
def keys_create(slug: str, name: str | None) -> None:
    """Create an API key for tenant SLUG and print it alone on stdout."""
    click.echo(_services().tenancy.create_key(slug, name).secret)


@keys.command("generate")
def keys_generate() -> None:
    """Print a new, well-formed API key without storing it (for COUNTERPARTY_BOOTSTRAP_KEY)."""
    click.echo(api_keys.generate_key())


@keys.command("list")
@click.argument("slug")
@reports_errors
def keys_list(slug: str) -> None:
    """List the keys of tenant SLUG (prefixes only)."""
    click.echo("prefix\tname\tcreated\tlast used\trevoked")
    for key in _services().tenancy.list_keys(slug):
        click.echo(
            "\t".join(
                [
                    key.display_prefix,
                    key.name or "-",
                    key.created_at.isoformat(timespec="seconds"),
                    key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "-",
                    key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "-",
                ]
            )
        )


@keys.command("revoke")
@click.argument("key_prefix")
@reports_errors
def keys_revoke(key_prefix: str) -> None:
    """Revoke the key that starts with KEY_PREFIX; it stops working at once."""
    key = _services().tenancy.revoke_key(key_prefix)
    click.echo(f"revoked {key.display_prefix}")


def _users() -> UserService:
    return UserService(PeopleTransactions(people_units(_database(get_settings()).lender)))


def _new_password(from_stdin: bool) -> str | None:
    return sys.stdin.readline().rstrip("\r\n") if from_stdin else None


def _show_password(issued: IssuedPassword) -> None:
    if issued.one_time_password is not None:
        # Alone on stdout, once: only its hash is stored, and it must be changed on first use.
        click.echo(issued.one_time_password)


@cli.group()
def users() -> None:
    """People who sign in to the web interface (/app/)."""


@users.command("create")
@click.argument("slug")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin")
@reports_errors
def users_create(slug: str, email: str, role: str, password_stdin: bool) -> None:
    """Create a user of tenant SLUG; prints a one-time password unless --password-stdin."""
    issued = _users().create_user(slug, email, role, _new_password(password_stdin))
    click.echo(f"created {issued.user.role} {issued.user.email}", err=True)
    _show_password(issued)


@users.command("list")
@click.argument("slug")
@reports_errors
def users_list(slug: str) -> None:
    """List the users of tenant SLUG."""
    click.echo("email\trole\tcreated\tlast sign-in\tdisabled")
    for user in _users().list_users(slug):
        moments = (user.created_at, user.last_sign_in_at, user.disabled_at)
        shown = [m.isoformat(timespec="seconds") if m else "-" for m in moments]
        click.echo("\t".join([user.email, user.role, *shown]))


@users.command("disable")
@click.argument("email")
@click.option("--enable", is_flag=True, help="Let the user sign in again")
@reports_errors
def users_disable(email: str, enable: bool) -> None:
    """Stop EMAIL from signing in (ending every session at once), or --enable again."""
    user = _users().set_disabled(email, disabled=not enable)
    click.echo(f"{'enabled' if enable else 'disabled'} {user.email}")


@users.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin")
@reports_errors
def users_reset_password(email: str, password_stdin: bool) -> None:
    """Give EMAIL a new password (one-time unless --password-stdin); ends every session."""
    issued = _users().reset_password(email, _new_password(password_stdin))
    click.echo(f"new password for {issued.user.email}", err=True)
    _show_password(issued)


# Webhooks and their deliverer have their own module.
from counterparty.cli.backups import db_backup, db_restore  # noqa: E402
from counterparty.cli.webhooks import webhooks, worker  # noqa: E402

db.add_command(db_backup)
db.add_command(db_restore)
cli.add_command(webhooks)
cli.add_command(worker)

# Erasure, merges and the purges of what they keep have their own modules.
from counterparty.cli.merging import contacts_merge, contacts_unmerge  # noqa: E402
from counterparty.cli.privacy import contacts, db_purge_history, db_purge_merges  # noqa: E402

cli.add_command(contacts)
contacts.add_command(contacts_merge)
contacts.add_command(contacts_unmerge)

db.add_command(db_purge_history)
db.add_command(db_purge_merges)

from counterparty.cli.duplicates import register as register_duplicates  # noqa: E402

register_duplicates(cli)

# Imports and exports of a contact book have their own module.
from counterparty.cli import imports  # noqa: E402

imports.register(cli)
