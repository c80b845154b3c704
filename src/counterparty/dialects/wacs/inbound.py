"""A WACS body -> the canonical merge patch that sets every path the WACS view covers (null
where the body has no value) and nothing else, so a WACS write never resets what WACS cannot
see. Plain rows of the table are copied; the rules below are the table's `Rule`s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from counterparty.dialects import aspnet
from counterparty.dialects.base import set_path, to_canonical
from counterparty.dialects.wacs.table import BODY, EXT, NAMESPACE, TABLE
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_code_for, country_codes
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.text import compact
from counterparty.domain.verification import UNHELD

WRITABLE = tuple(row for row in TABLE if not row.read_only)
CUSTOMER, SUPPLIER = 1, 2  # FunctionalTypes codes
LANGUAGES: Mapping[int, str] = {1: "nl", 2: "fr", 3: "en", 4: "de"}  # Language -> ISO 639-1
LANGUAGE_CODES: Mapping[str, int] = {iso: code for code, iso in LANGUAGES.items()}
VAT_PREFIXES: Mapping[str, str] = {"GR": "EL"}  # ISO country -> VAT prefix, where they differ
VAT_COUNTRIES: Mapping[str, str] = {prefix: iso for iso, prefix in VAT_PREFIXES.items()}
KEPT_CONSENTS = ("given", "withdrawn")  # what NonGDPR=false cannot tell apart: left alone


def read_body(body: Any) -> dict[str, Any]:
    """Every WACS member (None where the body has no value), bound as Json.NET binds them and
    checked by the page's rules; every broken rule is reported at once."""
    if not isinstance(body, dict):
        raise aspnet.invalid(BODY, "The request body must be a JSON object (a ContactInDTO).")
    values, problems = aspnet.bind(body, WRITABLE, coerce=True, prefix=f"{BODY}.")
    broken = {problem.parameter for problem in problems}
    rest = {name: value for name, value in values.items() if f"{BODY}.{name}" not in broken}
    aspnet.refuse(problems + aspnet.checked(WRITABLE, rest, "PUT", prefix=f"{BODY}."))
    return {**dict.fromkeys(row.name for row in WRITABLE), **values}


def country_code(value: str | None) -> str | None:
    """The ISO code a CountryISO or VATCountryISO names (EL is Greece's VAT prefix), if any."""
    if value is None:
        return None
    return "GR" if value.upper() == "EL" else country_code_for(value)


def to_patch(
    values: Mapping[str, Any], current: Contact | None, parent_id: UUID | None
) -> dict[str, Any]:
    """The merge patch for a checked body (`read_body`); `current` is None on create."""
    patch = to_canonical(WRITABLE, values)
    company = values["Company"]
    patch["kind"] = None if company is None else ("company" if company else "person")
    country = country_code(values["CountryISO"])
    set_path(patch, "address.country_code", country)
    unheld = values["CountryISO"] if country is None and values["CountryISO"] else None
    set_path(patch, EXT(UNHELD), None if unheld is None else {"address/country_code": unheld})
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


def derived_types(customer: bool, supplier: bool) -> list[int]:
    return [CUSTOMER] * customer + [SUPPLIER] * supplier


def _roles(patch: dict[str, Any], types: list[int] | None) -> None:
    if types is None:  # no list: the canonical defaults (a customer)
        patch["is_customer"] = patch["is_supplier"] = None
        set_path(patch, EXT("FunctionalTypes"), None)
        return
    customer, supplier = CUSTOMER in types, SUPPLIER in types
    patch["is_customer"], patch["is_supplier"] = customer, supplier
    derived = derived_types(customer, supplier)
    set_path(patch, EXT("FunctionalTypes"), None if types == derived else list(types))


def _language(patch: dict[str, Any], code: int | None, current: Contact | None) -> None:
    set_path(patch, EXT("Language"), None if code is None or code in LANGUAGES else code)
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


def has_vat_prefix(number: str) -> bool:
    prefix = number[:2]
    return prefix.isalpha() and (prefix in country_codes() or prefix in VAT_COUNTRIES)


def _vat(
    patch: dict[str, Any], given: str | None, number: str | None, address_country: str | None
) -> None:
    """vat_number is VATCountryISO + VATNr; a VATCountryISO that names no country (or comes
    without a VATNr) is kept as written instead."""
    country = country_code(given)
    kept = given if given is not None and (number is None or country is None) else None
    set_path(patch, EXT("VATCountryISO"), kept)
    if number is None:
        patch["vat_number"] = None
        return
    number = compact(number).upper()
    if given is None:
        country = None if has_vat_prefix(number) else address_country
    prefix = VAT_PREFIXES.get(country, country) if country else ""
    patch["vat_number"] = number if number.startswith(prefix) else prefix + number


def wacs_account(accounts: list[dict[str, Any]]) -> int | None:
    """Index of the bank account WACS shows: the default one (others are not in its view)."""
    return next((index for index, account in enumerate(accounts) if account["is_default"]), None)


def _bank_accounts(
    iban: str | None, bic: str | None, current: Contact | None
) -> list[dict[str, Any]]:
    accounts = (
        [account.model_dump(mode="json") for account in current.bank_accounts] if current else []
    )
    index = wacs_account(accounts)
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
