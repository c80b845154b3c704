"""A canonical contact -> the WACS DTO: `ID` (the number) and every ContactInDTO member,
booleans never null, other unset values null."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counterparty.dialects.base import to_vendor
from counterparty.dialects.fields import VendorField
from counterparty.dialects.wacs.inbound import (
    CUSTOMER,
    LANGUAGE_CODES,
    SUPPLIER,
    VAT_COUNTRIES,
    derived_types,
    has_vat_prefix,
    wacs_account,
)
from counterparty.dialects.wacs.table import NAMESPACE, TABLE
from counterparty.domain.contact import Contact
from counterparty.domain.verification import UNHELD


def to_dto(contact: Contact, parent_number: int | None) -> dict[str, Any]:
    """The WACS view of a contact: `ID` (the number) and every ContactInDTO field."""
    document = contact.model_dump(mode="json")
    wacs: Mapping[str, Any] = contact.extensions.get(NAMESPACE, {})
    return to_vendor(TABLE, document, _special_values(contact, wacs, parent_number), _shown)


def _shown(row: VendorField, value: Any) -> Any:
    if row.type == "boolean":
        return bool(value)  # never null: a client's `bool` must bind
    if row.type == "date" and value is not None:
        return f"{value}T00:00:00"  # how ASP.NET writes a date-only DateTime
    return value


def _special_values(
    contact: Contact, wacs: Mapping[str, Any], parent_number: int | None
) -> dict[str, Any]:
    accounts = contact.bank_accounts
    index = wacs_account([{"is_default": account.is_default} for account in accounts])
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
    derived = derived_types(contact.is_customer, contact.is_supplier)
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
    if vat_number and len(vat_number) > 2 and has_vat_prefix(vat_number):
        prefix = vat_number[:2]
        return VAT_COUNTRIES.get(prefix, prefix), vat_number[2:]
    return None, vat_number
