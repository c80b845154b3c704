"""Country codes and country names → ISO 3166-1 alpha-2.

Vendor systems and spreadsheets send "Türkiye", "TÜRKİYE", "Belgique" or "Česká republika"
where we store "TR", "BE", "CZ". The name table is built from pycountry: the English names
(short, official and common) plus their translations from the iso3166-1 gettext catalogues that
pycountry ships. Names are compared folded (case, accents, Turkish dotted/dotless I,
punctuation), so "TURKIYE" and "türkiye" match too.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from functools import cache, lru_cache

import pycountry

from counterparty.domain.identifiers.iso_codes import country_codes
from counterparty.domain.identifiers.result import CACHE_SIZE, Result, invalid, valid
from counterparty.domain.text import fold

# English is pycountry's source language; the others are the languages of our users' markets.
# German is added to the required Turkish, Czech, Slovak, Dutch and French because Belgium has a
# German-speaking community and "Deutschland" is common in address data.
NAME_LANGUAGES = ("tr", "cs", "sk", "nl", "fr", "de")

# Names the pycountry data lacks or gets wrong, each with its reason.
ALIASES: Mapping[str, str] = {
    # ISO renamed Turkey to Türkiye in 2022 and pycountry keeps no former names.
    "Turkey": "TR",
    # Colloquial names of the Netherlands (English and Dutch, French).
    "Holland": "NL",
    "Hollande": "NL",
    # "UK" and "EL" are ISO 3166 exceptional reservations, used by the EU for GB and Greece.
    "UK": "GB",
    "EL": "GR",
    "Great Britain": "GB",
    "England": "GB",
    "USA": "US",
    # pycountry's Slovak catalogue also gives this, Slovakia's official name, as the official
    # name of Gambia; the alias settles the clash for Slovakia.
    "Slovenská republika": "SK",
}

_ABBREVIATION_DOTS = re.compile(r"\.")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The comparison form of a country name: "U.S.A." → "usa", "Pays-Bas" → "pays bas"."""
    folded = _ABBREVIATION_DOTS.sub("", fold(name))
    return _NOT_ALPHANUMERIC.sub(" ", folded).strip()


@cache
def _names() -> dict[str, str]:
    """Folded name (or alpha-3 code) → alpha-2 code. A name that two countries share is left
    out rather than guessed, unless an alias settles it."""
    found: dict[str, set[str]] = {}
    translators = [gettext.NullTranslations()] + [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in NAME_LANGUAGES
    ]
    for country in pycountry.countries:
        found.setdefault(name_key(country.alpha_3), set()).add(country.alpha_2)
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            if not english:
                continue
            for translator in translators:
                found.setdefault(name_key(translator.gettext(english)), set()).add(country.alpha_2)
    table = {key: codes.pop() for key, codes in found.items() if len(codes) == 1}
    table.update({name_key(alias): code for alias, code in ALIASES.items()})
    return table


def country_from_name(name: str) -> str | None:
    """The alpha-2 code for a country name in one of the supported languages, or None."""
    return _names().get(name_key(name))


@lru_cache(maxsize=CACHE_SIZE)
def normalize_country(value: str) -> Result:
    """An ISO 3166-1 alpha-2 code, from a code (any case), an alpha-3 code or a name."""
    text = value.strip()
    code = text.upper()
    if code not in country_codes():
        found = country_from_name(text)
        if found is None:
            return invalid(
                text,
                "iso3166-1",
                "unknown_code",
                "country",
                "it is neither an ISO 3166-1 code nor a country name we know",
            )
        code = found
    country = pycountry.countries.get(alpha_2=code)
    return valid(code, "iso3166-1", country.name if country is not None else code)


__all__ = ["ALIASES", "NAME_LANGUAGES", "country_from_name", "name_key", "normalize_country"]
