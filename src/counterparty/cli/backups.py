"""`counterparty db backup` and `db restore`: the whole database to one file and back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from counterparty.config import get_settings
from counterparty.db.backups import BackupFailed, backup, restore

SECRET_KEY_REMINDER = (
    "webhook signing secrets in it are encrypted with the secret key (COUNTERPARTY_SECRET_KEY "
    "or secret.key in the data directory): keep a copy of that key apart from the backups"
)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists")
def db_backup(file: Path, force: bool) -> None:
    """Copy the whole database to FILE while the service runs (SQLite: online backup;
    PostgreSQL: pg_dump's custom format)."""
    try:
        click.echo(backup(get_settings().database_url, file, force=force))
    except BackupFailed as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"note: {SECRET_KEY_REMINDER}", err=True)


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace a database that holds data (stop the service first)"
)
def db_restore(file: Path, force: bool) -> None:
    """Put the backup in FILE into the configured database (SQLite: backup API;
    PostgreSQL: pg_restore). A database that holds data is replaced only with --force."""
    try:
        click.echo(restore(get_settings().database_url, file, force=force))
    except BackupFailed as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
