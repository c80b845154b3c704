"""The tenant's duplicate policy on writes: a contact whose VAT number, tax id or registration
number (compact; for the national ones, in the same country) another active contact already
has is written with a warning (`warn`, the default) or refused (`refuse`). Only what a write
sets or changes is looked up, so an unrelated change of a contact is never blocked. Dialects
always warn: vendor clients cannot handle our 409."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from counterparty.domain.contact import Contact, ContactInput
from counterparty.domain.duplicates import IDENTIFIER_FIELDS, DuplicateNotice
from counterparty.errors import DuplicateContact
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.writes import WriteOptions

RULES = {field: f"same_{field}" for field in IDENTIFIER_FIELDS}


def _looked_up(wanted: ContactInput, previous: Contact | None) -> list[str]:
    """The identifier fields this write sets or changes (a new country changes them all)."""
    if previous is None or wanted.address.country_code != previous.address.country_code:
        return [field for field in IDENTIFIER_FIELDS if getattr(wanted, field)]
    return [
        field
        for field in IDENTIFIER_FIELDS
        if getattr(wanted, field) and getattr(wanted, field) != getattr(previous, field)
    ]


def duplicate_notices(
    uow: UnitOfWork, actor: Actor, wanted: ContactInput, previous: Contact | None
) -> list[DuplicateNotice]:
    fields = _looked_up(wanted, previous)
    return holders_of_identifiers(uow, actor, wanted, fields, previous.id if previous else None)


def holders_of_identifiers(
    uow: UnitOfWork,
    actor: Actor,
    wanted: ContactInput | Contact,
    fields: Sequence[str] = IDENTIFIER_FIELDS,
    itself: UUID | None = None,
) -> list[DuplicateNotice]:
    """The other active contacts (not `itself`) with `wanted`'s value of each of `fields`;
    a tax id or registration number only in the same country."""
    fields = [field for field in fields if getattr(wanted, field)]
    if not fields:
        return []
    holders: dict[UUID, list[str]] = {}
    for field in fields:
        value = getattr(wanted, field)
        for holder in uow.contacts.find(actor.tenant_id, field, [value]).get(value, []):
            if holder != itself:
                holders.setdefault(holder, []).append(field)
    found = uow.contacts.get_many(actor.tenant_id, list(holders))
    notices = []
    for holder, stored in found.items():
        other = stored.contact()
        if other.archived:
            continue
        for field in holders[holder]:
            national = field != "vat_number"
            if national and other.address.country_code != wanted.address.country_code:
                continue
            notices.append(DuplicateNotice(holder, other.number, field, RULES[field]))
    return sorted(notices, key=lambda notice: (notice.number, notice.field))


def apply_duplicate_policy(
    uow: UnitOfWork,
    actor: Actor,
    wanted: ContactInput,
    previous: Contact | None,
    options: WriteOptions,
) -> None:
    """Refuse the write under `refuse`, or hand the duplicates to the caller under `warn`;
    nothing is looked up when neither could happen."""
    dialect = actor.entry_point.startswith("dialect:")
    if options.duplicates is None and dialect:
        return
    notices = duplicate_notices(uow, actor, wanted, previous)
    if options.duplicates is not None:
        options.duplicates[:] = notices  # a retried transaction finds them again
    if notices and not dialect and uow.tenants.duplicate_policy(actor.tenant_id) == "refuse":
        listed = ", ".join(f"{n.contact_id} ({n.field})" for n in notices)
        raise DuplicateContact(
            f"other contacts have the same identifiers: {listed}",
            duplicates=[notice.shown() for notice in notices],
        )
