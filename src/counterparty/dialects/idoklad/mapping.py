"""iDoklad v2 contact fields <-> the canonical contact: the table, then both directions.

The table is ContactPatchApiModel / ContactPutModelV2 / ContactPostApiModel / ContactApiModel of
shared/docs/seed-apis.md, section 5, and its cross-system table. `max_length` is the vendor's
"Délka: mezi 0 a N včetně"; `on_put` is False for the two fields ContactPutModelV2 lacks, which a
PUT therefore leaves alone when it omits them. Paths under `extensions.idoklad` are the vendor
fields with no canonical home; `bank_accounts[default]` is the default bank account (else the
first one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from counterparty.dialects.base import get_path
from counterparty.dialects.idoklad.codes import COUNTRY_IDS, CURRENCY_IDS
from counterparty.domain.contact import Contact
from counterparty.domain.identifiers import (
    BankAccountIdentifiers,
    IdentifierInput,
    check_identifiers,
)

Kind = Literal["text", "int", "decimal", "bool", "country", "currency"]
EXT = "extensions.idoklad"
BANK = "bank_accounts[default]"
BANK_KEY = "DefaultBankAccount"


@dataclass(frozen=True)
class VendorField:
    name: str  # the vendor's field
    canonical: str  # where it is stored (dotted canonical path)
    kind: Kind
    max_length: int | None = None
    on_put: bool = True  # in ContactPutModelV2: a PUT that leaves it out resets it
    data_type: str | None = None  # the vendor's "Data type:" check (ASP.NET DataAnnotations)


FIELDS: tuple[VendorField, ...] = (
    VendorField("CompanyName", "name", "text", 200),  # required (POST, PUT; not blank on PATCH)
    VendorField("Title", "title", "text", 50),
    VendorField("Firstname", "first_name", "text", 50),
    VendorField("Surname", "last_name", "text", 50),
    VendorField("IdentificationNumber", "registration_number", "text", 20),  # IČ / IČO
    VendorField("VatIdentificationNumber", "vat_number", "text", 20),  # DIČ / IČ DPH
    VendorField("VatIdentificationNumberSk", "tax_id", "text", 20),  # SK DIČ
    VendorField("Street", "address.street", "text", 100),
    VendorField("City", "address.city", "text", 50),
    VendorField("PostalCode", "address.postal_code", "text", 11),
    VendorField("CountryId", "address.country_code", "country"),  # required on POST; codes.py
    VendorField("Email", "email", "text", 254, data_type="EmailAddress"),
    VendorField("Phone", "phone", "text", 20, data_type="PhoneNumber"),
    VendorField("Mobile", "mobile", "text", 20),
    VendorField("Fax", "fax", "text", 20),
    VendorField("Www", "website", "text", 50),
    VendorField("DefaultInvoiceMaturity", "payment_terms_days", "int", on_put=False),
    VendorField("DiscountPercentage", "discount_percent", "decimal"),
    VendorField("IsSendReminder", "send_reminders", "bool"),
    VendorField("IsRegisteredForVatOnPay", f"{EXT}.IsRegisteredForVatOnPay", "bool", on_put=False),
)
# DefaultBankAccount (BankAccountPutApiModel / BankAccountPostApiModel; CurrencyId required on POST)
BANK_FIELDS: tuple[VendorField, ...] = (
    VendorField("AccountNumber", f"{BANK}.account_number", "text", 50),
    VendorField("BankId", f"{EXT}.DefaultBankAccount.BankId", "int"),  # iDoklad's bank list
    VendorField("CurrencyId", f"{BANK}.currency", "currency"),  # codes.py
    VendorField("Iban", f"{BANK}.iban", "text", 50),
    VendorField("Name", f"{EXT}.DefaultBankAccount.Name", "text", 100),  # the account's name
    VendorField("Swift", f"{BANK}.bic", "text", 11),
)
# Read-only (ContactApiModel): Id <- number, AddressIdg <- id, DateLastChange <- updated_at,
# CreditCheck (always 0); in DefaultBankAccount: Id, Bank, Currency, DateLastChange, IsDefault.
# Request bodies may carry them (a fetched record can be sent back as it is); they are ignored.
# Also in extensions.idoklad:
#   CountryId / DefaultBankAccount.CurrencyId  an iDoklad id with no current ISO code (Kosovo,
#       BGN...), kept instead of address.country_code / the account's currency
#   AsWritten  {vendor field: the exact text sent} where the canonical form differs (E.164
#       phone, compacted VAT number, "" for null); returned while it still normalises to the
#       stored value, so what a client writes reads back unchanged
FALLBACK = {"CountryId": f"{EXT}.CountryId", "CurrencyId": f"{EXT}.DefaultBankAccount.CurrencyId"}
AS_WRITTEN = f"{EXT}.AsWritten"
# The text fields the core normalises as identifiers (IdentifierInput members), by vendor key.
CHECKED = {
    "Email": "email",
    "Phone": "phone",
    "Mobile": "mobile",
    "Fax": "fax",
    "VatIdentificationNumberSk": "tax_id",
    "VatIdentificationNumber": "vat_number",
    "IdentificationNumber": "registration_number",
    f"{BANK_KEY}.Iban": f"{BANK}.iban",
    f"{BANK_KEY}.Swift": f"{BANK}.bic",
}
CODES = {"country": COUNTRY_IDS, "currency": CURRENCY_IDS}

# Canonical error pointers -> vendor fields (see base.vendor_field_for; list indexes dropped).
CANONICAL_TO_VENDOR: dict[str, str] = {
    **{field.canonical: field.name for field in FIELDS},
    **{
        field.canonical.replace(f"{BANK}.", "bank_accounts."): f"{BANK_KEY}.{field.name}"
        for field in BANK_FIELDS
    },
    "bank_accounts": BANK_KEY,
    f"{EXT}.CountryId": "CountryId",
}


def stored_forms(
    document: dict[str, Any], account: dict[str, Any] | None, written: dict[str, str]
) -> dict[str, Any]:
    """What the canonical model stores for each text of `written` (vendor key -> text), next
    to the other values of `document`: the core's own normalisers decide (identifiers and
    phone numbers depend on the address country), plain text is trimmed, "" is null."""

    def text(key: str, path: str) -> str | None:
        value = written[key] if key in written else stored(path, document, account)
        return value.strip() or None if isinstance(value, str) else None

    bank = f"{BANK_KEY}."
    data = IdentifierInput(
        country_code=get_path(document, "address.country_code"),
        **{path: text(name, path) for name, path in CHECKED.items() if not name.startswith(bank)},
        bank_accounts=(
            BankAccountIdentifiers(
                text(f"{bank}Iban", f"{BANK}.iban"), text(f"{bank}Swift", f"{BANK}.bic")
            ),
        ),
    )
    values = check_identifiers(data).values
    checked = {name: getattr(values, path) for name, path in CHECKED.items() if "." not in path}
    checked[f"{bank}Iban"] = values.bank_accounts[0].iban
    checked[f"{bank}Swift"] = values.bank_accounts[0].bic
    return {
        key: checked[key] if key in checked else (value.strip() or None)
        for key, value in written.items()
    }


def default_account(accounts: list[dict[str, Any]]) -> int | None:
    """Index of the account shown as DefaultBankAccount: the default one, else the first."""
    flagged = [index for index, account in enumerate(accounts) if account.get("is_default")]
    return flagged[0] if flagged else (0 if accounts else None)


def stored(path: str, document: dict[str, Any], account: dict[str, Any] | None) -> Any:
    """The canonical value behind a table path (`bank_accounts[default].x` reads `account`)."""
    if path.startswith(f"{BANK}."):
        return get_path(account or {}, path[len(BANK) + 1 :])
    return get_path(document, path)


def _shown(field: VendorField, value: Any, document: dict[str, Any]) -> Any:
    if field.kind in ("country", "currency"):
        none = 0 if field.kind == "country" else None  # CountryId is a non-nullable int
        if value is not None:
            return CODES[field.kind].get(value, none)
        kept = get_path(document, FALLBACK[field.name])
        return none if kept is None else kept
    if field.kind == "bool" and value is None:
        return False
    return value


def to_vendor(contact: Contact) -> dict[str, Any]:
    """The contact as iDoklad's ContactApiModel."""
    document = contact.model_dump(mode="json")
    accounts = document["bank_accounts"]
    index = default_account(accounts)
    account = accounts[index] if index is not None else None
    sent = get_path(document, AS_WRITTEN) or {}
    sent = {key: text for key, text in sent.items() if isinstance(text, str)}
    forms = stored_forms(document, account, sent) if sent else {}
    changed = contact.updated_at.isoformat()

    def shown(field: VendorField, key: str) -> Any:
        value = stored(field.canonical, document, account)
        if key in forms and forms[key] == value:
            return sent[key]  # what the client wrote, while it still means the stored value
        return _shown(field, value, document)

    vendor: dict[str, Any] = {
        "Id": contact.number,
        "AddressIdg": str(contact.id),
        "CreditCheck": 0,  # iDoklad no longer uses it
        "DateLastChange": changed,
    }
    vendor.update({field.name: shown(field, field.name) for field in FIELDS})
    vendor[BANK_KEY] = None
    if account is not None:
        bank = {field.name: shown(field, f"{BANK_KEY}.{field.name}") for field in BANK_FIELDS}
        currency, code = bank["CurrencyId"], account.get("currency")
        bank.update(
            Id=contact.number,  # one default account per contact: it shares the contact's Id
            Bank=None,  # iDoklad's bank list is not kept; BankId is returned as written
            Currency=None if currency is None or code is None else {"Id": currency, "Code": code},
            DateLastChange=changed,
            IsDefault=True,
        )
        vendor[BANK_KEY] = bank
    return vendor
