"""ISO 3166-1 country, ISO 639-1 language and ISO 4217 currency codes, from pycountry.

This package keeps its own code sets rather than importing `counterparty.domain.fields`, so that
`fields` can delegate to this package without an import cycle.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pycountry

from counterparty.domain.identifiers.result import CACHE_SIZE, Result, invalid, valid


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def _language_alpha_2() -> dict[str, str]:
    """ISO 639-1 codes, reachable from themselves and from their ISO 639-2/3 three-letter code."""
    table: dict[str, str] = {}
    for language in pycountry.languages:
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2 is None:
            continue
        table[alpha_2] = alpha_2
        for attribute in ("alpha_3", "bibliographic"):
            code = getattr(language, attribute, None)
            if code:
                table[code] = alpha_2
    return table


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def is_country_code(code: str) -> bool:
    return code.upper() in country_codes()


@lru_cache(maxsize=CACHE_SIZE)
def normalize_language(value: str) -> Result:
    """An ISO 639-1 code. Locale tags ("nl-BE", "tr_TR") and three-letter codes ("nld", "dut")
    are accepted too, because vendor systems send them, and reduced to the two-letter code."""
    code = value.strip().replace("_", "-").split("-")[0].lower()
    alpha_2 = _language_alpha_2().get(code)
    if alpha_2 is None:
        return invalid(value.strip(), "iso639-1", "unknown_code", "ISO 639-1 language code")
    return valid(alpha_2, "iso639-1")


@lru_cache(maxsize=CACHE_SIZE)
def normalize_currency(value: str) -> Result:
    code = value.strip().upper()
    if code not in currency_codes():
        return invalid(value.strip(), "iso4217", "unknown_code", "ISO 4217 currency code")
    return valid(code, "iso4217")


__all__ = [
    "country_codes",
    "currency_codes",
    "is_country_code",
    "normalize_currency",
    "normalize_language",
]
