"""Creating, editing, archiving and deleting contacts from forms.

An edit sends the service a merge patch of what the person changed since the version the form
was opened with (`base`), guarded by the version they last saw (`version`): a colleague's
save in between is a conflict, shown with their changes; saving again applies one's own
changes on top of theirs.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from counterparty.domain.contact import Contact, ContactInput
from counterparty.domain.merge_patch import merge_patch_between
from counterparty.domain.text import decimal_digits
from counterparty.errors import (
    ContactInUse,
    DuplicateContact,
    DuplicateValue,
    FieldError,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from counterparty.services.contacts import writable_document
from counterparty.services.writes import WriteOptions
from counterparty.ui import duplicates, forms, i18n, words
from counterparty.ui.contact_page import contact_id, field_label, history_lines
from counterparty.ui.visits import CSRF_FIELD, Visit

NEW_CONTACT = ContactInput.model_construct().model_dump(mode="json")
UNRESOLVED_PARENT = "unresolved"


def field_message(visit: Visit, error: FieldError) -> str:
    """The service's message in English; in another language, the code's message."""
    if visit.language == i18n.DEFAULT_LANGUAGE:
        return error.detail
    if error.code in words.CHECK_REASONS:
        reason = visit.gettext(words.CHECK_REASONS[error.code])
        return visit.gettext("Invalid: %(reason)s", reason=reason)
    if error.code in words.ERROR_CODES:
        return visit.gettext(words.ERROR_CODES[error.code])
    return error.detail


def _problems(
    visit: Visit, failures: list[FieldError], built: forms.Built
) -> tuple[dict[str, str], list[tuple[str | None, str, str]]]:
    """Messages by input name, and the summary: (input, label, message) for every error."""
    by_input: dict[str, str] = {}
    summary = []
    for error in failures:
        name = forms.input_for(error, built)
        message = field_message(visit, error)
        if name == "parent" and error.code not in ("cycle", "too_deep"):
            message = visit.gettext("There is no contact with this number.")
        if name is not None:
            by_input.setdefault(name, message)
        path = (error.pointer or "").strip("/").replace("/", ".")
        label = field_label(
            visit,
            name.split(".")[-1]
            if name and "." in name and name.split(".")[0] in forms.LISTS
            else (name or path),
        )
        summary.append((name, label, message))
    return by_input, summary


def _label(visit: Visit, name: str | None, error: FieldError) -> str:
    """'bank_accounts.1.iban' -> 'IBAN (Bank accounts 2)'; 'address.city' -> 'City'."""
    if name is None:
        return field_label(visit, (error.pointer or "").strip("/").replace("/", ".")) or "—"
    parts = name.split(".")
    if parts[0] in forms.LISTS and len(parts) == 3 and decimal_digits(parts[1]):
        group = field_label(visit, parts[0])
        return f"{field_label(visit, parts[2])} ({group} {int(parts[1]) + 1})"
    return field_label(visit, name)


def _render_form(
    visit: Visit, form: forms.ContactForm, status: int = 200, **context: Any
) -> Response:
    context.setdefault("contact", None)
    context.setdefault("problems", {})
    context.setdefault("summary", [])
    context.setdefault("conflict", None)
    context.setdefault("refused", [])
    return visit.render(
        "contacts/form.html",
        status,
        form=form,
        countries=i18n.countries(visit.language),
        **context,
    )


def _submitted(visit: Visit) -> tuple[forms.ContactForm, str]:
    fields = {
        name: value
        for name, value in visit.form.multi_items()
        if name not in (CSRF_FIELD, "action", "version", "base")
    }
    return forms.form_from_submission(fields), visit.form.get("action", "save")


def _resolve_parent(visit: Visit, form: forms.ContactForm, document: dict[str, Any]) -> None:
    text = form.value("parent").strip()
    if not text:
        document["parent_id"] = None
        return
    if decimal_digits(text) and len(text) <= 18:
        try:
            document["parent_id"] = str(
                visit.services.contacts.get_by_number(visit.actor, int(text)).id
            )
            return
        except NotFound:
            pass
    document["parent_id"] = UNRESOLVED_PARENT  # the service reports it at /parent_id


async def new_form(visit: Visit) -> Response:
    return _render_form(visit, forms.form_from_document(NEW_CONTACT, None))


async def create(visit: Visit) -> Response:
    form, action = _submitted(visit)
    if forms.apply_action(form, action):
        return _render_form(visit, form)
    built = forms.build_document(form, None)
    _resolve_parent(visit, form, built.document)
    try:
        contact = visit.services.contacts.create(visit.actor, built.document)
    except ValidationFailed as failed:
        problems, summary = _problems(visit, list(failed.errors), built)
        return _render_form(visit, form, 422, problems=problems, summary=summary)
    except DuplicateValue as duplicate:
        failure = FieldError("duplicate_value", duplicate.detail, duplicate.pointer)
        problems, summary = _problems(visit, [failure], built)
        return _render_form(visit, form, 409, problems=problems, summary=summary)
    except DuplicateContact as refusal:
        return _refused(visit, form, built, refusal)
    # The contact page looks for the duplicates of every new contact (ui/duplicates.py).
    return visit.redirect(f"/app/contacts/{contact.id}?done=created")


def _refused(
    visit: Visit,
    form: forms.ContactForm,
    built: forms.Built,
    refusal: DuplicateContact,
    **context: Any,
) -> Response:
    """The tenant refuses duplicates: the form again, the other contacts named above it."""
    problems, _ = _problems(visit, duplicates.field_errors(refusal), built)
    refused = duplicates.refused(visit, refusal)
    return _render_form(visit, form, 409, problems=problems, refused=refused, **context)


def _parent_number(visit: Visit, contact: Contact) -> int | None:
    if contact.parent_id is None:
        return None
    try:
        return visit.services.contacts.get(visit.actor, contact.parent_id).number
    except NotFound:
        return None


async def edit_form(visit: Visit) -> Response:
    contact = visit.services.contacts.get(visit.actor, contact_id(visit))
    form = forms.form_from_document(writable_document(contact), _parent_number(visit, contact))
    return _render_form(visit, form, contact=contact, version=contact.version, base=contact.version)


def _version_field(visit: Visit, name: str) -> int:
    raw = visit.form.get(name, "")
    if not decimal_digits(raw) or len(raw) > 9:
        raise ValidationFailed(
            "the form lost its version; open it again",
            errors=[FieldError("invalid_format", "a version number", f"/{name}")],
        )
    return int(raw)


async def save(visit: Visit) -> Response:
    target = contact_id(visit)
    version, base = _version_field(visit, "version"), _version_field(visit, "base")
    form, action = _submitted(visit)
    current = visit.services.contacts.get(visit.actor, target)
    context: dict[str, Any] = {"contact": current, "version": version, "base": base}
    if forms.apply_action(form, action):
        return _render_form(visit, form, **context)
    opened = writable_document(
        Contact.model_validate_json(visit.services.history.version(visit.actor, target, base))
    )
    built = forms.build_document(form, opened)
    _resolve_parent(visit, form, built.document)
    patch = merge_patch_between({name: opened.get(name) for name in built.document}, built.document)
    if not patch:
        return visit.redirect(f"/app/contacts/{target}?done=unchanged")
    options = WriteOptions(if_match=frozenset({version}), duplicates=[])
    try:
        visit.services.contacts.patch(visit.actor, target, patch, options=options)
    except ValidationFailed as failed:
        problems, summary = _problems(visit, list(failed.errors), built)
        return _render_form(visit, form, 422, problems=problems, summary=summary, **context)
    except DuplicateValue as duplicate:
        failure = FieldError("duplicate_value", duplicate.detail, duplicate.pointer)
        problems, summary = _problems(visit, [failure], built)
        return _render_form(visit, form, 409, problems=problems, summary=summary, **context)
    except PreconditionFailed as conflict:
        events = visit.services.history.history(visit.actor, target, None, 50).events
        theirs = history_lines(visit, [event for event in events if event.version > base])
        context["version"] = conflict.current_version
        return _render_form(visit, form, 409, conflict=theirs, **context)
    except DuplicateContact as refusal:
        return _refused(visit, form, built, refusal, **context)
    if options.duplicates:  # the identifiers it set are another active contact's
        return visit.redirect(f"/app/contacts/{target}?done=saved&{duplicates.AFTER_WRITE}=1")
    return visit.redirect(f"/app/contacts/{target}?done=saved")


async def _set_archived(visit: Visit, archived: bool) -> Response:
    target = contact_id(visit)
    version = _version_field(visit, "version")
    try:
        visit.services.contacts.set_archived(
            visit.actor, target, archived, options=WriteOptions(if_match=frozenset({version}))
        )
    except PreconditionFailed:
        return _stale(visit, target)
    return visit.redirect(f"/app/contacts/{target}")


def _stale(visit: Visit, target: Any) -> Response:
    return visit.render(
        "contacts/stale.html", 409, contact=visit.services.contacts.get(visit.actor, target)
    )


async def archive(visit: Visit) -> Response:
    return await _set_archived(visit, True)


async def unarchive(visit: Visit) -> Response:
    return await _set_archived(visit, False)


async def confirm_delete(visit: Visit) -> Response:
    contact = visit.services.contacts.get(visit.actor, contact_id(visit))
    return visit.render("contacts/delete.html", contact=contact, children=None)


async def delete(visit: Visit) -> Response:
    target = contact_id(visit)
    version = _version_field(visit, "version")
    try:
        visit.services.contacts.delete(
            visit.actor, target, options=WriteOptions(if_match=frozenset({version}))
        )
    except PreconditionFailed:
        return _stale(visit, target)
    except ContactInUse:
        contact = visit.services.contacts.get(visit.actor, target)
        children = visit.ui.people.hierarchy.children(visit.actor, target)
        return visit.render("contacts/delete.html", 409, contact=contact, children=children)
    return visit.redirect("/app/contacts?deleted=1")
