"""Contact use cases: the same functions serve the native API, every dialect and the CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from counterparty.domain.contact import (
    WRITABLE_FIELDS,
    Check,
    Contact,
    ContactCreate,
    ContactInput,
)
from counterparty.domain.history import Change
from counterparty.domain.ids import new_id
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.secrets import hash_secret, verify_secret
from counterparty.domain.validation import read_only_errors, validate_document
from counterparty.domain.verification import verify
from counterparty.errors import (
    ContactInUse,
    DuplicateValue,
    FieldError,
    NotFound,
    TransientFailure,
    ValidationFailed,
)
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery, decode_cursor, encode_cursor
from counterparty.services.ports import UnitOfWork
from counterparty.services.registry_checks import RegistryAnswer, RegistryChecks, answered_check
from counterparty.services.transactions import Transactions
from counterparty.services.writes import (
    NO_OPTIONS,
    WriteOptions,
    check_precondition,
    now,
    record_change,
    writable_document,
)

__all__ = ["ContactPage", "ContactService", "CountedPage", "writable_document"]

log = logging.getLogger("counterparty")

CONTACT_NUMBER_COUNTER = "contact_number"
MAX_REPORTED_CHILDREN = 20
MAX_HIERARCHY_DEPTH = 32
Secrets = Mapping[str, str]  # name -> plaintext, e.g. a vendor's portal password
Edit = Callable[[dict[str, Any]], dict[str, Any]]  # current writable document -> wanted


@dataclass(frozen=True)
class ContactPage:
    contacts: list[Contact]
    next_cursor: str | None


@dataclass(frozen=True)
class CountedPage:
    """A page found by offset, with the total: what vendor APIs that page by number need."""

    contacts: list[Contact]
    total: int


def _object_patch(patch: Any) -> Mapping[str, Any]:
    if not isinstance(patch, Mapping):
        raise ValidationFailed(
            "a merge patch must be a JSON object",
            errors=[FieldError("invalid_type", "expected a JSON object", pointer="")],
        )
    if errors := read_only_errors(patch):
        raise ValidationFailed(errors[0].detail, errors=errors)
    return patch


class ContactService:
    def __init__(
        self, transactions: Transactions, registry_checks: RegistryChecks | None = None
    ) -> None:
        self._tx = transactions
        self._registry = registry_checks

    # --- reads -------------------------------------------------------------------------

    def get(self, actor: Actor, contact_id: UUID) -> Contact:
        return self._tx.read(lambda uow: self._load(uow, actor, contact_id))

    def get_by_number(self, actor: Actor, number: int) -> Contact:
        def work(uow: UnitOfWork) -> Contact:
            contact = uow.contacts.get_by_number(actor.tenant_id, number)
            if contact is None:
                raise NotFound(f"no contact has number {number}")
            return contact

        return self._tx.read(work)

    def list(self, actor: Actor, query: ContactQuery, cursor: str | None = None) -> ContactPage:
        secret = actor.tenant.cursor_secret
        positioned = decode_cursor(secret, cursor, query) if cursor else query
        found = list(self._tx.read(lambda uow: uow.contacts.search(actor.tenant_id, positioned)))
        page = found[: query.limit]
        more = len(found) > query.limit
        return ContactPage(page, encode_cursor(secret, query, page[-1]) if more else None)

    def list_counted(self, actor: Actor, query: ContactQuery) -> CountedPage:
        def work(uow: UnitOfWork) -> CountedPage:
            found = list(uow.contacts.search(actor.tenant_id, query))[: query.limit]
            return CountedPage(found, uow.contacts.count(actor.tenant_id, query))

        return self._tx.read(work)

    def verify_secret(self, actor: Actor, contact_id: UUID, name: str, plaintext: str) -> bool:
        """Whether `plaintext` matches the secret stored for the contact under `name`."""
        stored = self._tx.read(
            lambda uow: uow.contacts.secret_hash(actor.tenant_id, contact_id, name)
        )
        return stored is not None and verify_secret(plaintext, stored)

    # --- writes ------------------------------------------------------------------------

    def create(
        self,
        actor: Actor,
        document: Mapping[str, Any],
        secrets: Secrets | None = None,
        options: WriteOptions = NO_OPTIONS,
    ) -> Contact:
        validated = validate_document(ContactCreate, document, allowed_read_only={"id"})
        wanted, checks = verify(validated, actor.validation_policy)
        if self._registry:
            checks = self._registry.mark(checks, wanted, None)
        hashed = _hash_all(secrets)

        def work(uow: UnitOfWork) -> Contact:
            contact_id = validated.id or new_id()
            if validated.id and uow.contacts.get(actor.tenant_id, contact_id):
                raise DuplicateValue(
                    f"a contact with id {contact_id} exists",
                    pointer="/id",
                    existing_id=str(contact_id),
                )
            self._check_references(uow, actor, contact_id, wanted, previous=None)
            moment = now()
            contact = Contact.model_construct(
                **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
                id=contact_id,
                number=uow.tenants.next_value(actor.tenant_id, CONTACT_NUMBER_COUNTER),
                archived_at=moment if wanted.archived else None,
                checks=checks,
                version=1,
                created_at=moment,
                updated_at=moment,
            )
            uow.contacts.insert(actor.tenant_id, contact)
            _store_secrets(uow, actor, contact_id, hashed)
            record_change(uow, actor, None, contact)
            if options.on_commit:
                options.on_commit(uow, contact)
            return contact

        return self._ask_registry(actor, self._tx.write(work))

    def replace(
        self,
        actor: Actor,
        contact_id: UUID,
        document: Mapping[str, Any],
        options: WriteOptions = NO_OPTIONS,
    ) -> Contact:
        validated = validate_document(ContactInput, document)
        return self.edit(actor, contact_id, lambda _: validated, options)

    def patch(
        self,
        actor: Actor,
        contact_id: UUID,
        patch: Mapping[str, Any],
        secrets: Secrets | None = None,
        options: WriteOptions = NO_OPTIONS,
    ) -> Contact:
        """Apply a JSON Merge Patch; `secrets` are stored hashed in the same transaction."""
        patch = _object_patch(patch)
        return self.edit(
            actor, contact_id, lambda c: merge_patch(writable_document(c), patch), options, secrets
        )

    def set_archived(
        self, actor: Actor, contact_id: UUID, archived: bool, options: WriteOptions = NO_OPTIONS
    ) -> Contact:
        return self.edit(
            actor, contact_id, lambda c: {**writable_document(c), "archived": archived}, options
        )

    def edit(
        self,
        actor: Actor,
        contact_id: UUID | int,
        change: Callable[[Contact], Mapping[str, Any] | ContactInput],
        options: WriteOptions = NO_OPTIONS,
        secrets: Secrets | None = None,
    ) -> Contact:
        """The one read-modify-write path: `change` maps the contact read in this write (by id
        or per-tenant number) to the wanted document or an already valid ContactInput."""
        hashed = _hash_all(secrets)

        def work(uow: UnitOfWork) -> Contact:
            current = self._load(uow, actor, contact_id)
            check_precondition(uow, actor, current, options.if_match)
            changed = change(current)
            if not isinstance(changed, ContactInput):
                changed = validate_document(ContactInput, changed)
            wanted, checks = verify(changed, actor.validation_policy, previous=current)
            if self._registry:
                checks = self._registry.mark(checks, wanted, current)
            saved = self._save(uow, actor, current, wanted, checks)
            _store_secrets(uow, actor, current.id, hashed)
            if options.on_commit:
                options.on_commit(uow, saved)
            return saved

        return self._ask_registry(actor, self._tx.write(work))

    def _ask_registry(self, actor: Actor, contact: Contact) -> Contact:
        """After the commit: a pending VAT check is answered by the registry in the background."""
        if self._registry is not None:
            registry = self._registry
            on_behalf = replace(
                actor, api_key_id=None, entry_point=f"registry:{registry.registry.name.lower()}"
            )
            registry.submit(
                contact,
                lambda contact_id, vat, answer: self.record_registry_answer(
                    on_behalf, contact_id, vat, registry.registry.name, answer
                ),
            )
        return contact

    def record_registry_answer(
        self,
        actor: Actor,
        contact_id: UUID,
        vat_number: str,
        registry: str,
        answer: RegistryAnswer,
    ) -> None:
        """Store a registry's answer on the VAT check, if the number is still the one asked."""

        def work(uow: UnitOfWork) -> None:
            current = uow.contacts.get(actor.tenant_id, contact_id)
            if current is None or current.vat_number != vat_number:
                return
            checks = [
                answered_check(check, registry, answer)
                if check.field == "vat_number" and check.status == "pending"
                else check
                for check in current.checks
            ]
            if checks == current.checks:
                return
            updated = current.model_copy(
                update={"checks": checks, "version": current.version + 1, "updated_at": now()}
            )
            if not uow.contacts.update(actor.tenant_id, updated, current.version, False):
                raise TransientFailure("the contact changed while the answer was stored")
            record_change(
                uow,
                actor,
                current,
                updated,
                [Change("checks.vat_number.status", "pending", answer.status)],
            )

        try:
            self._tx.write(work)
        except Exception:  # a background answer that cannot be stored is only logged
            log.exception("could not store the %s answer for contact %s", registry, contact_id)

    def delete(self, actor: Actor, contact_id: UUID, options: WriteOptions = NO_OPTIONS) -> None:
        def work(uow: UnitOfWork) -> None:
            current = self._load(uow, actor, contact_id)
            check_precondition(uow, actor, current, options.if_match)
            children = uow.contacts.children(actor.tenant_id, contact_id, MAX_REPORTED_CHILDREN)
            if children:
                listed = ", ".join(str(child) for child in children)
                raise ContactInUse(
                    f"contact {contact_id} is the parent of {listed}; "
                    "move or delete those contacts first",
                    referenced_by=[str(child) for child in children],
                )
            uow.contacts.delete(actor.tenant_id, contact_id)
            record_change(uow, actor, current, None)

        self._tx.write(work)

    # --- rules -------------------------------------------------------------------------

    @staticmethod
    def _load(uow: UnitOfWork, actor: Actor, key: UUID | int) -> Contact:
        if isinstance(key, int):  # a per-tenant number
            found = uow.contacts.get_by_number(actor.tenant_id, key)
        else:
            found = uow.contacts.get(actor.tenant_id, key)
        if found is None:
            raise NotFound(f"no contact with {'number' if isinstance(key, int) else 'id'} {key}")
        return found

    def _save(
        self,
        uow: UnitOfWork,
        actor: Actor,
        current: Contact,
        wanted: ContactInput,
        checks: Sequence[Check],
    ) -> Contact:
        if all(getattr(wanted, name) == getattr(current, name) for name in WRITABLE_FIELDS):
            return current
        self._check_references(uow, actor, current.id, wanted, previous=current)
        moment = now()
        if not wanted.archived:
            archived_at = None
        else:
            archived_at = current.archived_at if current.archived else moment
        updated = Contact.model_construct(
            **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
            id=current.id,
            number=current.number,
            archived_at=archived_at,
            checks=list(checks),
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=moment,
        )
        if not uow.contacts.update(
            actor.tenant_id, updated, current.version, tags_changed=updated.tags != current.tags
        ):
            # Another transaction changed the row after we read it: run the whole use case
            # again on the new state (where an If-Match will now fail as it should).
            raise TransientFailure("the contact changed while this write ran")
        record_change(uow, actor, current, updated)
        return updated

    @staticmethod
    def _check_references(
        uow: UnitOfWork,
        actor: Actor,
        contact_id: UUID,
        wanted: ContactInput,
        previous: Contact | None,
    ) -> None:
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
                raise _parent_error("cycle", "a contact cannot be its own parent or ancestor")
            exists, ancestor_parent = uow.contacts.parent_link(tenant_id, ancestor)
            if not exists:
                raise _parent_error("unknown_contact", f"no contact with id {parent}")
            ancestor = ancestor_parent
        raise _parent_error("too_deep", f"hierarchies stop at {MAX_HIERARCHY_DEPTH} levels")


def _hash_all(secrets: Secrets | None) -> dict[str, str]:
    # Hashing is slow on purpose, so it happens before the transaction, not inside it.
    return {name: hash_secret(value) for name, value in (secrets or {}).items()}


def _store_secrets(uow: UnitOfWork, actor: Actor, contact_id: UUID, hashed: dict[str, str]) -> None:
    for name, secret_hash in hashed.items():
        uow.contacts.store_secret(actor.tenant_id, contact_id, name, secret_hash, now())


def _parent_error(code: str, detail: str) -> ValidationFailed:
    return ValidationFailed(
        f"/parent_id: {detail}", errors=[FieldError(code, detail, pointer="/parent_id")]
    )
