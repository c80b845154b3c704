"""Probable duplicates in the pages. After a create (or an edit whose identifiers another
active contact has), the contact page warns of the contacts it may duplicate; under the
tenant's `refuse` policy the form says which contacts made the service refuse the write."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from counterparty.errors import DuplicateContact, FieldError, NotFound
from counterparty.ui import words
from counterparty.ui.visits import Visit

# The contact page's query parameter that asks it to look for duplicates after a write.
AFTER_WRITE = "duplicates"


@dataclass(frozen=True)
class Lookalike:
    """Another contact as a warning names it: a link, its number, and why, in words."""

    id: UUID
    name: str
    number: int | None
    reasons: tuple[str, ...]


def _reasons(visit: Visit, rules: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        visit.gettext(words.DUPLICATE_REASONS[rule]) if rule in words.DUPLICATE_REASONS else rule
        for rule in rules
    )


def after_write(visit: Visit, contact_id: UUID) -> list[Lookalike]:
    """The other active contacts this one probably duplicates, best first."""
    shown = []
    for found in visit.services.duplicates.resemblances(visit.actor, contact_id):
        other = found.contact
        shown.append(
            Lookalike(other.id, other.name or "", other.number, _reasons(visit, found.rules))
        )
    return shown


def refused(visit: Visit, refusal: DuplicateContact) -> list[Lookalike]:
    """The contacts a refused write would have duplicated, each once, by number."""
    rules: dict[str, list[str]] = {}
    numbers: dict[str, int | None] = {}
    for other in refusal.duplicates:
        rules.setdefault(other["id"], []).append(other["rule"])
        numbers[other["id"]] = other.get("number")
    shown = []
    for other_id, found in rules.items():
        try:
            name = visit.services.contacts.get(visit.actor, UUID(other_id)).name or ""
        except NotFound:  # deleted since: still say why, by number
            name = ""
        shown.append(Lookalike(UUID(other_id), name, numbers[other_id], _reasons(visit, found)))
    return shown


def field_errors(refusal: DuplicateContact) -> list[FieldError]:
    """A message next to each identifier another contact already has."""
    fields = dict.fromkeys(other["field"] for other in refusal.duplicates)
    detail = words.ERROR_CODES["duplicate_contact"]
    return [FieldError("duplicate_contact", detail, f"/{field}") for field in fields]
