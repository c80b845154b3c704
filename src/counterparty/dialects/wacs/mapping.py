"""WACS DTO <-> canonical contact, following the table in fields.py.

`to_patch` turns a checked WACS body into a canonical JSON Merge Patch that sets every
canonical path the WACS view covers (null where the body has no value) and nothing else, so
a WACS update never resets what WACS cannot see. `to_dto` is the way back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from counterparty.dialects.base import get_path, set_path
from counterparty.dialects.wacs.fields import BOOLEAN, DATE, EXT, FIELDS, RULES, country_code
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_codes
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import compact
from counterparty.domain.verification import UNHELD

NAMESPACE = "wacs"
CUSTOMER, SUPPLIER = 1, 2  # FunctionalTypes codes
LANGUAGES: Mapping[int, str] = {1: "nl", 2: "fr", 3: "en", 4: "de"}  # Language -> ISO 639-1
LANGUAGE_CODES: Mapping[str, int] = {iso: code for code, iso in LANGUAGES.items()}
VAT_PREFIXES: Mapping[str, str] = {"GR": "EL"}  # ISO country -> VAT prefix, where they differ
VAT_COUNTRIES: Mapping[str, str] = {prefix: iso for iso, prefix in VAT_PREFIXES.items()}
KEPT_CONSENTS = ("given", "withdrawn")  # what NonGDPR=false cannot tell apart: left alone

# --- WACS -> canonical ------------------------------------------------------------------


def to_patch(
    values: Mapping[str, Any], current: Contact | None, parent_id: UUID | None
) -> dict[str, Any]:
    """The merge patch for a checked body (`fields.read_body`); `current` is None on create."""
    patch: dict[str, Any] = {}
    for field in FIELDS:
        if field.name not in RULES:
            set_path(patch, field.canonical, values[field.name])
    company = values["Company"]
    patch["kind"] = None if company is None else ("company" if company else "person")
    country = country_code(values["CountryISO"])
    set_path(patch, "address.country_code", country)
    unheld = values["CountryISO"] if country is None and values["CountryISO"] else None
    set_path(patch, EXT + UNHELD, None if unheld is None else {"address/country_code": unheld})
    patch["parent_id"] = None if parent_id is None else str(parent_id)
    _roles(patch, values["FunctionalTypes"])
    _language(patch, values["Language"], current)
    _consent(patch, values["NonGDPR"], current)
    _vat(patch, values["VATCountryISO"], values["VATNr"], country)
    patch["bank_accounts"] = _bank_accounts(values["Iban"], values["Bic"], current)
    kept = current.extensions.get(NAMESPACE, {}) if current else {}
    if not merge_patch(kept, patch["extensions"][NAMESPACE]):
        patch["extensions"][NAMESPACE] = None  # no empty namespace left behind
    return patch


def _derived_types(customer: bool, supplier: bool) -> list[int]:
    return [CUSTOMER] * customer + [SUPPLIER] * supplier


def _roles(patch: dict[str, Any], types: list[int] | None) -> None:
    if types is None:  # no list: the canonical defaults (a customer)
        patch["is_customer"] = patch["is_supplier"] = None
        set_path(patch, EXT + "FunctionalTypes", None)
        return
    customer, supplier = CUSTOMER in types, SUPPLIER in types
    patch["is_customer"], patch["is_supplier"] = customer, supplier
    derived = _derived_types(customer, supplier)
    set_path(patch, EXT + "FunctionalTypes", None if types == derived else list(types))


def _language(patch: dict[str, Any], code: int | None, current: Contact | None) -> None:
    set_path(patch, EXT + "Language", None if code is None or code in LANGUAGES else code)
    if code is not None:
        patch["language"] = LANGUAGES.get(code)
    elif current is None or current.language in LANGUAGE_CODES:
        patch["language"] = None
    # else: a language WACS has no code for (shown as null) survives a null Language


def _consent(patch: dict[str, Any], non_gdpr: bool | None, current: Contact | None) -> None:
    if non_gdpr:
        consent: str | None = "not_required"
    else:
        held = current.gdpr.consent if current else None
        consent = held if held in KEPT_CONSENTS else None
    set_path(patch, "gdpr.consent", consent)


def _has_vat_prefix(number: str) -> bool:
    prefix = number[:2]
    return prefix.isalpha() and (prefix in country_codes() or prefix in VAT_COUNTRIES)


def _vat(
    patch: dict[str, Any], given: str | None, number: str | None, address_country: str | None
) -> None:
    """vat_number is VATCountryISO + VATNr; a VATCountryISO that names no country (or comes
    without a VATNr) is kept as written instead."""
    country = country_code(given)
    kept = given if given is not None and (number is None or country is None) else None
    set_path(patch, EXT + "VATCountryISO", kept)
    if number is None:
        patch["vat_number"] = None
        return
    number = compact(number).upper()
    if given is None:
        country = None if _has_vat_prefix(number) else address_country
    prefix = VAT_PREFIXES.get(country, country) if country else ""
    patch["vat_number"] = number if number.startswith(prefix) else prefix + number


def _wacs_account(accounts: list[dict[str, Any]]) -> int | None:
    """Index of the bank account WACS shows: the default one (others are not in its view)."""
    return next((index for index, account in enumerate(accounts) if account["is_default"]), None)


def _bank_accounts(
    iban: str | None, bic: str | None, current: Contact | None
) -> list[dict[str, Any]]:
    accounts = (
        [account.model_dump(mode="json") for account in current.bank_accounts] if current else []
    )
    index = _wacs_account(accounts)
    if index is None:
        if iban is None and bic is None:
            return accounts
        return [*accounts, {"iban": iban, "bic": bic, "is_default": True}]
    account = {**accounts[index], "iban": iban, "bic": bic}
    if not any(account.get(name) for name in ("iban", "bic", "account_number", "bank_name")):
        del accounts[index]  # nothing left that WACS or anyone else could use
    else:
        accounts[index] = account
    return accounts


# --- canonical -> WACS ------------------------------------------------------------------


def to_dto(contact: Contact, parent_number: int | None) -> dict[str, Any]:
    """The WACS view of a contact: `ID` (the number) and every ContactInDTO field."""
    document = contact.model_dump(mode="json")
    wacs: Mapping[str, Any] = contact.extensions.get(NAMESPACE, {})
    special = _special_values(contact, wacs, parent_number)
    dto: dict[str, Any] = {"ID": contact.number}
    for field in FIELDS:
        if field.name in RULES:
            dto[field.name] = special[field.name]
            continue
        value = get_path(document, field.canonical)
        if field.type == BOOLEAN:
            value = bool(value)  # never null: a client's `bool` must bind
        elif field.type == DATE and value is not None:
            value = f"{value}T00:00:00"  # how ASP.NET writes a date-only DateTime
        dto[field.name] = value
    return dto


def _special_values(
    contact: Contact, wacs: Mapping[str, Any], parent_number: int | None
) -> dict[str, Any]:
    accounts = contact.bank_accounts
    index = _wacs_account([{"is_default": account.is_default} for account in accounts])
    account = accounts[index] if index is not None else None
    vat_country, vat_number = _split_vat(contact.vat_number)
    language = contact.language
    return {
        "Bic": account.bic if account else None,
        "Iban": account.iban if account else None,
        "Company": contact.kind == "company",
        "CountryISO": contact.address.country_code or _unheld_country(wacs),
        "FunctionalTypes": _functional_types(contact, wacs.get("FunctionalTypes")),
        "Language": LANGUAGE_CODES.get(language) if language else _int(wacs.get("Language")),
        "NonGDPR": contact.gdpr.consent == "not_required",
        "ParentID": parent_number,
        "VATCountryISO": vat_country or wacs.get("VATCountryISO"),
        "VATNr": vat_number,
    }


def _unheld_country(wacs: Mapping[str, Any]) -> str | None:
    kept = wacs.get(UNHELD)
    found = kept.get("address/country_code") if isinstance(kept, Mapping) else None
    return found if isinstance(found, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _functional_types(contact: Contact, stored: Any) -> list[int]:
    derived = _derived_types(contact.is_customer, contact.is_supplier)
    if not isinstance(stored, list):
        return derived
    kept = [
        code
        for code in map(_int, stored)
        if code is not None
        and (
            (code != CUSTOMER or contact.is_customer) and (code != SUPPLIER or contact.is_supplier)
        )
    ]
    return [code for code in derived if code not in kept] + kept


def _split_vat(vat_number: str | None) -> tuple[str | None, str | None]:
    if vat_number and len(vat_number) > 2 and _has_vat_prefix(vat_number):
        prefix = vat_number[:2]
        return VAT_COUNTRIES.get(prefix, prefix), vat_number[2:]
    return None, vat_number
