"""A customer body -> the canonical merge patch: Laravel's validation, then the table.

"" and null both mean "no value" (Laravel's ConvertEmptyStringsToNull) and strings are trimmed
(TrimStrings); members the vendor does not document are ignored (`validated()`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counterparty.dialects import laravel
from counterparty.dialects.base import set_path, shown_account
from counterparty.dialects.checking import PATTERN, check
from counterparty.dialects.faturaentegrator.table import NAMESPACE, TABLE
from counterparty.domain.contact import Contact
from counterparty.domain.fields import FieldProblem, country_code_for, normalize_email

WRITABLE = tuple(row for row in TABLE if not row.read_only)
NAMES = tuple(row.name for row in WRITABLE)
VendorRecord = dict[str, Any]
MESSAGES = {  # the Laravel rules (`in:`, `digits_between:`) the table's patterns stand for
    ("type", PATTERN): "The selected type is invalid.",
    ("tax_number", PATTERN): "The tax number field must be between 10 and 11 digits.",
}


def _format_problem(name: str, value: str) -> str | None:
    if name == "country" and country_code_for(value) is None:
        return "The selected country is invalid."
    if name == "email":
        try:
            normalize_email(value)
        except FieldProblem:
            return "The email field must be a valid email address."
    return None


def validated(
    body: Any, stored: VendorRecord | None, complete: bool = False
) -> tuple[VendorRecord, VendorRecord]:
    """(changes, merged): the members the body writes and the record after the write.

    With `complete` (a create or a PUT) members left out are written as no value and the
    create rules apply; without (a PATCH) only what the body sends is checked."""
    if not isinstance(body, Mapping):
        raise laravel.invalid({"body": ["The request body must be a JSON object."]})
    changes: VendorRecord = dict.fromkeys(NAMES) if complete else {}
    for name in NAMES:
        if name in body:
            value = body[name]
            changes[name] = (value.strip() or None) if isinstance(value, str) else value
    problems = check(WRITABLE, changes, "PUT" if complete else "PATCH")
    messages = {problem.name: [laravel.message(problem, MESSAGES)] for problem in problems}
    for name, value in changes.items():
        problem = _format_problem(name, value) if isinstance(value, str) else None
        if problem and name not in messages:
            messages[name] = [problem]
    if messages:
        raise laravel.invalid({name: messages[name] for name in NAMES if name in messages})
    return changes, {**(stored or dict.fromkeys(NAMES)), **changes}


def canonical_patch(
    changes: VendorRecord, merged: VendorRecord, current: Contact | None
) -> dict[str, Any]:
    """The canonical JSON Merge Patch behind `changes` (None clears a member); `merged` is the
    whole vendor record after the write, `current` the stored contact (None on create)."""
    patch: dict[str, Any] = {}
    extension: dict[str, str | None] = {}
    for row in WRITABLE:
        if row.name in changes and isinstance(row.canonical, str):
            set_path(patch, row.canonical, changes[row.name])
    if "type" in changes:
        patch["kind"] = changes["type"]
    if "phone" in changes:
        patch["phone"] = changes["phone"]
    if {"type", "title", "name", "surname"} & changes.keys():
        # A company's title is its canonical name; a person's name is derived from
        # name + surname (null re-derives it) and a person's title is kept aside.
        company = merged.get("type") == "company"
        patch["name"] = merged.get("title") if company else None
        extension["title"] = None if company else merged.get("title")
    if "country" in changes:
        written = changes["country"]
        set_path(patch, "address.country_code", country_code_for(written) if written else None)
        extension["country"] = written
    if "iban" in changes:
        accounts = [] if current is None else current.model_dump(mode="json")["bank_accounts"]
        patch["bank_accounts"] = _with_iban(accounts, changes["iban"])
    if extension:
        stored = {} if current is None else dict(current.extensions.get(NAMESPACE, {}))
        kept = {key: value for key, value in {**stored, **extension}.items() if value is not None}
        patch["extensions"] = {NAMESPACE: extension if kept else None}
    return patch


def _with_iban(accounts: list[dict[str, Any]], iban: str | None) -> list[dict[str, Any]]:
    """The account list with the shown account's IBAN set, added or cleared; an account left
    with neither IBAN nor account number is dropped. Other accounts stay as they are."""
    accounts = [dict(account) for account in accounts]
    shown = shown_account(accounts)
    if shown is None:
        return [] if iban is None else [{"iban": iban, "is_default": True}]
    accounts[shown]["iban"] = iban
    if iban is None and not accounts[shown].get("account_number"):
        del accounts[shown]
    return accounts
