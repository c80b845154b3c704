"""A canonical contact -> iDoklad's ContactApiModel, derived from the table; the read-only
`Bank`, `Country` and `Currency` objects from schwifty's bank registry and Babel's CLDR data.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from babel import Locale
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu.vat import MEMBER_STATES

from counterparty.dialects import base
from counterparty.dialects.base import Convert, get_path, shown_account
from counterparty.dialects.fields import VendorField, by_name
from counterparty.dialects.idoklad.codes import COUNTRY_CODES, COUNTRY_IDS, CURRENCY_IDS
from counterparty.dialects.idoklad.table import BANK_ACCOUNT, BANK_KEY, EXT, TABLE
from counterparty.dialects.typed import TYPED, stored_forms
from counterparty.domain.contact import Address, Contact

# The EU's member states: python-stdnum's VAT prefixes, less Northern Ireland's (XI).
EU = frozenset(code.upper() for code in MEMBER_STATES - {"xi"})
IDS = {"CountryId": COUNTRY_IDS, "CurrencyId": CURRENCY_IDS}
# Vendor member (dotted inside DefaultBankAccount) -> canonical path, for the texts typed.
TEXT_PATHS = {
    prefix + row.name: row.canonical
    for prefix, rows in (("", TABLE), (f"{BANK_KEY}.", BANK_ACCOUNT))
    for row in rows
    if row.type == "text" and isinstance(row.canonical, str)
}


def typed_texts(written: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Vendor member -> (canonical path, text typed), for `typed.stored_forms`."""
    return {key: (TEXT_PATHS[key], text) for key, text in written.items()}


@cache
def currency(code: str) -> dict[str, Any]:
    country = next((c for c in sorted(COUNTRY_IDS) if get_territory_currencies(c)[:1] == [code]),
                   None)  # fmt: skip
    return {
        "Code": code,
        "Country": "Evropská unie" if code == "EUR" else _name(country, "cs"),
        "Name": get_currency_name(code, locale="cs"),
        "Priority": CURRENCY_IDS[code],  # the order of iDoklad's own currency list
        "Symbol": get_currency_symbol(code, locale="cs"),
        "Id": CURRENCY_IDS[code],
    }


def _name(country: str | None, language: str) -> str | None:
    return None if country is None else Locale(language).territories.get(country, country)


def country(code: str, changed: str) -> dict[str, Any]:
    money = next(iter(get_territory_currencies(code)), "")
    return {
        "Code": code,
        "Currency": currency(money) if money in CURRENCY_IDS else None,
        "CurrencyId": CURRENCY_IDS.get(money, 0),
        "DateLastChange": changed,
        "Name": _name(code, "cs"),
        "NameEnglish": _name(code, "en"),
        "IsEuMember": code in EU,
        "Id": COUNTRY_IDS[code],
    }


def bank(iban: str | None, bank_id: int, changed: str) -> dict[str, Any] | None:
    """The bank a Czech or Slovak IBAN names, from schwifty's bank registry."""
    try:
        found = IBAN(iban).bank if iban and iban[:2] in ("CZ", "SK") else None
    except SchwiftyException:
        found = None
    if found is None:
        return None
    code = found.country_code
    return {
        "Code": found.bank_code,
        "Country": country(code, changed),
        "CountryId": COUNTRY_IDS[code],
        "DateLastChange": changed,
        "Name": found.name,
        "NumberCode": found.bank_code,
        "Swift": str(found.bic) if found.bic else None,
        "IsOutOfDate": False,
        "Id": bank_id,
    }


def _account_id(account: dict[str, Any]) -> int:
    """The account's own Id: a stable Int32 from its canonical id."""
    return int(UUID(account["id"]).hex[-7:], 16) or 1


def _list_id(table: tuple[VendorField, ...], name: str, view: dict[str, Any]) -> int | None:
    """A CountryId or CurrencyId: the id of the canonical code, else the id kept for a code
    ISO lacks, else 0 (none)."""
    code_path, kept_path = by_name(table)[name].paths
    code = get_path(view, code_path)
    return IDS[name].get(code) if code else (get_path(view, kept_path) or 0)


def _shown(typed: dict[str, str], prefix: str = "") -> Convert:
    """A one-to-one row's value as the vendor shows it: as typed, while the text still stands
    for it (`typed` is keyed by the member, dotted after `prefix` inside objects); a number's
    none as 0."""

    def shown(row: VendorField, value: Any) -> Any:
        value = typed.get(prefix + row.name, value)
        return row.default if value is None and not row.nullable else value

    return shown


def to_vendor(contact: Contact) -> dict[str, Any]:
    """The contact as iDoklad's ContactApiModel."""
    document = contact.model_dump(mode="json")
    index = shown_account(document["bank_accounts"])
    account = None if index is None else document["bank_accounts"][index]
    changed = contact.updated_at.isoformat()
    # The document as the vendor sees it: one bank account (the one it shows), times with offset.
    view = {**document, "bank_accounts": account, "updated_at": changed}
    sent = get_path(document, EXT(TYPED)) or {}
    texts = typed_texts({key: text for key, text in sent.items() if isinstance(text, str)})
    forms = stored_forms(document, account, texts) if texts else {}
    typed = {  # what the client wrote, while it still means the stored value
        key: text for key, (path, text) in texts.items() if forms[key] == get_path(view, path)
    }
    # CreditCheck is always 0: iDoklad no longer uses it.
    rules: dict[str, Any] = {
        "CreditCheck": 0,
        BANK_KEY: None,
        "CountryId": _list_id(TABLE, "CountryId", view),
    }
    if account is not None:
        code, bank_id = account.get("currency"), get_path(view, EXT(f"{BANK_KEY}.BankId")) or 0
        shown = {
            "Bank": bank(account.get("iban"), bank_id, changed),
            "Currency": currency(code) if code in CURRENCY_IDS else None,
            "DateLastChange": changed,
            "IsDefault": True,
            "Id": _account_id(account),
            "CurrencyId": _list_id(BANK_ACCOUNT, "CurrencyId", view),
        }
        rules[BANK_KEY] = base.to_vendor(BANK_ACCOUNT, view, shown, _shown(typed, f"{BANK_KEY}."))
    return base.to_vendor(TABLE, view, rules, _shown(typed))


def template(now: datetime) -> Contact:
    """The contact `GET Contacts/Default` shows: nothing filled in but the country (Czechia)."""
    czechia = Address(country_code=COUNTRY_CODES[2])
    return Contact.model_construct(
        id=UUID(int=0), number=0, version=0, created_at=now, updated_at=now, address=czechia
    )
