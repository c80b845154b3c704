"""Request bodies: the vendor's own checks, then the canonical merge patch a body stands for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from counterparty.dialects.base import set_path
from counterparty.dialects.idoklad.codes import COUNTRY_CODES, CURRENCY_CODES
from counterparty.dialects.idoklad.mapping import (
    AS_WRITTEN,
    BANK,
    BANK_FIELDS,
    BANK_KEY,
    EXT,
    FALLBACK,
    FIELDS,
    VendorField,
    default_account,
    stored_forms,
)
from counterparty.domain.merge_patch import merge_patch
from counterparty.errors import FieldError, ValidationFailed

Verb = Literal["POST", "PUT", "PATCH"]
Changes = dict[str, Any]  # vendor field -> value sent; BANK_KEY -> Changes of the account or None
CODE_TABLES: dict[str, dict[int, str | None]] = {
    "country": COUNTRY_CODES,
    "currency": CURRENCY_CODES,
}
INT32 = 2**31 - 1  # the vendor's ints are .NET Int32
_PHONE = re.compile(r"\+?[\d\s().-]*\d[\d\s().-]*")  # .NET's PhoneAttribute, extension aside
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|#)\s*\d+$", re.I)
# The vendor's "Data type:" checks, as .NET's EmailAddressAttribute and PhoneAttribute make them.
DATA_TYPES: dict[str, Callable[[str], bool]] = {
    "EmailAddress": lambda text: text.count("@") == 1 and text[0] != "@" and text[-1] != "@",
    "PhoneNumber": lambda text: _PHONE.fullmatch(_EXTENSION.sub("", text)) is not None,
}


def _by_name(body: Mapping[str, Any], names: Iterable[str]) -> Changes:
    """The members the vendor's model has, under its spelling. JSON.NET matches names without
    regard to case and ignores members its model lacks (read-only ones included)."""
    known = {name.casefold(): name for name in names}
    return {known[key.casefold()]: value for key, value in body.items() if key.casefold() in known}


def _missing(value: Any) -> bool:
    """null, blank text, or the id 0 (what .NET clients send for an unset int)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (type(value) is int and value == 0)


