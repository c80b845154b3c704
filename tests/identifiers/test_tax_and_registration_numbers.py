"""National tax numbers and company register numbers, chosen by country."""

from __future__ import annotations

import random

import pytest
from stdnum.cz import dic

from counterparty.domain.identifiers import (
    belgian_enterprise_number,
    normalize_registration_number,
    normalize_tax_id,
)

TAX_IDS_VALID = [
    ("TR", "1234567890", "1234567890", "tr.vkn"),
    ("TR", "4540536920", "4540536920", "tr.vkn"),
    ("TR", "10000000146", "10000000146", "tr.tckimlik"),
    ("TR", "TR 454 053 6920", "4540536920", "tr.vkn"),
    ("BE", "0403.019.261", "0403019261", "be.vat"),
    ("BE", "85.07.30-033 28", "85073003328", "be.nn"),
    ("CZ", "CZ 25123891", "25123891", "cz.dic"),
    ("SK", "2020 273 893", "2020273893", "sk.dic"),
    ("NL", "1112.22.333", "111222333", "nl.bsn"),
    ("NL", "NL004495445B01", "004495445B01", "nl.btw"),
    ("DE", "36 574 261 809", "36574261809", "de.idnr"),
    ("FR", "30 23 217 600 053", "3023217600053", "fr.nif"),
    ("FR", "404 833 048", "404833048", "fr.siren"),
    ("GB", "1955839661", "1955839661", "gb.utr"),
    ("IT", "rccmnl83s18d969h", "RCCMNL83S18D969H", "it.codicefiscale"),
    ("IT", "00743110157", "00743110157", "it.codicefiscale"),
    ("ES", "B-64717838", "B64717838", "es.nif"),
    ("PL", "856-734-62-15", "8567346215", "pl.nip"),
    ("PL", "44051401359", "44051401359", "pl.pesel"),
    ("AT", "59-119/9013", "591199013", "at.tin"),
]

TAX_IDS_INVALID = [
    ("TR", "1234567891", "checksum", "tr.vkn"),
    ("TR", "12345678901", "checksum", "tr.tckimlik"),  # 11 digits: the T.C. kimlik rule decides
    ("TR", "123456789", "length", "tr.vkn"),
    ("BE", "0403019262", "checksum", "be.vat"),
    ("CZ", "25123892", "checksum", "cz.dic"),
    ("SK", "202027389", "length", "sk.dic"),
    ("SK", "20202738A3", "format", "sk.dic"),
    ("NL", "111222334", "checksum", "nl.bsn"),
    ("DE", "36574261809123", "length", "de.idnr"),
    ("GB", "2955839661", "checksum", "gb.utr"),
    ("PL", "8567346216", "checksum", "pl.nip"),
    ("ES", "B64717839", "checksum", "es.nif"),
]


@pytest.mark.parametrize(("country", "typed", "compact", "scheme"), TAX_IDS_VALID)
def test_valid_tax_ids(country: str, typed: str, compact: str, scheme: str) -> None:
    result = normalize_tax_id(typed, country)
    assert (result.status, result.compact, result.scheme) == ("valid", compact, scheme)


@pytest.mark.parametrize(("country", "typed", "reason", "scheme"), TAX_IDS_INVALID)
def test_invalid_tax_ids(country: str, typed: str, reason: str, scheme: str) -> None:
    result = normalize_tax_id(typed, country)
    assert (result.status, result.reason, result.scheme) == ("invalid", reason, scheme)
    assert result.message is not None and "not a valid" in result.message


def test_a_german_number_failing_the_idnr_check_may_still_be_a_steuernummer() -> None:
    # The Steuernummer has no check digit python-stdnum knows, only a shape; a mistyped IdNr of
    # that shape passes as one. Documented here so that nobody mistakes it for a bug.
    assert normalize_tax_id("36574261890", "DE").scheme == "de.stnr"


def test_tax_id_rules_follow_the_country() -> None:
    # A valid Turkish VKN means nothing in Belgium.
    assert normalize_tax_id("1234567890", "TR").status == "valid"
    assert normalize_tax_id("1234567890", "BE").status == "invalid"


@pytest.mark.parametrize(
    ("country", "reason"), [("US", "no_rule"), ("JP", "no_rule"), (None, "no_country")]
)
def test_tax_ids_without_a_rule_are_unverified(country: str | None, reason: str) -> None:
    result = normalize_tax_id("12-345.678 9", country)
    assert (result.status, result.reason, result.compact) == ("unverified", reason, "123456789")


