"""Realistic-looking contact documents, deterministic for a given seed.

The documents are what a client would POST; bench/load.py turns them into stored contacts.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.identifiers import Rng, digits, iban, letters, phone, registration_number, vat_number
from counterparty.domain.text import fold


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    calling_code: str
    area_codes: tuple[str, ...]
    language: str
    currency: str
    tld: str
    cities: tuple[str, ...]
    streets: tuple[str, ...]
    surnames: tuple[str, ...]
    first_names: tuple[str, ...]
    trades: tuple[str, ...]
    legal_forms: tuple[str, ...]
    postal_code: Callable[[Rng], str]
    national_number_length: int  # digits after the calling code


COUNTRIES = (
    Country(
        "NL", 25, "+31", ("20", "10", "30", "40", "50", "38"), "nl", "EUR", "nl",
        ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Zwolle", "Den Haag",
         "Haarlem", "Arnhem", "Breda", "Leeuwarden", "Middelburg"),
        ("Industrieweg", "Keizersgracht", "Stationsstraat", "Kerkstraat", "Havenweg",
         "Dorpsstraat"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
         "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks"),
        ("Jan", "Sanne", "Pieter", "Lotte", "Daan", "Femke", "Bram", "Eva", "Thijs", "Anouk"),
        ("Installatietechniek", "Bakkerij", "Transport", "Bouw", "Advies", "Handelsonderneming",
         "Schilders", "Elektro", "Logistiek", "Software"),
        ("B.V.", "BV", "Holding B.V.", "V.O.F."),
        lambda rng: f"{rng.randrange(1000, 9999)} {letters(rng, 2)}",
        9,
    ),
    Country(
        "DE", 25, "+49", ("30", "40", "89", "221", "69", "711"), "de", "EUR", "de",
        ("Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf",
         "Leipzig", "Dresden", "Nürnberg", "Bremen", "Würzburg"),
        ("Hauptstraße", "Industriestraße", "Bahnhofstraße", "Gartenweg", "Lindenallee"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Schäfer", "Koch", "Steinfeld", "Krüger", "Zimmermann"),
        ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Max", "Hannah"),
        ("Elektro", "Maschinenbau", "Logistik", "Bau", "Holzbau", "Metallbau", "Druckerei",
         "Steuerberatung", "Autohaus", "Software"),
        ("GmbH", "GmbH & Co. KG", "AG", "e.K.", "UG (haftungsbeschränkt)"),
        lambda rng: digits(rng, 5),
        10,
    ),
    Country(
        "BE", 12, "+32", ("2", "3", "9", "4"), "nl", "EUR", "be",
        ("Brussel", "Antwerpen", "Gent", "Liège", "Brugge", "Leuven", "Namur", "Hasselt"),
        ("Kerkstraat", "Rue Royale", "Stationsstraat", "Chaussée de Louvain", "Meir"),
        ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
         "Dubois", "Lambert", "Wouters", "De Smet"),
        ("Lars", "Emma", "Arthur", "Louise", "Noah", "Olivia", "Jules", "Marie", "Lucas", "Elise"),
        ("Bouwwerken", "Transport", "Brasserie", "Consult", "Électricité", "Chocolaterie",
         "Logistics", "Software"),
        ("BV", "NV", "SRL", "SA", "CommV"),
        lambda rng: str(rng.randrange(1000, 9999)),
        8,
    ),
    Country(
        "FR", 12, "+33", ("1", "4", "5", "3"), "fr", "EUR", "fr",
        ("Paris", "Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Nantes", "Strasbourg"),
        ("Rue de la République", "Avenue Jean Jaurès", "Rue Victor Hugo", "Boulevard Pasteur"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Lefèvre", "Girard"),
        ("Louis", "Camille", "Gabriel", "Léa", "Hugo", "Chloé", "Arthur", "Manon", "Jules", "Inès"),
        ("Transports", "Boulangerie", "Conseil", "Électricité", "Menuiserie", "Logistique",
         "Informatique", "Imprimerie"),
        ("SARL", "SAS", "SA", "EURL"),
        lambda rng: digits(rng, 5),
        9,
    ),
    Country(
        "AT", 6, "+43", ("1", "316", "662", "512"), "de", "EUR", "at",
        ("Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt"),
        ("Hauptplatz", "Mariahilfer Straße", "Landstraße", "Bahnhofstraße"),
        ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer", "Hofer"),
        ("Tobias", "Lena", "David", "Julia", "Florian", "Katharina", "Stefan", "Laura"),
        ("Elektro", "Tischlerei", "Bau", "Transporte", "Steuerberatung", "Software"),
        ("GmbH", "KG", "OG", "AG"),
        lambda rng: str(rng.randrange(1000, 9999)),
        10,
    ),
    Country(
        "GB", 8, "+44", ("20", "161", "121", "131", "117"), "en", "GBP", "co.uk",
        ("London", "Manchester", "Birmingham", "Leeds", "Bristol", "Edinburgh", "Glasgow"),
        ("High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
         "Evans", "Thomas", "Roberts", "Walker"),
        ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie"),
        ("Builders", "Logistics", "Consulting", "Electrical", "Bakery", "Software", "Joinery"),
        ("Ltd", "Limited", "LLP", "PLC"),
        lambda rng: f"{letters(rng, 2)}{rng.randrange(1, 20)} {rng.randrange(1, 9)}"
        f"{letters(rng, 2)}",
        10,
    ),
    Country(
        "ES", 6, "+34", ("91", "93", "96", "95"), "es", "EUR", "es",
        ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga"),
        ("Calle Mayor", "Avenida de la Constitución", "Calle Real", "Paseo de Gracia"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez"),
        ("Hugo", "Lucía", "Martín", "Sofía", "Pablo", "Martina", "Daniel", "Julia"),
        ("Transportes", "Construcciones", "Asesoría", "Panadería", "Informática", "Logística"),
        ("S.L.", "S.A.", "S.L.U."),
        lambda rng: digits(rng, 5),
        9,
    ),
    Country(
        "IT", 6, "+39", ("02", "06", "011", "055", "081"), "it", "EUR", "it",
        ("Milano", "Roma", "Torino", "Firenze", "Napoli", "Bologna", "Verona"),
        ("Via Roma", "Corso Italia", "Via Garibaldi", "Piazza Duomo", "Via Dante"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
        ("Leonardo", "Giulia", "Francesco", "Aurora", "Alessandro", "Sofia", "Lorenzo", "Ginevra"),
        ("Trasporti", "Costruzioni", "Consulenze", "Panificio", "Informatica", "Logistica"),
        ("S.r.l.", "S.p.A.", "S.n.c."),
        lambda rng: digits(rng, 5),
        10,
    ),
)  # fmt: skip

TAGS = (
    "wholesale", "retail", "priority", "export", "newsletter", "late-payer", "key-account",
    "prospect", "partner", "eu-supplier", "dropship", "government",
)  # fmt: skip
ROLES = ("Accounts payable", "Purchasing", "Managing director", "Office manager", "Logistics")

# Search terms over the generated vocabulary: legal forms and trades match a large share of
# contacts, cities a few percent, surname+city pairs and reference numbers a handful. Rare
# terms are the expensive case for a scan that walks the name index until 50 rows match.
SEARCH_TERMS = (
    "gmbh", "bv", "elektro", "logistik", "software", "transport",  # common
    "amsterdam", "münchen", "koln", "zwolle", "graz", "lyon", "peeters", "steinfeld",  # medium
    "bakker zwolle", "müller würzburg", "dubois namur", "cust-004711", "ltd glasgow",  # rare
)  # fmt: skip


def _phone(rng: Rng, country: Country) -> str:
    return phone(rng, country.calling_code, country.area_codes, country.national_number_length)


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _person(rng: Rng, country: Country, domain: str) -> dict[str, Any]:
    first, last = rng.choice(country.first_names), rng.choice(country.surnames)
    return {
        "first_name": first,
        "last_name": last,
        "role": rng.choice(ROLES),
        "email": f"{_slug(first)}.{_slug(last)}@{domain}",
        "phone": _phone(rng, country),
    }


def contact_document(rng: Rng, index: int) -> dict[str, Any]:
    """One contact as a client would POST it; `index` makes external refs unique."""
    country = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
    surname = rng.choice(country.surnames)
    person = rng.random() < 0.2
    if person:
        first = rng.choice(country.first_names)
        domain = rng.choice(("gmail.com", "outlook.com", "web.de", "proton.me"))
        document: dict[str, Any] = {
            "kind": "person",
            "first_name": first,
            "last_name": surname,
            "email": f"{_slug(first)}.{_slug(surname)}{rng.randrange(1, 99)}@{domain}",
        }
    else:
        trade = rng.choice(country.trades)
        domain = f"{_slug(surname)}-{_slug(trade)}.{country.tld}"
        document = {
            "kind": "company",
            "name": f"{surname} {trade} {rng.choice(country.legal_forms)}",
            "email": f"{rng.choice(('info', 'office', 'invoices', 'admin'))}@{domain}",
            "website": f"https://www.{domain}",
            "vat_number": vat_number(rng, country.code),
            "contact_persons": [
                _person(rng, country, domain) for _ in range(rng.choice((0, 1, 2)))
            ],
        }
        registration = registration_number(rng, country.code, document["vat_number"])
        if registration and rng.random() < 0.6:
            document["registration_number"] = registration
    document.update(
        {
            "is_customer": rng.random() < 0.8,
            "is_supplier": rng.random() < 0.3,
            "phone": _phone(rng, country),
            "language": country.language,
            "currency": country.currency,
            "payment_terms_days": rng.choice((14, 30, 30, 30, 45, 60)),
            "send_reminders": rng.random() < 0.5,
            "tags": rng.sample(TAGS, k=rng.choice((0, 1, 1, 2, 3))),
            "address": {
                "street": f"{rng.choice(country.streets)} {rng.randrange(1, 250)}",
                "postal_code": country.postal_code(rng),
                "city": rng.choice(country.cities),
                "country_code": country.code,
            },
        }
    )
    if rng.random() < 0.5:
        document["external_ref"] = f"CUST-{index:06d}"
    if rng.random() < 0.7:
        document["bank_accounts"] = [
            {"iban": iban(rng, country.code), "currency": country.currency, "is_default": True}
        ]
    if rng.random() < 0.2:
        document["discount_percent"] = rng.choice((2, 2.5, 3, 5))
    if rng.random() < 0.15:
        document["notes"] = "Prefers invoices by e-mail; call before delivery."
    if rng.random() < 0.03:
        document["archived"] = True
    return document


def contact_documents(count: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for index in range(1, count + 1):
        yield contact_document(rng, index)
