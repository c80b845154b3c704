"""Normalisers for the contact's plain-value fields: e-mail and ISO codes.

Each returns the stored form or raises `FieldProblem` with a stable code. Tax and bank
identifiers have their own module because they need the contact's country and a report.
"""

from __future__ import annotations

from functools import cache

import pycountry
from email_validator import EmailNotValidError, validate_email

from counterparty.domain import identifiers


class FieldProblem(ValueError):
    """A value that cannot be stored; `code` is stable, the message is for humans."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def language_codes() -> frozenset[str]:
    return frozenset(
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    )


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def normalize_country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 from a code, an alpha-3 code or a country name in English,
    Turkish, Czech, Slovak, Dutch, French or German."""
    result = identifiers.normalize_country(value)
    if not result.is_valid:
        raise FieldProblem("invalid_country", f"'{value}' is not a country we know")
    return result.compact


def normalize_language(value: str) -> str:
    code = value.strip().lower()
    if code not in language_codes():
        raise FieldProblem("invalid_language", f"'{value}' is not an ISO 639-1 language code")
    return code


def normalize_currency(value: str) -> str:
    code = value.strip().upper()
    if code not in currency_codes():
        raise FieldProblem("invalid_currency", f"'{value}' is not an ISO 4217 currency code")
    return code


def normalize_email(value: str) -> str:
    """Syntax only, never the network: deliverability is not a request-path concern."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise FieldProblem("invalid_email", str(exc)) from None


def country_code_for(value: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a code or a country name ("Türkiye", "TÜRKİYE", "NL");
    None when the value names no country we know."""
    result = identifiers.normalize_country(value)
    return result.compact if result.is_valid else None
