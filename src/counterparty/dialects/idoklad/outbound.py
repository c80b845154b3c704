"""A canonical contact -> iDoklad's ContactApiModel, following the table.

Numbers are never null (.NET value types; 0 when unset). `DefaultBankAccount` is the default
canonical account (else the first), with its own `Id`, the `Bank` its IBAN names (schwifty's
bank registry) and the full `Currency`; countries and currencies carry Czech and English names
and symbols from Babel's CLDR data.
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

from counterparty.dialects.base import get_path
from counterparty.dialects.idoklad.codes import COUNTRY_CODES, COUNTRY_IDS, CURRENCY_IDS
from counterparty.dialects.idoklad.table import ACCOUNT, BANK_ACCOUNT, BANK_KEY, EXT, TABLE
from counterparty.dialects.typed import TYPED, stored_forms
from counterparty.domain.contact import Address, Contact

EU = frozenset(  # the member states of the European Union
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
FALLBACK = {"CountryId": EXT("CountryId"), "CurrencyId": EXT("DefaultBankAccount.CurrencyId")}


def default_account(accounts: list[dict[str, Any]]) -> int | None:
    """Index of the account shown as DefaultBankAccount: the default one, else the first."""
    flagged = [index for index, account in enumerate(accounts) if account.get("is_default")]
    return flagged[0] if flagged else (0 if accounts else None)


def _path(key: str) -> str:
    rows = BANK_ACCOUNT if key.startswith(f"{BANK_KEY}.") else TABLE
    row = next(row for row in rows if row.name == key.rsplit(".", 1)[-1])
    return row.canonical if isinstance(row.canonical, str) else ""


def typed_texts(written: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Vendor member -> (canonical path, text typed), for `typed.stored_forms`."""
    return {key: (_path(key), text) for key, text in written.items()}


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
    known = money in CURRENCY_IDS
    return {
        "Code": code,
        "Currency": currency(money) if known and money else None,
        "CurrencyId": CURRENCY_IDS[money] if known and money else 0,
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


def to_vendor(contact: Contact) -> dict[str, Any]:
    """The contact as iDoklad's ContactApiModel."""
    document = contact.model_dump(mode="json")
    accounts = document["bank_accounts"]
    index = default_account(accounts)
    account = accounts[index] if index is not None else None
    sent = get_path(document, EXT(TYPED)) or {}
    sent = {key: text for key, text in sent.items() if isinstance(text, str)}
    forms = stored_forms(document, account, typed_texts(sent)) if sent else {}
    changed = contact.updated_at.isoformat()

    def shown(row: Any, key: str) -> Any:
        if row.name in FALLBACK:
            code = get_path(account or {}, "currency") if row.name == "CurrencyId" else (
                contact.address.country_code)  # fmt: skip
            ids = CURRENCY_IDS if row.name == "CurrencyId" else COUNTRY_IDS
            return ids.get(code) if code else (get_path(document, FALLBACK[row.name]) or 0)
        path = row.canonical
        value = get_path(account or {}, path.removeprefix(f"{ACCOUNT}.")) if path.startswith(
            f"{ACCOUNT}.") else get_path(document, path)  # fmt: skip
        if key in forms and forms[key] == value:
            return sent[key]  # what the client wrote, while it still means the stored value
        return row.default if value is None and not row.nullable else value

    values: dict[str, Any] = {
        "AddressIdg": str(contact.id),
        "CreditCheck": 0,  # iDoklad no longer uses it
        "DateLastChange": changed,
        "Id": contact.number,
        BANK_KEY: None,
    }
    for row in TABLE:
        if row.name not in values:
            values[row.name] = shown(row, row.name)
    if account is not None:
        member = {row.name: shown(row, f"{BANK_KEY}.{row.name}") for row in BANK_ACCOUNT
                  if not row.read_only}  # fmt: skip
        code = account.get("currency")
        member.update(
            Bank=bank(account.get("iban"), member["BankId"], changed),
            Currency=currency(code) if code in CURRENCY_IDS else None,
            DateLastChange=changed,
            IsDefault=True,
            Id=_account_id(account),
        )
        values[BANK_KEY] = {row.name: member[row.name] for row in BANK_ACCOUNT}
    return {row.name: values[row.name] for row in TABLE}


def template(now: datetime) -> Contact:
    """The contact `GET Contacts/Default` shows: nothing filled in but the country (Czechia)."""
    czechia = Address(country_code=COUNTRY_CODES[2])
    return Contact.model_construct(
        id=UUID(int=0), number=0, version=0, created_at=now, updated_at=now, address=czechia
    )
