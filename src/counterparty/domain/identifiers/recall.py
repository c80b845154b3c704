"""The results a stored contact already has, so that a write checks only what it changes.

A stored contact keeps each identifier in its normalised form and the check of it. Checking a
normalised value again in the same context gives the same result (the checks are pure and
their normalised forms are fixed points), so the stored checks can stand in for checking again.
They are keyed like the checks themselves, by check, value and context, not by path: a phone
number that moves from `phone` to `mobile`, or a bank account that moves down the list when one
is inserted before it, is still not checked again; a new address country changes the context
of every number that depends on it, so those are checked again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol, cast, get_args

from counterparty.domain.identifiers.report import (
    Checker,
    IdentifierInput,
    Key,
    PersonIdentifiers,
    walk,
)
from counterparty.domain.identifiers.result import Reason, Result, Status

_STATUSES = frozenset(get_args(Status))


class StoredCheck(Protocol):
    """An entry of a contact's `checks` list."""

    @property
    def field(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def scheme(self) -> str | None: ...

    @property
    def reason(self) -> str | None: ...


class _Undecided(Exception):
    """A check that decides other checks' context (the country's, an IBAN's) is not stored."""


class _Recaller(Checker):
    """Walks a stored contact like `Checker`, taking each result from the stored checks."""

    def __init__(self, checks: Iterable[StoredCheck]) -> None:
        super().__init__()
        # Registry answers (`pending`, `verified`, …) replace a check's status: not reusable.
        self._stored = {check.field: check for check in checks if check.status in _STATUSES}
        self._missing: set[str] = set()
        self.remembered: dict[Key, Result] = {}

    def run(
        self, path: str, value: str | None, check: Callable[..., Result], *context: str | None
    ) -> str | None:
        if value is None or not value.strip():
            return None
        stored = self._stored.get(path)
        if stored is None:
            self._missing.add(path)
            return value
        # A contact stores neither the formatted form nor the message: the compact form stands
        # in for the first, and a caller that reports an error checks again for the second.
        result = Result(
            value,
            value,
            cast(Status, stored.status),
            stored.scheme,
            cast("Reason | None", stored.reason),
        )
        self.results[path] = result
        self.remembered[(check, value, context)] = result
        return value

    def valid(self, path: str) -> Result | None:
        if path in self._missing:
            raise _Undecided(path)
        return super().valid(path)


def remember(
    stored: IdentifierInput,
    checks: Iterable[StoredCheck],
    contact_persons: Sequence[PersonIdentifiers] = (),
) -> Mapping[Key, Result]:
    """The results of a stored contact's checks, for `check_identifiers(..., known=...)`.

    `stored` and `contact_persons` hold the contact's stored (normalised) values. A value
    without a stored check is simply checked again; when that value decides the context of
    others (the address country, an IBAN), nothing is remembered, because the context of the
    others is then unknown."""
    recaller = _Recaller(checks)
    try:
        walk(stored, recaller, contact_persons)
    except _Undecided:
        return {}
    return recaller.remembered


__all__ = ["StoredCheck", "remember"]
