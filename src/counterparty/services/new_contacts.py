"""A new contact: checked before the transaction, numbered and stored inside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from counterparty.domain.contact import WRITABLE_FIELDS, Check, Contact, ContactCreate, ContactInput
from counterparty.domain.ids import new_id
from counterparty.domain.validation import validate_document
from counterparty.domain.verification import verify
from counterparty.errors import DuplicateValue, FieldError, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.registry_checks import RegistryChecks
from counterparty.services.writes import Revision, now

CONTACT_NUMBER_COUNTER = "contact_number"
MAX_HIERARCHY_DEPTH = 32


@dataclass(frozen=True)
class NewContact:
    """A validated, checked contact document that has no id, number or time yet."""

    chosen_id: UUID | None
    wanted: ContactInput
    checks: list[Check]

    def build(self, contact_id: UUID, number: int, moment: datetime) -> Contact:
        wanted = self.wanted
        return Contact.model_construct(
            **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
            id=contact_id,
            number=number,
            archived_at=moment if wanted.archived else None,
            checks=self.checks,
            version=1,
            created_at=moment,
            updated_at=moment,
        )

    def store(self, uow: UnitOfWork, actor: Actor) -> Revision:
        """Insert the contact, inside the write's transaction."""
        contact_id = self.chosen_id or new_id()
        # A merged contact's id stays its own: an unmerge brings the contact back under it.
        if self.chosen_id and (
            uow.contacts.get(actor.tenant_id, contact_id)
            or uow.merges.survivor_of(actor.tenant_id, contact_id)
        ):
            raise DuplicateValue(
                f"a contact with id {contact_id} exists", pointer="/id", existing_id=str(contact_id)
            )
        check_references(uow, actor, contact_id, self.wanted, previous=None)
        number = uow.tenants.next_value(actor.tenant_id, CONTACT_NUMBER_COUNTER)
        created = Revision(contact=self.build(contact_id, number, now()))
        uow.contacts.insert(actor.tenant_id, created.contact, created.json)
        return created


def prepare_new(
    actor: Actor,
    document: Mapping[str, Any],
    registry: RegistryChecks | None,
    chosen_id_allowed: bool = False,
) -> NewContact:
    """Validate and check a new contact's document: all of it that needs no database. The
    service assigns ids; only vendor APIs whose clients choose them may pass one."""
    allowed = {"id"} if chosen_id_allowed else set()
    validated = validate_document(ContactCreate, document, allowed_read_only=allowed)
    wanted, checks = verify(validated, actor.validation_policy)
    if registry:
        checks = registry.mark(checks, wanted, None)
    return NewContact(validated.id, wanted, list(checks))


def check_references(
    uow: UnitOfWork,
    actor: Actor,
    contact_id: UUID,
    wanted: ContactInput,
    previous: Contact | None,
) -> None:
    """A new external_ref must be free, and a new parent must exist and make no cycle."""
    tenant_id = actor.tenant_id
    ref = wanted.external_ref
    if ref is not None and (previous is None or previous.external_ref != ref):
        holder = uow.contacts.id_for_external_ref(tenant_id, ref)
        if holder is not None and holder != contact_id:
            raise DuplicateValue(
                f"external_ref '{ref}' already belongs to contact {holder}",
                pointer="/external_ref",
                existing_id=str(holder),
            )
    parent = wanted.parent_id
    if parent is None or (previous is not None and previous.parent_id == parent):
        return
    ancestor: UUID | None = parent
    for _ in range(MAX_HIERARCHY_DEPTH):
        if ancestor is None:
            return
        if ancestor == contact_id:
            raise parent_error("cycle", "a contact cannot be its own parent or ancestor")
        exists, ancestor_parent = uow.contacts.parent_link(tenant_id, ancestor)
        if not exists:
            raise parent_error("unknown_contact", f"no contact with id {parent}")
        ancestor = ancestor_parent
    raise parent_error("too_deep", f"hierarchies stop at {MAX_HIERARCHY_DEPTH} levels")


def parent_error(code: str, detail: str) -> ValidationFailed:
    return ValidationFailed(
        f"/parent_id: {detail}", errors=[FieldError(code, detail, pointer="/parent_id")]
    )
