"""A request body -> the vendor's checks (ASP.NET model binding without Json.NET's conversions:
a value of the wrong JSON type is a 400), then the canonical merge patch it stands for.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from counterparty.dialects import aspnet
from counterparty.dialects.base import set_path, shown_account
from counterparty.dialects.checking import PATTERN
from counterparty.dialects.fields import WRITES, VendorField, Verb
from counterparty.dialects.idoklad.codes import COUNTRY_CODES, CURRENCY_CODES
from counterparty.dialects.idoklad.outbound import typed_texts
from counterparty.dialects.idoklad.table import ACCOUNT, BANK_ACCOUNT, BANK_KEY, EXT, TABLE
from counterparty.dialects.typed import TYPED, stored_forms
from counterparty.domain.merge_patch import merge_patch

Changes = dict[str, Any]  # vendor member -> value sent; BANK_KEY -> Changes of the account
CONTACT = tuple(row for row in TABLE if not row.read_only and row.name != BANK_KEY)
ACCOUNT_ROWS = tuple(row for row in BANK_ACCOUNT if not row.read_only)
# A PUT binds the members its model lacks too: they are applied when sent (docs/dialects.md).
MODEL = tuple(replace(row, writes=WRITES) for row in TABLE)
CODES = {"CountryId": COUNTRY_CODES, "CurrencyId": CURRENCY_CODES}
MESSAGES = {
    ("Email", PATTERN): "The Email field is not a valid e-mail address.",
    ("Phone", PATTERN): "The Phone field is not a valid phone number.",
}


def read_contact(body: Any, verb: Verb) -> Changes:
    """The vendor members of a request body, checked as the vendor's model checks them; a
    number's 0 is "none" (the vendor shows no value as 0), so a required id must not be 0."""
    return aspnet.read_model(body, MODEL, verb, messages=MESSAGES, zero_is_none=True)


def _write(
    patch: dict[str, Any], typed: dict[str, Any], row: VendorField, value: Any, key: str
) -> None:
    """One vendor value (None: reset) where the table says: a code list's id as its ISO code,
    or kept as sent where ISO has none; a text also as typed. A path of the shown bank account
    lands in `patch["bank_accounts"]`, for `_accounts` to place."""
    if row.name in CODES:
        code_path, kept_path = row.paths
        code = CODES[row.name].get(value) if value else None
        set_path(patch, code_path, code)
        set_path(patch, kept_path, value if value and code is None else None)
        return
    assert isinstance(row.canonical, str)
    set_path(patch, row.canonical, value)
    if row.type == "text":
        typed[key] = value


def canonical_patch(changes: Changes, verb: Verb, document: dict[str, Any]) -> dict[str, Any]:
    """The canonical JSON Merge Patch for a vendor write onto `document` (the contact's
    writable canonical document; {} for a create). A PATCH sets what it sends; a PUT also
    resets every member of the vendor's PUT model it leaves out. Canonical fields the vendor
    does not map are never in the patch, so they survive."""
    patch: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    for row in CONTACT:
        if row.name in changes or (verb == "PUT" and verb in row.writes):
            _write(patch, typed, row, changes.get(row.name), row.name)
    if BANK_KEY in changes or verb == "PUT":
        patch[ACCOUNT] = _accounts(changes.get(BANK_KEY), verb, document, patch, typed)
    if typed:
        set_path(patch, EXT(TYPED), _typed(merge_patch(document, patch), typed))
    return patch


def _typed(merged: dict[str, Any], written: dict[str, Any]) -> dict[str, Any]:
    """extensions.idoklad.typed members: the text sent where the canonical model will store
    another form of it (so that a dialect read can return it), else null (none kept)."""
    accounts = merged.get("bank_accounts") or []
    index = shown_account(accounts)
    texts = typed_texts({key: text for key, text in written.items() if isinstance(text, str)})
    forms = stored_forms(merged, accounts[index] if index is not None else None, texts)
    return {key: text if key in forms and forms[key] != text else None
            for key, text in written.items()}  # fmt: skip


def _accounts(
    sent: Changes | None,
    verb: Verb,
    document: dict[str, Any],
    patch: dict[str, Any],
    typed: dict[str, Any],
) -> list[dict[str, Any]]:
    """The canonical bank accounts after a write of DefaultBankAccount (None: remove it).
    Only the default account changes; the contact's other accounts stay as they are."""
    accounts = [dict(account) for account in document.get(ACCOUNT, [])]
    index = shown_account(accounts)
    if sent is None:
        if index is not None:
            del accounts[index]
        set_path(patch, EXT(BANK_KEY), None)
        typed.update({f"{BANK_KEY}.{row.name}": None for row in ACCOUNT_ROWS})
        return accounts
    for row in ACCOUNT_ROWS:
        if row.name in sent or verb != "PATCH" or index is None:
            _write(patch, typed, row, sent.get(row.name), f"{BANK_KEY}.{row.name}")
    shown = {} if index is None else accounts[index]
    shown.update(patch.pop(ACCOUNT, {}), is_default=True)
    if index is None:
        accounts.append(shown)
    return accounts
