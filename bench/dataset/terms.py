"""The `q` search terms: a mix of what people type into a contacts search box.

Most terms are fixed words of the generated vocabulary. Rare surnames, tax and VAT numbers,
a customer reference and a company's mail domain are read from generated documents, so that
they exist at any data set size (the same seed and size always give the same terms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.dataset.documents import (
    COUNTRIES,
    RARE_EVERY,
    RARE_OFFSET,
    contact_document,
    country_of,
)
from counterparty.domain.text import fold

FRAGMENT, WORD, FORM, RARE, NUMBER, EMAIL, MISS = (
    "very common fragment", "word", "Turkish or Czech form", "rare surname",
    "tax or VAT number", "e-mail fragment", "miss",
)  # fmt: skip
CATEGORIES = (FRAGMENT, WORD, FORM, RARE, NUMBER, EMAIL, MISS)
RARE_TERMS = 4


@dataclass(frozen=True)
class Term:
    text: str
    category: str

    @property
    def should_match(self) -> bool:
        return self.category != MISS


WORDS = ("istanbul", "gent", "praha", "bratislava", "antwerpen", "ankara", "lojistik", "gmbh",
         "transport", "elektro")  # fmt: skip
FORMS = ("İSTANBUL", "ışık", "Plzeň", "Şişli", "Dvořák", "Žilina", "ÇELİK", "Ltd. Şti.")
FIXED = (
    *(Term(text, FRAGMENT) for text in ("ar", "bv", "ist", "er", "an", "ova", "info@", "s.r.o.")),
    *(Term(text, WORD) for text in WORDS),
    *(Term(text, FORM) for text in FORMS),
    Term("b01", NUMBER),
    *(Term(text, EMAIL) for text in ("muhasebe@", "@seznam.cz", "gmail.com")),
    *(Term(text, MISS) for text in ("qqq", "zzyzx", "xq", "ghent", "99999999999")),
)


def _documents(seed: int, count: int, start: int) -> Iterator[dict[str, Any]]:
    """Active documents from position `start` on, wrapping around to the first (a search
    leaves archived contacts out)."""
    for offset in range(count):
        document = contact_document(seed, (start - 1 + offset) % count + 1)
        if not document.get("archived"):
            yield document


def _first(
    seed: int, count: int, start: int, pick: Callable[[dict[str, Any]], str | None]
) -> str | None:
    for document in _documents(seed, count, start):
        found = pick(document)
        if found:
            return found
    return None


def _rare_surnames(seed: int, count: int) -> list[str]:
    rare_names = {country.code: country.names.rare for country in COUNTRIES}
    found: list[str] = []
    for index in range(RARE_OFFSET, count + 1, RARE_EVERY):
        document = contact_document(seed, index)
        if document.get("archived"):
            continue
        name = fold(document.get("name") or document["last_name"])
        for surname in rare_names[country_of(document)]:
            if fold(surname) in name and surname not in found:
                found.append(surname)
        if len(found) == RARE_TERMS:
            break
    return found


def _company_of(country: str, field: str) -> Callable[[dict[str, Any]], str | None]:
    def pick(document: dict[str, Any]) -> str | None:
        if country_of(document) != country or document["kind"] != "company":
            return None
        value = document.get(field)
        return None if value is None else str(value)

    return pick


def _turkish_person_tax_id(document: dict[str, Any]) -> str | None:
    if country_of(document) != "TR" or document["kind"] != "person":
        return None
    tax_id = document.get("tax_id")
    return None if tax_id is None else str(tax_id)[:7]


def _belgian_vat_as_typed(document: dict[str, Any]) -> str | None:
    vat = _company_of("BE", "vat_number")(document)
    return None if vat is None else f"BE {vat[2:6]}.{vat[6:9]}.{vat[9:]}"


def _domain(document: dict[str, Any]) -> str | None:
    if country_of(document) != "TR" or document["kind"] != "company":
        return None
    return str(document["email"]).split("@")[1]


def search_terms(seed: int, count: int) -> tuple[Term, ...]:
    """The fixed terms and those read from the data set `seed` of `count` contacts."""
    start = max(1, count * 37 // 100)
    derived: list[Term] = [Term(name, RARE) for name in _rare_surnames(seed, count)]
    pickers: list[tuple[str, Callable[[dict[str, Any]], str | None]]] = [
        (NUMBER, _company_of("TR", "tax_id")),  # a VKN
        (NUMBER, _turkish_person_tax_id),  # the first 7 digits of a T.C. kimlik no
        (NUMBER, _company_of("CZ", "registration_number")),  # an IČO
        (NUMBER, lambda d: (_company_of("SK", "tax_id")(d) or "")[3:9]),  # inside a DIČ
        (NUMBER, _belgian_vat_as_typed),  # "BE 0xxx.xxx.xxx"
        (NUMBER, lambda d: d.get("external_ref")),  # a customer reference
        (EMAIL, _domain),  # a company's mail domain
    ]
    for category, pick in pickers:
        found = _first(seed, count, start, pick)
        if found:
            derived.append(Term(found, category))
    return (*FIXED, *derived)
