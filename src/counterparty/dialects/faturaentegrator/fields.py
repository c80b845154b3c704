"""Fatura Entegratör customer fields <-> the canonical contact: the table, then both directions.

Every vendor field is a string. The table is the mapping of shared/docs/seed-apis.md, section 3
and its cross-system table: `city` is the il (province, canonical `address.state`), `district`
the ilçe (canonical `address.city`). `max_length` is the vendor-level limit (the vendor documents
none, so it is the limit of the canonical field the value lands in); `required` is the
create-time rule: always, only for one `type`, or never ("").
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from counterparty.dialects.base import get_path, set_path
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_code_for

NAMESPACE = "faturaentegrator"  # extensions.faturaentegrator holds what has no canonical home


@dataclass(frozen=True)
class VendorField:
    name: str  # the vendor's field
    canonical: str  # where it is stored (dotted canonical path)
    max_length: int  # iban: 34 once compacted (checked by the core), 42 with spaces
    required: str  # "always", "company" or "person" (only for that type), "" (optional)


FIELDS: tuple[VendorField, ...] = (
    VendorField("type", "kind", 7, "always"),  # person | company
    VendorField("tax_number", "tax_id", 11, "always"),  # VKN 10 / TCKN 11 digits
    VendorField("tax_office", "tax_office", 100, "company"),
    VendorField("title", "name", 200, "company"),  # person: extensions.faturaentegrator.title
    VendorField("name", "first_name", 100, "person"),
    VendorField("surname", "last_name", 100, "person"),
    VendorField("country", "address.country_code", 100, "always"),  # a NAME; see below
    VendorField("city", "address.state", 200, "always"),  # il (province)
    VendorField("district", "address.city", 200, "always"),  # ilçe (district / town)
    VendorField("address", "address.street", 200, "always"),  # açık adres, free text
    VendorField("postcode", "address.postal_code", 20, ""),
    VendorField("phone", "phone", 32, ""),  # TR numbers shown as 10 digits, no +90
    VendorField("email", "email", 254, ""),
    VendorField("iban", "bank_accounts[default].iban", 42, ""),  # default, else first account
)
# Stored next to the canonical value, in extensions.faturaentegrator:
#   title    the `title` of a person (the canonical `name` of a person is "name surname")
#   country  the country name as written ("TÜRKİYE"), returned while it still names the
#            stored address.country_code; otherwise the Turkish name of the code is returned
EXTENSION_FIELDS = {"title": "title", "country": "country"}

FIELD_NAMES = tuple(field.name for field in FIELDS)
COMPUTED = frozenset({"title", "country", "phone", "iban"})  # not a plain path copy
NAME_FIELDS = frozenset({"type", "title", "name", "surname"})
# Canonical error pointers -> vendor field (see base.vendor_field_for).
CANONICAL_TO_VENDOR: dict[str, str] = {
    **{field.canonical: field.name for field in FIELDS if field.name != "iban"},
    "bank_accounts": "iban",
    **{f"extensions.{NAMESPACE}.{key}": name for key, name in EXTENSION_FIELDS.items()},
}

VendorRecord = dict[str, str | None]


# --- canonical -> vendor ---------------------------------------------------------------------


def to_vendor(contact: Contact) -> VendorRecord:
    """The vendor's view of a contact: every field, None where there is no value."""
    document = contact.model_dump(mode="json")
    extension: Mapping[str, Any] = document["extensions"].get(NAMESPACE, {})
    code = contact.address.country_code
    view: VendorRecord = {
        field.name: get_path(document, field.canonical)
        for field in FIELDS
        if field.name not in COMPUTED
    }
    view["title"] = contact.name if contact.kind == "company" else extension.get("title")
    view["country"] = _country_name(code, extension.get("country"))
    view["phone"] = _vendor_phone(contact.phone, code)
    accounts = document["bank_accounts"]
    shown = _shown_account(accounts)
    view["iban"] = None if shown is None else accounts[shown]["iban"]
    return {name: view[name] for name in FIELD_NAMES}


def _country_name(code: str | None, written: str | None) -> str | None:
    if code is None:
        return None
    if written and country_code_for(written) == code:
        return written
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return turkish_upper(_turkish_country_names().gettext(country.name))


@cache
def _turkish_country_names() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["tr"], fallback=True)


def turkish_upper(text: str) -> str:
    """Upper case with the Turkish dotted and dotless I: "Türkiye" -> "TÜRKİYE"."""
    return text.replace("i", "İ").replace("ı", "I").upper()


def _vendor_phone(phone: str | None, country_code: str | None) -> str | None:
    """Turkish numbers the way the vendor writes them ("5321234567"); others stay E.164."""
    if phone and country_code == "TR" and phone.startswith("+90") and len(phone) == 13:
        return phone[3:]
    return phone


def _shown_account(accounts: list[dict[str, Any]]) -> int | None:
    """The bank account behind the vendor's single `iban`: the default one, else the first."""
    for index, account in enumerate(accounts):
        if account.get("is_default"):
            return index
    return 0 if accounts else None


# --- vendor -> canonical ---------------------------------------------------------------------


def canonical_patch(
    changes: Mapping[str, str | None], merged: Mapping[str, str | None], current: Contact | None
) -> dict[str, Any]:
    """A canonical JSON Merge Patch that sets every canonical path behind `changes`.

    `changes` are the vendor fields written (None clears), `merged` the whole vendor record
    after the write, `current` the stored contact (None on create).
    """
    patch: dict[str, Any] = {}
    extension: dict[str, str | None] = {}
    for field in FIELDS:
        if field.name in changes and field.name not in COMPUTED:
            set_path(patch, field.canonical, changes[field.name])
    if "phone" in changes:
        patch["phone"] = changes["phone"]
    if NAME_FIELDS & changes.keys():
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
    shown = _shown_account(accounts)
    if shown is None:
        return [] if iban is None else [{"iban": iban, "is_default": True}]
    accounts[shown]["iban"] = iban
    if iban is None and not accounts[shown].get("account_number"):
        del accounts[shown]
    return accounts
