"""A contact's company: `company_id`, `company_code` or an embedded `company` entity.

All three name the canonical parent (a `kind: "company"` contact). `company_code` is the
company's `external_ref`. An embedded company is found by its `id`, else by its `code`;
a company found is updated with the members sent (merge, whatever the contact's verb),
otherwise it is created from the entity (members left out take their defaults).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from counterparty.dialects.odyssee.errors import COMPANY_NAMES, SHAPE
from counterparty.dialects.odyssee.inbound import (
    Problem,
    Translation,
    checked,
    extension,
    translate,
)
from counterparty.dialects.odyssee.table import COMPANY_FIELDS, COMPANY_LINKS
from counterparty.domain.contact import Contact
from counterparty.domain.ids import new_id
from counterparty.domain.merge_patch import merge_patch_between
from counterparty.errors import FieldError, NotFound
from counterparty.services.contacts import ContactService, PreparedWrite
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery

PREFIX = "company."


@dataclass(frozen=True)
class CompanyPlan:
    """An embedded company, checked: to update (`existing`) or to create (`new_id`, when the
    client chose it). `target` is its id either way: a new company's is chosen here, so that
    the contact can name its parent before the two are written together."""

    translation: Translation
    existing: Contact | None
    new_id: UUID | None
    target: UUID


@dataclass(frozen=True)
class Link:
    """What the body says about the company; `named` is False when it says nothing."""

    named: bool
    parent_id: UUID | None = None
    plan: CompanyPlan | None = None


def by_reference(contacts: ContactService, actor: Actor, code: str) -> Contact | None:
    query = ContactQuery(external_ref=code.strip(), archived=None, limit=1)
    found = contacts.list(actor, query).contacts
    return found[0] if found else None


def by_id(contacts: ContactService, actor: Actor, contact_id: UUID) -> Contact | None:
    try:
        return contacts.get(actor, contact_id)
    except NotFound:
        return None


def _company_key(raw: dict[str, Any]) -> tuple[UUID | None, str | None]:
    errors: list[FieldError] = []
    key: list[Any] = []
    for spec in COMPANY_FIELDS:
        if spec.name in ("id", "code"):
            try:
                key.append(checked(spec, raw.get(spec.name)))
            except Problem as problem:
                key.append(None)
                errors.append(FieldError(problem.code, str(problem), pointer=PREFIX + spec.name))
    if errors:
        raise SHAPE.invalid(errors)
    company_id, code = key
    return (UUID(company_id) if company_id else None), code


def plan_company(contacts: ContactService, actor: Actor, raw: dict[str, Any]) -> CompanyPlan:
    company_id, code = _company_key(raw)
    existing = by_id(contacts, actor, company_id) if company_id else None
    if existing is None and company_id is None and code:
        existing = by_reference(contacts, actor, code)
    if existing is not None and existing.kind != "company":
        detail = f"contact {existing.id} is a person, not a company"
        raise SHAPE.invalid([FieldError("not_a_company", detail, pointer=PREFIX + "id")])
    translation = translate(COMPANY_FIELDS, raw, whole=existing is None, prefix=PREFIX)
    if existing is None and not translation.values.get("name"):
        detail = "a new company needs a name"
        raise SHAPE.invalid([FieldError("required", detail, pointer=PREFIX + "name")])
    target = existing.id if existing else company_id or new_id()
    return CompanyPlan(translation, existing, company_id, target)


def link(contacts: ContactService, actor: Actor, given: Translation, *, required: bool) -> Link:
    """Resolve the company members of a contact body (reads only; nothing is written).

    `company_id` and `company_code` may name the embedded company itself, even a new one.
    """
    values = given.values
    named = required or any(name in values for name in COMPANY_LINKS)
    if not named:
        return Link(named=False)
    plan = None
    if isinstance(values.get("company"), dict):
        plan = plan_company(contacts, actor, values["company"])
    planned: UUID | str | None = None
    if plan is not None:
        planned = plan.existing.id if plan.existing else plan.new_id or "the embedded company"
    planned_code = (plan.translation.values.get("code") or "").strip() if plan else ""
    found: dict[str, UUID | str] = {"company": planned} if planned is not None else {}
    errors: list[FieldError] = []
    if company_id := values.get("company_id"):
        wanted_id = UUID(company_id)
        if wanted_id == planned:
            found["company_id"] = wanted_id
        else:
            _lookup(errors, found, "company_id", company_id, by_id(contacts, actor, wanted_id))
    if code := values.get("company_code"):
        if planned is not None and code.strip() == planned_code:
            found["company_code"] = planned
        else:
            _lookup(errors, found, "company_code", code, by_reference(contacts, actor, code))
    if len(set(found.values())) > 1:
        detail = "company_id, company_code and company name different companies"
        errors.append(FieldError("company_mismatch", detail, pointer=min(found)))
    if not errors and not found:
        detail = "company_id, company_code or company must be provided"
        errors.append(FieldError("required", detail, pointer="company_id"))
    if errors:
        raise SHAPE.invalid(errors)
    parent_id = next((value for value in found.values() if isinstance(value, UUID)), None)
    return Link(named=True, parent_id=parent_id if plan is None else None, plan=plan)


def _lookup(
    errors: list[FieldError],
    found: dict[str, UUID | str],
    name: str,
    wanted: str,
    parent: Contact | None,
) -> None:
    if parent is None:
        errors.append(FieldError("unknown_company", f"no company '{wanted}'", pointer=name))
    elif parent.kind != "company":
        detail = f"contact {parent.id} is a person, not a company"
        errors.append(FieldError("not_a_company", detail, pointer=name))
    else:
        found[name] = parent.id


def company_write(contacts: ContactService, actor: Actor, plan: CompanyPlan) -> PreparedWrite:
    """The embedded company's write, checked and not yet run: the contact's write runs after it
    in the same transaction."""
    translation = plan.translation
    translation.canonical.pop("id", None)
    with SHAPE.vendor_terms(COMPANY_NAMES, PREFIX):
        if plan.existing is None:
            document = translation.document(keep_nulls=False)
            document.update(kind="company", id=str(plan.target))
            if ext := extension({}, translation.ext, whole=True):
                document["extensions"] = {"odyssee": ext}
            write = contacts.prepare_create(actor, document)
        else:
            current = plan.existing.extensions.get("odyssee", {})
            patch = translation.document(keep_nulls=True)
            wanted = extension(current, translation.ext, whole=False)
            if wanted != current:
                patch["extensions"] = {
                    "odyssee": merge_patch_between(current, wanted) if wanted else None
                }
            write = contacts.prepare_patch(actor, plan.existing.id, patch)
    return SHAPE.when_run(write, COMPANY_NAMES, PREFIX)
