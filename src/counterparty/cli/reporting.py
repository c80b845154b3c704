"""How every command shows a service error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from counterparty.errors import CounterpartyError

F = TypeVar("F", bound=Callable[..., Any])


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
