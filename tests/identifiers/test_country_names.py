"""Country codes and names in English, Turkish, Czech, Slovak, Dutch, French and German."""

from __future__ import annotations

import pytest

from counterparty.domain.identifiers import country_from_name, normalize_country
from counterparty.domain.identifiers.countries import ALIASES

NAMES = {
    "en": {
        "Türkiye": "TR",
        "Czechia": "CZ",
        "Czech Republic": "CZ",
        "Slovakia": "SK",
        "Belgium": "BE",
        "Netherlands": "NL",
        "Germany": "DE",
    },
    "tr": {
        "Türkiye": "TR",
        "Çekya": "CZ",
        "Slovakya": "SK",
        "Belçika": "BE",
        "Hollanda": "NL",
        "Almanya": "DE",
    },
    "cs": {
        "Turecko": "TR",
        "Česko": "CZ",
        "Česká republika": "CZ",
        "Slovensko": "SK",
        "Belgie": "BE",
        "Nizozemsko": "NL",
        "Německo": "DE",
    },
    "sk": {
        "Česko": "CZ",
        "Slovensko": "SK",
        "Belgicko": "BE",
        "Holandsko": "NL",
        "Nemecko": "DE",
        "Francúzsko": "FR",
    },
    "nl": {
        "Turkije": "TR",
        "Tsjechië": "CZ",
        "Slowakije": "SK",
        "België": "BE",
        "Nederland": "NL",
        "Duitsland": "DE",
    },
    "fr": {
        "Turquie": "TR",
        "Tchéquie": "CZ",
        "Slovaquie": "SK",
        "Belgique": "BE",
        "Pays-Bas": "NL",
        "Allemagne": "DE",
    },
    "de": {
        "Deutschland": "DE",
        "Türkei": "TR",
        "Tschechien": "CZ",
        "Belgien": "BE",
        "Niederlande": "NL",
    },
}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param(name, code, id=f"{language}-{name}")
        for language, names in NAMES.items()
        for name, code in names.items()
    ],
)
def test_names_in_every_supported_language(name: str, code: str) -> None:
    assert country_from_name(name) == code
    result = normalize_country(name)
    assert (result.status, result.compact, result.scheme) == ("valid", code, "iso3166-1")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("TÜRKİYE", "TR"),  # Turkish capital dotted İ
        ("TURKIYE", "TR"),
        ("türkiye", "TR"),
        ("ÇEKYA", "CZ"),
        ("ceska republika", "CZ"),
        ("CESKA REPUBLIKA", "CZ"),
        ("PAYS-BAS", "NL"),
        ("pays bas", "NL"),
        ("belgie", "BE"),
        ("  België ", "BE"),
        ("Slovenská Republika", "SK"),
    ],
)
def test_names_match_whatever_the_case_accents_and_punctuation(typed: str, code: str) -> None:
    assert normalize_country(typed).compact == code


@pytest.mark.parametrize(
    ("typed", "code"), [("BE", "BE"), ("be", "BE"), (" tr ", "TR"), ("BEL", "BE"), ("tur", "TR")]
)
def test_alpha_2_and_alpha_3_codes(typed: str, code: str) -> None:
    assert normalize_country(typed).compact == code


@pytest.mark.parametrize(("alias", "code"), sorted(ALIASES.items()))
def test_every_hand_written_alias_resolves(alias: str, code: str) -> None:
    assert country_from_name(alias) == code


@pytest.mark.parametrize("typed", ["Turkey", "Holland", "UK", "U.S.A.", "EL"])
def test_names_the_pycountry_data_lacks_come_from_the_aliases(typed: str) -> None:
    assert normalize_country(typed).is_valid


def test_the_formatted_form_is_the_english_name() -> None:
    assert normalize_country("Belgique").formatted == "Belgium"


@pytest.mark.parametrize("typed", ["Narnia", "XX", "Europe", "B"])
def test_unknown_countries_are_invalid(typed: str) -> None:
    result = normalize_country(typed)
    assert (result.status, result.reason) == ("invalid", "unknown_code")
    assert result.message is not None
