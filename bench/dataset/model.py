"""The shape of a country's vocabulary: places, names, trades and number plans."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    weight: int
    # The first digits of the city's postal codes, and its telephone area code (after the
    # country calling code, without the trunk 0).
    postal_prefix: str
    area_code: str
    # Districts, for countries whose addresses carry one (Turkey); there they also name the
    # tax offices.
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Names:
    """Given names and surnames; Czech and Slovak women carry the female surname, which
    `female_surnames` lists in the same order as `surnames`."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    female_surnames: tuple[str, ...] = ()
    # Surnames put on one contact in RARE_EVERY (dataset/documents.py), so that searches for
    # a rare surname find a handful of contacts at any size.
    rare: tuple[str, ...] = ()

    def surname(self, index: int, female: bool) -> str:
        if female and self.female_surnames:
            return self.female_surnames[index]
        return self.surnames[index]


@dataclass(frozen=True)
class Country:
    code: str
    weight: int  # share of the generated contacts, in percent
    language: str
    currency: str
    tld: str
    calling_code: str
    national_length: int  # digits after the calling code
    # Mobile number prefixes (after the calling code) and the length of a mobile number's
    # national part.
    mobile_prefixes: tuple[str, ...]
    mobile_length: int
    # Digits a subscriber number may start with after a city's area code.
    subscriber_first: str
    # '#' is a digit, '@' a capital letter; the city's postal prefix fills the first '#'s.
    postal_format: str
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    street_format: str  # "{street} {number}"
    names: Names
    trades: tuple[str, ...]
    legal_forms: tuple[str, ...]
    brands: tuple[str, ...]  # words companies are named after besides their owners
    name_formats: tuple[str, ...]  # of {surname}, {trade}, {form}, {brand}, {city}
    mailboxes: tuple[str, ...]  # the local parts of companies' shared addresses
    mail_providers: tuple[str, ...]  # where people have their own addresses
    notes: tuple[str, ...]
