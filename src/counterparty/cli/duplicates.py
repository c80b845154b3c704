"""`counterparty duplicates`: the tenant's pairs of probable duplicates as a table."""

from __future__ import annotations

import click

from counterparty.cli.reporting import reports_errors
from counterparty.cli.reporting import services as _services
from counterparty.services.context import Actor
from counterparty.services.duplicate_scan import Pair
from counterparty.services.duplicates import DEFAULT_MIN_SCORE


def _row(pair: Pair) -> str:
    first, second = pair.first, pair.second
    rules = ",".join(reason.rule for reason in pair.likeness.reasons)
    return "\t".join(
        [
            f"{pair.likeness.score:.3f}",
            str(first.number),
            first.name or "",
            str(second.number),
            second.name or "",
            rules,
        ]
    )


def register(group: click.Group) -> None:
    """Add the command to `group` (the command line's own)."""

    @click.command("duplicates")
    @click.option("--tenant", "slug", required=True, help="The tenant's slug")
    @click.option(
        "--min-score",
        type=click.FloatRange(0, 1),
        default=DEFAULT_MIN_SCORE,
        show_default=True,
        help="Only pairs scoring at least this",
    )
    @reports_errors
    def duplicates_command(slug: str, min_score: float) -> None:
        """Print the tenant's pairs of probable duplicates, best first (docs/duplicates.md)."""
        services = _services()
        actor = Actor(services.tenancy.get_tenant(slug), None, "cli")
        click.echo("score\tnumber\tname\tnumber\tname\treasons")
        for pair in services.duplicates.scan(actor, min_score):
            click.echo(_row(pair))

    group.add_command(duplicates_command)
