"""Peppol participant ids: EAS schemes, value checks, the stored form, the 0208 suggestion."""

from __future__ import annotations

import pytest

from counterparty.domain.identifiers import normalize_peppol_id, suggest_peppol_id
from counterparty.domain.identifiers.eas import (
    DEPRECATED_SCHEMES,
    EAS_SCHEMES,
    VAT_SCHEME_COUNTRIES,
)
from counterparty.domain.identifiers.peppol import KEEP_AS_TYPED, VALUE_RULES

# The codes of the Peppol table in the shared standards notes (section A9).
STANDARDS_A9_CODES = [
    "0208", "9925", "0106", "0190", "9944", "9952", "9929", "9950", "9930", "9957",
    "0088", "0007", "0009", "0002", "0192", "0184", "0060", "0151", "0199", "0204",
]  # fmt: skip


@pytest.mark.parametrize("code", STANDARDS_A9_CODES)
def test_the_eas_table_holds_every_code_of_the_standards_notes(code: str) -> None:
    assert code in EAS_SCHEMES


def test_the_tables_agree_with_each_other() -> None:
    assert set(VALUE_RULES) <= set(EAS_SCHEMES)
    assert set(VAT_SCHEME_COUNTRIES) <= set(EAS_SCHEMES)
    assert set(KEEP_AS_TYPED) <= set(VALUE_RULES) | set(VAT_SCHEME_COUNTRIES)
    assert not set(DEPRECATED_SCHEMES) & set(EAS_SCHEMES)
    assert set(DEPRECATED_SCHEMES.values()) <= set(EAS_SCHEMES)
    assert all(len(code) == 4 and code.isdigit() for code in EAS_SCHEMES)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0208:0403019261", "0208:0403019261"),
        # 0208 values are the bare enterprise number: prefix and dots are dropped.
        ("0208:BE0403019261", "0208:0403019261"),
        ("0208: 0403.019.261", "0208:0403019261"),
        ("iso6523-actorid-upis::0208:0403019261", "0208:0403019261"),
        # VAT schemes keep (or gain) the country prefix, like vat_number.
        ("9925:BE0403019261", "9925:BE0403019261"),
        ("9925:0403019261", "9925:BE0403019261"),
        ("9944:NL004495445B01", "9944:NL004495445B01"),
        ("9929:CZ25123891", "9929:CZ25123891"),
        ("9950:2020273893", "9950:SK2020273893"),
        ("9930:DE136695976", "9930:DE136695976"),
        ("9957:FR40303265045", "9957:FR40303265045"),
        ("9933:094259216", "9933:EL094259216"),
        ("0106:17001910", "0106:17001910"),
        ("0088:5412345000013", "0088:5412345000013"),
        ("0009:73282932000074", "0009:73282932000074"),
        ("0002:404833048", "0002:404833048"),
        ("0192:988 077 917", "0192:988077917"),
        ("0007:123456-7897", "0007:1234567897"),
        ("0060:150483782", "0060:150483782"),
        ("0199:213800kud8lajwsq9d15", "0199:213800KUD8LAJWSQ9D15"),
        ("0204:991-03730-19", "0204:991-03730-19"),
        ("0151:83 914 571 673", "0151:83914571673"),
        # Checked but stored as typed: their value conventions are unknown to us.
        ("9952:1234567890", "9952:1234567890"),
        ("9952:TR1234567890", "9952:TR1234567890"),
        ("0184:DK13585628", "0184:DK13585628"),
        ("0184:13585628", "0184:13585628"),
    ],
)
def test_valid_ids_and_their_stored_form(typed: str, stored: str) -> None:
    result = normalize_peppol_id(typed)
    scheme = stored.split(":")[0]
    assert (result.status, result.compact, result.scheme) == ("valid", stored, f"peppol:{scheme}")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0208:0403019262", "checksum"),
        ("0208:04030192611", "length"),
        ("9925:BE0403019262", "checksum"),
        ("9944:NL004495446B01", "checksum"),
        ("9952:1234567891", "checksum"),
        ("9929:CZ25123892", "checksum"),
        ("0106:1700191", "length"),
        ("0088:541234500001", "length"),  # 12 digits: an EAN, but not a GLN
        ("0088:5412345000014", "checksum"),
        ("0009:73282932000079", "checksum"),
        ("0192:988077918", "checksum"),
        ("0060:15048378", "length"),
        ("0199:213800KUD8LXJWSQ9D15", "checksum"),
        ("0204:1-03730-19", "format"),
    ],
)
def test_values_of_known_numbers_are_checked(typed: str, reason: str) -> None:
    result = normalize_peppol_id(typed)
    assert (result.status, result.reason) == ("invalid", reason)
    assert result.scheme == f"peppol:{typed[:4]}"
    assert result.message


@pytest.mark.parametrize("typed", ["1234:abc", "0000:1", "9955:SE556000016701"])
def test_schemes_outside_the_eas_list_are_unknown(typed: str) -> None:
    result = normalize_peppol_id(typed)
    assert (result.status, result.reason, result.scheme) == ("invalid", "unknown_scheme", "peppol")


def test_a_withdrawn_scheme_names_its_replacement() -> None:
    result = normalize_peppol_id("9956:0403019261")
    assert (result.status, result.reason) == ("invalid", "unknown_scheme")
    assert result.message is not None and "0208" in result.message


@pytest.mark.parametrize("typed", ["0208", "0208:", ":0403019261", "BE:0403019261", "208:1"])
def test_malformed_ids(typed: str) -> None:
    result = normalize_peppol_id(typed)
    assert (result.status, result.reason) == ("invalid", "format")


def test_listed_schemes_without_a_value_rule_are_unverified() -> None:
    result = normalize_peppol_id("0037:003712345678")
    assert (result.status, result.reason, result.scheme) == (
        "unverified",
        "no_rule",
        "peppol:0037",
    )
    assert result.compact == "0037:003712345678"


@pytest.mark.parametrize(
    ("country", "registration", "vat", "suggested"),
    [
        ("BE", "0403019261", None, "0208:0403019261"),
        ("BE", None, "BE0403019261", "0208:0403019261"),
        (None, None, "BE 0403.019.261", "0208:0403019261"),
        ("BE", "0403019262", None, None),
        ("NL", "17001910", "NL004495445B01", None),
        (None, None, None, None),
    ],
)
def test_belgian_parties_get_a_0208_suggestion(
    country: str | None, registration: str | None, vat: str | None, suggested: str | None
) -> None:
    assert suggest_peppol_id(country, registration, vat) == suggested
