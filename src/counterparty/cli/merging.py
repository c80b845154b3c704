"""`counterparty contacts merge` and `contacts unmerge`: the API's merge and unmerge for an
operator at the command line, with the same rules and the same history (docs/duplicates.md)."""

from __future__ import annotations

from datetime import timedelta

import click

from counterparty.cli.reporting import contact_id, reports_errors
from counterparty.cli.reporting import services as _services
from counterparty.config import get_settings
from counterparty.services.context import Actor
from counterparty.services.registry import Services


def _tenant_services(slug: str) -> tuple[Services, Actor]:
    services = _services(unmerge_window=timedelta(days=get_settings().unmerge_days))
    return services, Actor(services.tenancy.get_tenant(slug), None, "cli")


def _choices(fields: tuple[str, ...]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for choice in fields:
        name, separator, contact_id = choice.partition("=")
        if not separator or not name or not contact_id:
            raise click.BadParameter(f"{choice!r}: write FIELD=CONTACT_ID", param_hint="--field")
        chosen[name] = contact_id
    return chosen


@click.command("merge")
@click.option("--tenant", "slug", required=True, help="The tenant's slug")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="FIELD=CONTACT_ID",
    help="Take FIELD from that contact rather than from the survivor (repeatable)",
)
@click.argument("survivor_id")
@click.argument("merged_ids", nargs=-1, required=True)
@reports_errors
def contacts_merge(
    slug: str, fields: tuple[str, ...], survivor_id: str, merged_ids: tuple[str, ...]
) -> None:
    """Merge MERGED_IDS into SURVIVOR_ID (the survivor keeps its id and number)."""
    services, actor = _tenant_services(slug)
    body = {"from": list(merged_ids), "fields": _choices(fields)}
    survivor = services.merges.merge(actor, contact_id(survivor_id), body)
    click.echo(
        f"merged {len(merged_ids)} contacts into {survivor.id} (now version {survivor.version})"
    )


@click.command("unmerge")
@click.option("--tenant", "slug", required=True, help="The tenant's slug")
@click.argument("survivor_id")
@click.argument("merged_ids", nargs=-1)
@reports_errors
def contacts_unmerge(slug: str, survivor_id: str, merged_ids: tuple[str, ...]) -> None:
    """Bring MERGED_IDS (all, when none is named) back out of SURVIVOR_ID."""
    services, actor = _tenant_services(slug)
    body = {"contacts": list(merged_ids)} if merged_ids else {}
    result = services.merges.unmerge(actor, contact_id(survivor_id), body)
    restored = ", ".join(str(contact.id) for contact in result.restored)
    click.echo(f"restored {len(result.restored)} contacts: {restored}")
    if result.kept_fields:
        click.echo(f"kept as changed since the merge: {', '.join(result.kept_fields)}")
