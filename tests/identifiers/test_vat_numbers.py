"""VAT numbers: prefixes, compact form, per-country checks and their reasons."""

from __future__ import annotations

import pytest
from stdnum import vatin

from counterparty.domain.identifiers import country_of_vat, normalize_vat, vat_prefix

# Public example numbers (python-stdnum's and the tax authorities' own examples).
VALID = [
    ("BE0403019261", "eu.vat"),
    ("NL004495445B01", "eu.vat"),
    ("DE136695976", "eu.vat"),
    ("CZ25123891", "eu.vat"),
    ("SK2020273893", "eu.vat"),
    ("ATU13585627", "eu.vat"),
    ("FR40303265045", "eu.vat"),
    ("IT00743110157", "eu.vat"),
    ("ESA13585625", "eu.vat"),
    ("PL8567346215", "eu.vat"),
    ("EL094259216", "eu.vat"),
    ("XI980780684", "eu.vat"),
    ("GB980780684", "gb.vat"),
    ("TR1234567890", "tr.vat"),
    ("NO988077917MVA", "no.vat"),
]

# Each valid number with one digit changed.
ONE_DIGIT_CHANGED = [
    "BE0403019262",
    "NL004495446B01",
    "DE136695978",
    "CZ25123892",
    "SK2020273894",
    "ATU13585626",
    "FR40303265046",
    "IT00743110158",
    "ESA13585626",
    "PL8567346216",
    "EL094259217",
    "GB980780685",
    "TR1234567891",
    "NO988077918MVA",
]

WRONG_LENGTH = [
    "BE04030192611",
    "DE13669597",
    "CZ2512389",
    "SK202027389",
    "ATU1358562",
    "FR403032650",
    "IT0074311015",
    "ESA1358562",
    "PL856734621",
    "EL0942592161",
    "GB98078068",
    "TR123456789",
]


@pytest.mark.parametrize(("number", "scheme"), VALID)
def test_the_fixtures_are_valid_for_python_stdnum_itself(number: str, scheme: str) -> None:
    assert vatin.is_valid(number), scheme


@pytest.mark.parametrize(("number", "scheme"), VALID)
def test_valid_numbers_keep_their_compact_form(number: str, scheme: str) -> None:
    result = normalize_vat(number)
    assert (result.status, result.compact, result.scheme) == ("valid", number, scheme)
    assert result.reason is None and result.message is None


@pytest.mark.parametrize("number", ONE_DIGIT_CHANGED)
def test_one_changed_digit_fails_the_checksum(number: str) -> None:
    assert not vatin.is_valid(number)
    result = normalize_vat(number)
    assert (result.status, result.reason) == ("invalid", "checksum")
    assert result.compact == number
    assert result.message is not None and number in result.message


@pytest.mark.parametrize("number", WRONG_LENGTH)
def test_wrong_lengths_are_reported_as_length(number: str) -> None:
    result = normalize_vat(number)
    assert (result.status, result.reason) == ("invalid", "length")


@pytest.mark.parametrize(
    ("typed", "country", "compact"),
    [
        ("BE 0403.019.261", None, "BE0403019261"),
        ("be0403019261", None, "BE0403019261"),
        ("BE-0403-019-261", None, "BE0403019261"),
        (" 0403 019 261 ", "BE", "BE0403019261"),
        ("403019261", "BE", "BE0403019261"),  # the old 9-digit form
        ("nl 0044.95.445.b01", None, "NL004495445B01"),
        ("004495445B01", "NL", "NL004495445B01"),
        ("DE 136 695 976", None, "DE136695976"),
        ("136695976", "de", "DE136695976"),
        ("CZ 251 23 891", None, "CZ25123891"),
        ("2020273893", "SK", "SK2020273893"),
        ("U13585627", "AT", "ATU13585627"),
        ("40 303 265 045", "FR", "FR40303265045"),
        ("A13585625", "ES", "ESA13585625"),
        ("856-734-62-15", "PL", "PL8567346215"),
        ("1234567890", "TR", "TR1234567890"),
    ],
)
def test_formatting_variants_and_missing_prefixes_normalise(
    typed: str, country: str | None, compact: str
) -> None:
    result = normalize_vat(typed, country)
    assert (result.status, result.compact) == ("valid", compact)


def test_greece_uses_el_whatever_was_typed() -> None:
    assert vat_prefix("GR") == "EL"
    assert normalize_vat("094259216", "GR").compact == "EL094259216"
    assert normalize_vat("GR094259216").compact == "EL094259216"


def test_a_prefix_is_added_only_when_it_makes_the_number_valid() -> None:
    result = normalize_vat("123456789B01", "NL")
    assert (result.status, result.reason) == ("invalid", "checksum")
    assert result.compact == "123456789B01"


def test_the_typed_prefix_wins_over_the_contact_country() -> None:
    assert normalize_vat("NL004495445B01", "BE").compact == "NL004495445B01"


@pytest.mark.parametrize(
    ("typed", "country", "reason"),
    [
        ("12345", None, "no_country"),
        ("US123456789", None, "no_rule"),
        ("12345", "US", "no_rule"),
    ],
)
def test_numbers_without_a_rule_are_unverified_never_invalid(
    typed: str, country: str | None, reason: str
) -> None:
    result = normalize_vat(typed, country)
    assert (result.status, result.reason, result.compact) == ("unverified", reason, typed)
    assert result.message


def test_leading_letters_that_are_no_country_are_not_taken_for_a_prefix() -> None:
    assert normalize_vat("ZZ123456789").reason == "no_country"
    result = normalize_vat("ZZ123456789", "NL")
    assert (result.status, result.reason, result.compact) == ("invalid", "format", "ZZ123456789")


@pytest.mark.parametrize(
    ("number", "formatted"),
    [
        ("GB980780684", "GB 980 7806 84"),
        ("PL8567346215", "PL 856-734-62-15"),
        ("CHE100155212MWST", "CHE-100.155.212 MWST"),
        ("BE0403019261", "BE0403019261"),  # python-stdnum has no Belgian format
    ],
)
def test_formatted_form_uses_python_stdnum_format(number: str, formatted: str) -> None:
    assert normalize_vat(number).formatted == formatted


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("BE0403019261", "BE"),
        ("EL094259216", "GR"),
        ("XI980780684", "GB"),
        ("EU372000041", None),
        ("0403019261", None),
        ("ZZ123", None),
    ],
)
def test_country_of_vat(number: str, country: str | None) -> None:
    assert country_of_vat(number) == country


@pytest.mark.parametrize("number", [number for number, _ in VALID])
def test_normalising_is_idempotent(number: str) -> None:
    once = normalize_vat(number.lower())
    assert normalize_vat(once.compact) == once