REGISTRATIONS_VALID = [
    ("BE", "0403.019.261", "0403019261", "be.vat", "0403.019.261"),
    ("BE", "BE 0403 019 261", "0403019261", "be.vat", "0403.019.261"),
    ("NL", "1700 1910", "17001910", "nl.kvk", "17001910"),
    ("CZ", "251 23 891", "25123891", "cz.ico", "25123891"),
    ("SK", "31 322 832", "31322832", "sk.ico", "31322832"),
    ("SK", "35815256", "35815256", "sk.ico", "35815256"),
    ("FR", "404833048", "404833048", "fr.siren", "404 833 048"),
    ("FR", "732 829 320 00074", "73282932000074", "fr.siret", "732 829 320 00074"),
    ("AT", "FN 122119m", "122119m", "at.businessid", "122119m"),
    ("AT", "FN122119M", "122119m", "at.businessid", "122119m"),  # as the contact model sends it
    ("PL", "192598184", "192598184", "pl.regon", "192598184"),
    ("DK", "13585628", "13585628", "dk.cvr", "13585628"),
    ("NO", "988 077 917", "988077917", "no.orgnr", "988 077 917"),
    ("SE", "123456-7897", "1234567897", "se.orgnr", "123456-7897"),
    ("FI", "2077474-0", "20774740", "fi.ytunnus", "2077474-0"),
    ("CH", "CHE-100.155.212", "CHE100155212", "ch.uid", "CHE-100.155.212"),
]

REGISTRATIONS_INVALID = [
    ("BE", "0403019262", "checksum"),
    ("BE", "04030192611", "length"),
    ("NL", "1700191", "length"),
    ("NL", "1700191A", "format"),
    ("CZ", "25123892", "checksum"),
    ("CZ", "2512389", "length"),
    ("SK", "31322833", "checksum"),
    ("FR", "404833047", "checksum"),
    ("FR", "73282932000079", "checksum"),
    ("NO", "988077918", "checksum"),
]


@pytest.mark.parametrize(
    ("country", "typed", "compact", "scheme", "formatted"), REGISTRATIONS_VALID
)
def test_valid_registration_numbers(
    country: str, typed: str, compact: str, scheme: str, formatted: str
) -> None:
    result = normalize_registration_number(typed, country)
    assert (result.status, result.compact, result.scheme) == ("valid", compact, scheme)
    assert result.formatted == formatted


@pytest.mark.parametrize(("country", "typed", "reason"), REGISTRATIONS_INVALID)
def test_invalid_registration_numbers(country: str, typed: str, reason: str) -> None:
    result = normalize_registration_number(typed, country)
    assert (result.status, result.reason) == ("invalid", reason)


def test_german_register_numbers_are_unverified() -> None:
    result = normalize_registration_number("HRB 12345", "DE")
    assert (result.status, result.reason, result.compact) == ("unverified", "no_rule", "HRB12345")


def test_ico_agrees_with_python_stdnums_rule_for_czech_company_dic() -> None:
    """A Czech company's DIČ is CZ + its IČO, and stdnum.cz.dic checks the 8-digit ones."""
    generator = random.Random(6523)
    numbers = [f"{generator.randrange(0, 90_000_000):08d}" for _ in range(5000)]
    assert any(dic.is_valid(number) for number in numbers)
    for number in numbers:
        ico = normalize_registration_number(number, "CZ")
        assert ico.is_valid == dic.is_valid(number), number


@pytest.mark.parametrize(
    ("country", "registration", "vat", "expected"),
    [
        ("BE", "0403.019.261", None, "0403019261"),
        ("BE", None, "BE0403019261", "0403019261"),
        ("BE", None, "0403019261", "0403019261"),  # VAT typed without prefix
        (None, None, "BE 0403 019 261", "0403019261"),
        ("BE", "0403019262", None, None),
        ("NL", "17001910", "NL004495445B01", None),
        ("NL", "0403019261", None, None),  # only a Belgian registration is an enterprise number
    ],
)
def test_belgian_enterprise_number(
    country: str | None, registration: str | None, vat: str | None, expected: str | None
) -> None:
    assert belgian_enterprise_number(country, registration, vat) == expected
