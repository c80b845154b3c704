"""What every vendor dialect shares: its registration record, its actor, canonical paths.

A dialect only translates. It turns the vendor's request into a canonical document (the
field names of the native API) and calls the same `Services` the native API calls; it
turns canonical contacts and domain errors back into the vendor's shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.fields import Rule, VendorField
from counterparty.dialects.openapi import Published, document
from counterparty.domain.contact import Contact
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import decimal_digits, fold
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.listing import MAX_QUERY_TERMS
from counterparty.services.writes import writable_document
from counterparty.web.routing import Handler, Operation, Surface
from counterparty.web.state import actor_for, services


class Errors(Protocol):
    """A vendor package's `errors` module, as the dialect contract names its roles."""

    def render_error(self, error: Exception, request: Request) -> Response: ...


class Routes(Protocol):
    """A vendor package's `routes` module: every operation, fallbacks last, and its document."""

    @property
    def OPERATIONS(self) -> Sequence[Operation]: ...
    @property
    def PUBLISHED(self) -> Published: ...


@dataclass(frozen=True)
class Dialect:
    """A vendor API served under /compat/<name>/ with the vendor's own paths, and the OpenAPI
    document generated from its table (`published`)."""

    name: str
    title: str
    surface: Surface
    published: Published | None = None

    @property
    def prefix(self) -> str:
        return f"/compat/{self.name}"

    @classmethod
    def of(
        cls,
        name: str,
        title: str,
        authenticate: Callable[[Request], Actor],
        errors: Errors,
        routes: Routes,
    ) -> Dialect:
        """A dialect declared from the modules the contract gives every vendor package."""
        surface = Surface(authenticate, errors.render_error, routes.OPERATIONS)
        return cls(name, title, surface, routes.PUBLISHED)

    def document(self) -> dict[str, Any]:
        assert self.published is not None
        found = document(self.published, self.surface.operations, "1")
        found["servers"] = [{"url": self.prefix}]
        return found


def dialect_actor(request: Request, presented_key: str | None, dialect: str) -> Actor:
    """Authenticate with a tenant API key; changes are recorded as `dialect:<name>`."""
    return actor_for(request, presented_key, f"dialect:{dialect}")


def get_path(document: Mapping[str, Any], path: str) -> Any:
    """Value at a dotted canonical path such as "address.city" (None where absent)."""
    value: Any = document
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted canonical path, creating the objects on the way."""
    *parents, last = path.split(".")
    target = document
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


Convert = Callable[[VendorField, Any], Any]  # a one-to-one row's value, the vendor's way


def _as_is(_row: VendorField, value: Any) -> Any:
    return value


def to_canonical(
    table: Iterable[VendorField], values: Mapping[str, Any], convert: Convert = _as_is
) -> dict[str, Any]:
    """The merge patch of a body's one-to-one rows: every writable row whose `canonical` is a
    path gets the member's value there (None where the body has none), through `convert`
    where the vendor changes it on the way. `Rule` rows are the package's to add."""
    patch: dict[str, Any] = {}
    for row in table:
        if isinstance(row.canonical, str) and not row.read_only:
            set_path(patch, row.canonical, convert(row, values.get(row.name)))
    return patch


def to_vendor(
    table: Iterable[VendorField],
    document: Mapping[str, Any],
    rules: Mapping[str, Any],
    convert: Convert = _as_is,
) -> dict[str, Any]:
    """A vendor body in the table's order: a one-to-one row's value read from its canonical
    path (through `convert`), a `Rule` row's value from `rules`, under the field's name."""
    return {
        row.name: rules[row.name]
        if isinstance(row.canonical, Rule)
        else convert(row, get_path(document, row.canonical))
        for row in table
    }


def fallback_operations(handler: Handler, dialect: str, tag: str) -> tuple[Operation, ...]:
    """Last in a dialect's operations: every other path under its prefix, so that the vendor's
    client gets the vendor's own 404/405 (or, where the vendor ignores case, its route)."""
    return tuple(
        Operation(
            method,
            "/{path:path}",
            handler,
            f"{dialect}NoRoute{method.title()}",
            "No such route or method (404 or 405)",
            tag=tag,
            errors=(401, 404, 405),
        )
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
    )


def patched(current: Contact, patch: Mapping[str, Any]) -> dict[str, Any]:
    """The contact's writable document with a canonical merge patch applied: what a dialect's
    update hands back to `ContactService.edit`, which read `current` inside the write."""
    document: dict[str, Any] = merge_patch(writable_document(current), patch)
    return document


def whole_number(raw: str | None, default: int, top: int) -> int | None:
    """A vendor's page or page size: `default` when sent empty, None when it is not a whole
    number from 1 to `top` (`decimal_digits`: ASCII digits, at most 18).

    >>> whole_number(" 7 ", 1, 10), whole_number("", 1, 10), whole_number("0", 1, 10)
    (7, 1, None)
    """
    text = (raw or "").strip()
    if not text:
        return default
    return int(text) if decimal_digits(text) and 1 <= int(text) <= top else None


def search_terms(text: str) -> tuple[str, ...]:
    """A vendor's free-text search as the service's terms: folded words, each once.

    >>> search_terms("Demir  TEKSTİL demir")
    ('demir', 'tekstil')
    """
    return tuple(dict.fromkeys(fold(text).split()))[:MAX_QUERY_TERMS]


def numbered(
    request: Request, actor: Actor, number: int, not_found: Callable[[int], NotFound]
) -> Contact:
    """The contact a vendor path names by its number, or the vendor's own "not found"."""
    try:
        return services(request).contacts.get_by_number(actor, number)
    except NotFound:
        raise not_found(number) from None


def edit_numbered(
    request: Request,
    actor: Actor,
    number: int,
    patch: Callable[[Contact], Mapping[str, Any]],
    not_found: Callable[[int], NotFound],
) -> Contact:
    """One read-modify-write: `patch` is built from the contact read inside the write."""
    try:
        return services(request).contacts.edit(
            actor, number, lambda current: patched(current, patch(current))
        )
    except NotFound:
        raise not_found(number) from None


def shown_account(accounts: Sequence[Mapping[str, Any]]) -> int | None:
    """Index of the bank account a vendor that shows one account shows: the default one, else
    the first (None when there is none).

    >>> shown_account([{"is_default": False}, {"is_default": True}]), shown_account([{}])
    (1, 0)
    """
    flagged = (index for index, account in enumerate(accounts) if account.get("is_default"))
    return next(flagged, 0 if accounts else None)
