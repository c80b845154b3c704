"""A canonical contact -> the vendor's customer resource, following the table."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from typing import Any

import pycountry

from counterparty.dialects.base import get_path, shown_account
from counterparty.dialects.faturaentegrator.table import NAMESPACE, TABLE
from counterparty.dialects.laravel import laravel_time
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_code_for


def resource(contact: Contact) -> dict[str, Any]:
    """One customer as the vendor's API resource: every member, null where there is none."""
    document = contact.model_dump(mode="json")
    extension: Mapping[str, Any] = document["extensions"].get(NAMESPACE, {})
    code = contact.address.country_code
    accounts = document["bank_accounts"]
    shown = shown_account(accounts)
    rules = {
        "type": contact.kind,
        "title": contact.name if contact.kind == "company" else extension.get("title"),
        "country": _country_name(code, extension.get("country")),
        "phone": _vendor_phone(contact.phone, code),
        "iban": None if shown is None else accounts[shown]["iban"],
        "created_at": laravel_time(contact.created_at),
        "updated_at": laravel_time(contact.updated_at),
    }
    return {
        row.name: get_path(document, row.canonical)
        if isinstance(row.canonical, str)
        else rules[row.name]
        for row in TABLE
    }


def _country_name(code: str | None, written: str | None) -> str | None:
    """The spelling written while it still names the stored code, else the code's Turkish
    name in Turkish upper case ("ALMANYA")."""
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
