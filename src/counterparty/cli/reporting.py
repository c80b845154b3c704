"""What every command shares: the database and services it opens, and how it shows a
service error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar
from uuid import UUID

import click

from counterparty.config import Settings, get_settings
from counterparty.db import Database
from counterparty.errors import CounterpartyError, NotFound
from counterparty.services.registry import Services

F = TypeVar("F", bound=Callable[..., Any])


def database(settings: Settings) -> Database:
    return Database(settings.database_url, pool_size=1)


@cache
def _shared_database(url: str) -> Database:
    # One pool per database for the whole process: a command that asks for services twice (or
    # a test that runs many commands in one process) reuses it instead of leaving pools behind.
    return Database(url, pool_size=1)


def services(**options: Any) -> Services:
    return Services.over(_shared_database(get_settings().database_url).unit_of_work, **options)


def contact_id(text: str) -> UUID:
    """A contact id given on the command line; text that is none names no contact."""
    try:
        return UUID(text)
    except ValueError:
        raise NotFound(f"no contact with id {text}") from None


def reports_errors(command: F) -> F:
    """Show a service error as one line on stderr and exit 1, never as a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CounterpartyError as error:
            click.echo(f"error: {error.detail}", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]
