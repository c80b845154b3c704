"""Contact documents as a client would POST them, deterministic for a seed.

Each document has its own random generator, seeded by the seed and its position, so that any
document can be made alone (the search terms look at a few of them) and a million can be made
by several processes at once. Shares (percent of contacts): TR 25, BE 15, NL 15, CZ 12, DE 12,
SK 8, FR 8, AT 3, GB 2; one contact in five is a person, 3 % are archived.
"""

from __future__ import annotations

import random
from typing import Any

from bench.dataset import identifiers as ids
from bench.dataset.east import CZECHIA, SLOVAKIA, TURKEY
from bench.dataset.model import City, Country
from bench.dataset.west import AUSTRIA, BELGIUM, FRANCE, GERMANY, NETHERLANDS, UNITED_KINGDOM
from counterparty.domain.text import fold

# Raise whenever a change here changes the documents: cached databases are keyed by it.
GENERATOR_VERSION = 3

COUNTRIES = (TURKEY, BELGIUM, NETHERLANDS, CZECHIA, GERMANY, SLOVAKIA, FRANCE, AUSTRIA,
             UNITED_KINGDOM)  # fmt: skip
_COUNTRY_WEIGHTS = [country.weight for country in COUNTRIES]
TAGS = (
    "wholesale", "retail", "priority", "export", "newsletter", "late-payer", "key-account",
    "prospect", "partner", "eu-supplier", "dropship", "government", "e-fatura",
)  # fmt: skip
ROLES = ("Accounts payable", "Purchasing", "Managing director", "Office manager", "Logistics")
# One contact in RARE_EVERY, at this offset, carries one of its country's rare surnames.
RARE_EVERY = 500
RARE_OFFSET = 123


def document_random(seed: int, index: int) -> random.Random:
    return random.Random(f"counterparty-bench/{seed}/{index}")


def slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isascii() and ch.isalnum())


def is_rare_slot(index: int) -> bool:
    return index % RARE_EVERY == RARE_OFFSET


def _city(rng: random.Random, country: Country) -> City:
    return rng.choices(country.cities, weights=[city.weight for city in country.cities])[0]


def _surname(rng: random.Random, country: Country, female: bool, rare: bool) -> str:
    names = country.names
    if rare and names.rare:
        return rng.choice(names.rare)
    return names.surname(rng.randrange(len(names.surnames)), female)


def _person_name(rng: random.Random, country: Country, rare: bool = False) -> tuple[str, str]:
    female = rng.random() < 0.45
    first = rng.choice(country.names.female if female else country.names.male)
    return first, _surname(rng, country, female, rare)


def _company(
    rng: random.Random, country: Country, city: City, rare: bool
) -> tuple[dict[str, Any], str]:
    surname = _surname(rng, country, False, rare)
    trade, brand = rng.choice(country.trades), rng.choice(country.brands)
    pattern = country.name_formats[0] if rare else rng.choice(country.name_formats)
    name = pattern.format(
        surname=surname, trade=trade, brand=brand, city=city.name,
        form=rng.choice(country.legal_forms),
    )  # fmt: skip
    owner = surname if "{surname}" in pattern else brand
    domain = f"{slug(owner)}-{slug(trade)}.{country.tld}"
    document: dict[str, Any] = {
        "kind": "company",
        "name": name,
        "email": f"{rng.choice(country.mailboxes)}@{domain}",
        "website": f"https://www.{domain}",
    }
    document.update(_company_numbers(rng, country.code, city))
    persons = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        first, last = _person_name(rng, country)
        persons.append(
            {
                "first_name": first,
                "last_name": last,
                "role": rng.choice(ROLES),
                "email": f"{slug(first)}.{slug(last)}@{domain}",
                "phone": ids.phone(rng, country, city, mobile=rng.random() < 0.5),
            }
        )
    if persons:
        document["contact_persons"] = persons
    return document, domain


def _company_numbers(rng: random.Random, country: str, city: City) -> dict[str, str]:
    """VAT, tax and register numbers as each country's companies have them."""
    if country == "TR":
        return {"tax_id": ids.vkn_number(rng), "tax_office": rng.choice(city.districts)}
    if country == "CZ":
        ico = ids.ico(rng, "0124678")
        numbers = {"registration_number": ico}
        if rng.random() < 0.75:  # VAT payers: DIČ = CZ + IČO
            numbers["vat_number"] = f"CZ{ico}"
        return numbers
    if country == "SK":
        dic = ids.slovak_dic(rng)
        numbers = {"registration_number": ids.ico(rng, "345"), "tax_id": dic}
        if rng.random() < 0.6:  # VAT payers: IČ DPH = SK + DIČ
            numbers["vat_number"] = f"SK{dic}"
        return numbers
    vat = ids.company_vat(rng, country)
    numbers = {"vat_number": vat}
    if rng.random() < 0.6:
        numbers["registration_number"] = ids.registration_number(rng, country, vat)
    return numbers


def _person(rng: random.Random, country: Country, city: City, rare: bool) -> dict[str, Any]:
    first, last = _person_name(rng, country, rare)
    provider = rng.choice(country.mail_providers)
    document: dict[str, Any] = {
        "kind": "person",
        "first_name": first,
        "last_name": last,
        "email": f"{slug(first)}.{slug(last)}{rng.randrange(1, 99)}@{provider}",
        "mobile": ids.phone(rng, country, city, mobile=True),
    }
    if country.code == "TR" and rng.random() < 0.7:
        document["tax_id"] = ids.tckn_number(rng)
        document["tax_office"] = rng.choice(city.districts)
    return document


def contact_document(seed: int, index: int) -> dict[str, Any]:
    """Contact number `index` (from 1) of the data set `seed`."""
    rng = document_random(seed, index)
    country = rng.choices(COUNTRIES, weights=_COUNTRY_WEIGHTS)[0]
    city = _city(rng, country)
    rare = is_rare_slot(index)
    if rng.random() < 0.2:
        document = _person(rng, country, city, rare)
    else:
        document, _ = _company(rng, country, city, rare)
    address: dict[str, Any] = {
        "street": country.street_format.format(
            street=rng.choice(country.streets), number=rng.randrange(1, 250)
        ),
        "postal_code": ids.postal_code(rng, country, city),
        "city": city.name,
        "country_code": country.code,
    }
    if city.districts:
        address["district"] = rng.choice(city.districts)
    document.update(
        {
            "is_customer": rng.random() < 0.8,
            "is_supplier": rng.random() < 0.3,
            "phone": ids.phone(rng, country, city, mobile=rng.random() < 0.3),
            "language": country.language,
            "currency": country.currency,
            "payment_terms_days": rng.choice((14, 30, 30, 30, 45, 60)),
            "send_reminders": rng.random() < 0.5,
            "tags": rng.sample(TAGS, k=rng.choice((0, 1, 1, 2, 3))),
            "address": address,
        }
    )
    if rng.random() < 0.5:
        document["external_ref"] = f"CUST-{index:07d}"
    if rng.random() < 0.7:
        document["bank_accounts"] = [
            {"iban": ids.iban(rng, country.code), "currency": country.currency, "is_default": True}
        ]
    if rng.random() < 0.2:
        document["discount_percent"] = rng.choice((2, 2.5, 3, 5))
    if rng.random() < 0.15:
        document["notes"] = rng.choice(country.notes)
    if rng.random() < 0.03:
        document["archived"] = True
    return document


def country_of(document: dict[str, Any]) -> str:
    return str(document["address"]["country_code"])