def _problem(field: VendorField, value: Any, key: str) -> FieldError | None:
    """The vendor-level problem with one value (types, lengths, code lists), if any."""
    if value is None:
        return None
    if field.kind == "text":
        if not isinstance(value, str):
            return FieldError("invalid_type", f"The field {key} must be a string.", parameter=key)
        if field.max_length is not None and len(value) > field.max_length:
            return FieldError(
                "too_long",
                f"The field {key} must be a string with a maximum length of {field.max_length}.",
                parameter=key,
            )
        if value.strip() and field.data_type and not DATA_TYPES[field.data_type](value.strip()):
            kind = {"EmailAddress": "e-mail address", "PhoneNumber": "phone number"}
            detail = f"The {key} field is not a valid {kind[field.data_type]}."
            return FieldError("invalid_format", detail, parameter=key)
        return None
    if field.kind == "bool":
        if isinstance(value, bool):
            return None
        return FieldError("invalid_type", f"The field {key} must be true or false.", parameter=key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return FieldError("invalid_type", f"The field {key} must be a number.", parameter=key)
    if field.kind == "decimal":
        return None
    if not isinstance(value, int) or not -INT32 - 1 <= value <= INT32:
        return FieldError("invalid_type", f"The field {key} must be an integer.", parameter=key)
    table = CODE_TABLES.get(field.kind)
    if table is not None and value != 0 and value not in table:
        return FieldError(
            "invalid_choice", f"{value} is not an iDoklad {field.kind} id ({key}).", parameter=key
        )
    return None


def read_contact(body: Any, verb: Verb) -> Changes:
    """The vendor fields of a request body, checked as the vendor's model checks them."""
    if not isinstance(body, Mapping):
        raise ValidationFailed(
            "The request is invalid.",
            errors=[FieldError("invalid_type", "The body must be a JSON object.", parameter="")],
        )
    changes = _by_name(body, [*(field.name for field in FIELDS), BANK_KEY])
    errors = [
        problem
        for field in FIELDS
        if field.name in changes and (problem := _problem(field, changes[field.name], field.name))
    ]
    required = {"POST": ("CompanyName", "CountryId"), "PUT": ("CompanyName",), "PATCH": ()}[verb]
    for name in ("CompanyName", "CountryId"):
        value = changes.get(name)
        # CompanyName may not be blanked even by a PATCH; CountryId 0 or null means "none".
        needed = name in required or (name == "CompanyName" and name in changes)
        if needed and _missing(value):
            errors.append(FieldError("required", f"The {name} field is required.", parameter=name))
    bank = changes.get(BANK_KEY)
    if isinstance(bank, Mapping):
        account = _by_name(bank, [field.name for field in BANK_FIELDS])
        for field in BANK_FIELDS:
            key = f"{BANK_KEY}.{field.name}"
            if field.name in account and (problem := _problem(field, account[field.name], key)):
                errors.append(problem)
        if verb == "POST" and not account.get("CurrencyId"):
            message = f"The {BANK_KEY}.CurrencyId field is required."
            errors.append(FieldError("required", message, parameter=f"{BANK_KEY}.CurrencyId"))
        changes[BANK_KEY] = account
    elif bank is not None:
        message = f"The field {BANK_KEY} must be an object."
        errors.append(FieldError("invalid_type", message, parameter=BANK_KEY))
    if errors:
        raise ValidationFailed(f"{errors[0].parameter}: {errors[0].detail}", errors=errors)
    return changes


def _assign(patch: dict[str, Any], account: dict[str, Any], path: str, value: Any) -> None:
    if path.startswith(f"{BANK}."):
        account[path[len(BANK) + 1 :]] = value
    else:
        set_path(patch, path, value)


def _write(
    target: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
    field: VendorField,
    value: Any,
    key: str,
) -> None:
    """Put one vendor value (None: reset) where the table says; note the text written."""
    patch, account, written = target
    if field.kind in CODE_TABLES:
        code = CODE_TABLES[field.kind].get(value) if value else None
        _assign(patch, account, field.canonical, code)
        set_path(patch, FALLBACK[field.name], value if value and code is None else None)
        return
    _assign(patch, account, field.canonical, value)
    if field.kind == "text":
        written[key] = value


def canonical_patch(changes: Changes, verb: Verb, document: dict[str, Any]) -> dict[str, Any]:
    """The canonical JSON Merge Patch for a vendor write onto `document` (the contact's
    writable canonical document; {} for a create). A PATCH sets what it sends; a PUT also
    resets every field of the vendor's PUT model it leaves out. Canonical fields the vendor
    does not map are never in the patch, so they survive."""
    patch: dict[str, Any] = {}
    written: dict[str, Any] = {}
    target: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] = (patch, {}, written)
    for field in FIELDS:
        if field.name in changes:
            _write(target, field, changes[field.name], field.name)
        elif verb == "PUT" and field.on_put:
            _write(target, field, None, field.name)
    if BANK_KEY in changes or verb == "PUT":
        patch["bank_accounts"] = _accounts(changes.get(BANK_KEY), verb, document, target)
    if written:
        set_path(patch, AS_WRITTEN, _as_written(merge_patch(document, patch), written))
    return patch


def _as_written(merged: dict[str, Any], written: dict[str, Any]) -> dict[str, Any]:
    """extensions.idoklad.AsWritten members: the text sent where the canonical model will store
    another form of it (so that a dialect read can return it), else null (none kept)."""
    accounts = merged.get("bank_accounts") or []
    index = default_account(accounts)
    sent = {key: text for key, text in written.items() if isinstance(text, str)}
    forms = stored_forms(merged, accounts[index] if index is not None else None, sent)
    return {
        key: text if key in sent and forms[key] != text else None for key, text in written.items()
    }


def _accounts(
    sent: Changes | None,
    verb: Verb,
    document: dict[str, Any],
    target: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> list[dict[str, Any]]:
    """The canonical bank accounts after a write of DefaultBankAccount (None: remove it).
    Only the default account changes; the contact's other accounts stay as they are."""
    patch, _, written = target
    accounts = [dict(account) for account in document.get("bank_accounts", [])]
    index = default_account(accounts)
    if sent is None:
        if index is not None:
            del accounts[index]
        set_path(patch, f"{EXT}.{BANK_KEY}", None)
        written.update({f"{BANK_KEY}.{field.name}": None for field in BANK_FIELDS})
        return accounts
    account = accounts[index] if index is not None else {}
    for field in BANK_FIELDS:
        if field.name in sent or verb != "PATCH" or index is None:
            value = sent.get(field.name)
            _write((patch, account, written), field, value, f"{BANK_KEY}.{field.name}")
    account["is_default"] = True
    if index is None:
        accounts.append(account)
    else:
        accounts[index] = account
    return accounts
