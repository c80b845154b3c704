"""A registry's answer stored on a contact's pending VAT check, inside a write."""

from __future__ import annotations

from uuid import UUID

from counterparty.domain.history import note
from counterparty.errors import TransientFailure
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.registry_checks import RegistryAnswer, answered_check
from counterparty.services.writes import Revision, now, record_change


def store_registry_answer(
    uow: UnitOfWork,
    actor: Actor,
    contact_id: UUID,
    vat_number: str,
    registry: str,
    answer: RegistryAnswer,
) -> None:
    """Only while the number is still the one asked: an answer about an old number is dropped."""
    stored = uow.contacts.get(actor.tenant_id, contact_id)
    if stored is None:
        return
    current = Revision.stored(stored)
    if current.contact.vat_number != vat_number:
        return
    checks = [
        answered_check(check, registry, answer)
        if check.field == "vat_number" and check.status == "pending"
        else check
        for check in current.contact.checks
    ]
    if checks == current.contact.checks:
        return
    updated = Revision(
        contact=current.contact.model_copy(
            update={"checks": checks, "version": current.contact.version + 1, "updated_at": now()}
        )
    )
    if not uow.contacts.update(actor.tenant_id, updated.contact, updated.json, current.contact):
        raise TransientFailure("the contact changed while the answer was stored")
    status_change = note("checks.vat_number.status", "pending", answer.status)
    record_change(uow, actor, current, updated, [status_change])
