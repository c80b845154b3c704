"""Pure checks and normalisers for a contact's identifiers: no I/O, no database, no network.

Every `normalize_*` function returns a `Result` (compact form to store, formatted form to show,
status `valid` | `invalid` | `unverified`, the scheme that decided, a reason and a message) and
never raises for a bad value. `check_identifiers` runs them all over one contact.
"""

from __future__ import annotations

from counterparty.domain.identifiers.banking import bic_for_iban, normalize_bic, normalize_iban
from counterparty.domain.identifiers.contact_details import normalize_email, normalize_phone
from counterparty.domain.identifiers.countries import country_from_name, normalize_country
from counterparty.domain.identifiers.iso_codes import normalize_currency, normalize_language
from counterparty.domain.identifiers.peppol import normalize_peppol_id, suggest_peppol_id
from counterparty.domain.identifiers.report import (
    BankAccountIdentifiers,
    Check,
    IdentifierInput,
    IdentifierReport,
    PersonIdentifiers,
    Suggestion,
    check_identifiers,
)
from counterparty.domain.identifiers.result import Reason, Result, Status
from counterparty.domain.identifiers.tax import (
    belgian_enterprise_number,
    normalize_registration_number,
    normalize_tax_id,
)
from counterparty.domain.identifiers.vat import country_of_vat, normalize_vat, vat_prefix

__all__ = [
    "BankAccountIdentifiers",
    "Check",
    "IdentifierInput",
    "IdentifierReport",
    "PersonIdentifiers",
    "Reason",
    "Result",
    "Status",
    "Suggestion",
    "belgian_enterprise_number",
    "bic_for_iban",
    "check_identifiers",
    "country_from_name",
    "country_of_vat",
    "normalize_bic",
    "normalize_country",
    "normalize_currency",
    "normalize_email",
    "normalize_iban",
    "normalize_language",
    "normalize_peppol_id",
    "normalize_phone",
    "normalize_registration_number",
    "normalize_tax_id",
    "normalize_vat",
    "suggest_peppol_id",
    "vat_prefix",
]
