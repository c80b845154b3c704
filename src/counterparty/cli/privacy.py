"""Privacy: `counterparty contacts erase` (GDPR), `counterparty db purge-history` and
`counterparty db purge-merges`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click

from counterparty.cli.reporting import contact_id as parsed_contact_id
from counterparty.cli.reporting import reports_errors
from counterparty.cli.reporting import services as _services
from counterparty.config import get_settings
from counterparty.services.context import Actor
from counterparty.services.registry import Services


def _configured_services() -> Services:
    return _services(history_retention=get_settings().history_retention())


@click.group()
def contacts() -> None:
    """Contacts of a tenant."""


@contacts.command("erase")
@click.option("--tenant", "slug", required=True, help="The tenant's slug")
@click.argument("contact_id")
@reports_errors
def contacts_erase(slug: str, contact_id: str) -> None:
    """Erase CONTACT_ID's personal data (GDPR), keeping the tenant's retention fields."""
    services = _configured_services()
    target = parsed_contact_id(contact_id)
    actor = Actor(services.tenancy.get_tenant(slug), None, "cli")
    erased = services.erasure.erase(actor, target)
    kept = ", ".join(actor.tenant.retention_fields) or "nothing"
    if erased is None:
        click.echo(f"erased the history of deleted contact {target}; kept: {kept}")
    else:
        click.echo(f"erased contact {erased.id} (now version {erased.version}); kept: {kept}")


@click.command("purge-history")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help="Purge the history of contacts deleted more than DAYS ago "
    "[COUNTERPARTY_HISTORY_RETENTION_DAYS]",
)
@reports_errors
def db_purge_history(days: int | None) -> None:
    """Purge the history of contacts deleted longer ago than the retention period."""
    retention = timedelta(days=days) if days is not None else None
    if retention is None and get_settings().history_retention() is None:
        click.echo("history is kept for ever: set COUNTERPARTY_HISTORY_RETENTION_DAYS or --days")
        return
    purged = _configured_services().erasure.purge_history(datetime.now(UTC), retention)
    click.echo(f"purged the history of {purged} deleted contacts")


@click.command("purge-merges")
@reports_errors
def db_purge_merges() -> None:
    """Empty the records of merges past COUNTERPARTY_UNMERGE_DAYS (they can no longer be
    undone, and held the merged contacts' documents); aliases, ids and numbers stay."""
    window = timedelta(days=get_settings().unmerge_days)
    forgotten = _services(unmerge_window=window).merges.forget_closed(datetime.now(UTC))
    click.echo(f"emptied the records of {forgotten} merges past their unmerge window")
