"""IBAN and BIC: checksum, country structure, and BIC/IBAN country agreement."""

from __future__ import annotations

import pytest
from stdnum import iban as stdnum_iban

from counterparty.domain.identifiers import bic_for_iban, normalize_bic, normalize_iban

# Published example IBANs (ECBS / national banking associations).
VALID_IBANS = [
    "BE71096123456769",
    "NL91ABNA0417164300",
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "TR330006100519786457841326",
    "CZ6508000000192000145399",
    "SK3112000000198742637541",
    "FR1420041010050500013M02606",
]


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_valid_ibans_are_valid_for_schwifty_and_python_stdnum(iban: str) -> None:
    assert stdnum_iban.is_valid(iban)
    result = normalize_iban(iban)
    assert (result.status, result.compact, result.scheme) == ("valid", iban, "iban")


@pytest.mark.parametrize(
    "typed",
    [
        "BE71 0961 2345 6769",
        "be71 0961 2345 6769",
        "BE71-0961-2345-6769",
        " BE71096123456769 ",
        "IBAN BE71 0961 2345 6769",
    ],
)
def test_iban_formatting_variants_normalise(typed: str) -> None:
    result = normalize_iban(typed)
    assert (result.status, result.compact) == ("valid", "BE71096123456769")
    assert result.formatted == "BE71 0961 2345 6769"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("BE71096123456768", "checksum"),
        ("DE89370400440532013001", "checksum"),
        ("NL91ABNA0417164301", "checksum"),
        ("BE7109612345676", "length"),
        ("DE8937040044053201300", "length"),
        ("XX71096123456769", "component"),
        ("NL91ABN10417164300", "format"),  # NL bank codes are four letters
    ],
)
def test_invalid_ibans(typed: str, reason: str) -> None:
    result = normalize_iban(typed)
    assert (result.status, result.reason) == ("invalid", reason)
    assert result.message is not None and "IBAN" in result.message


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("GEBABEBB", "GEBABEBB"),
        ("gkcc be bb", "GKCCBEBB"),
        ("DEUTDEFF500", "DEUTDEFF500"),
        ("ABNANL2A", "ABNANL2A"),
    ],
)
def test_valid_bics(typed: str, compact: str) -> None:
    result = normalize_bic(typed)
    assert (result.status, result.compact, result.scheme) == ("valid", compact, "bic")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("GEBABEB", "length"), ("GEBABEBB1", "length"), ("GEBAXXBB", "component")],
)
def test_invalid_bics(typed: str, reason: str) -> None:
    assert normalize_bic(typed).reason == reason


@pytest.mark.parametrize(
    ("bic", "iban_country", "status"),
    [
        ("GKCCBEBB", "BE", "valid"),
        ("GKCCBEBB", "be", "valid"),
        ("INGBNL2A", "BE", "invalid"),
        ("DEUTDEFF", "NL", "invalid"),
        ("RBOSGGSX", "GB", "valid"),  # Guernsey banks use GB IBANs
        ("BNPARERX", "FR", "valid"),  # Réunion banks use FR IBANs
        ("BNPARERX", "DE", "invalid"),
    ],
)
def test_bic_country_must_match_the_iban_country(bic: str, iban_country: str, status: str) -> None:
    result = normalize_bic(bic, iban_country)
    assert result.status == status
    if status == "invalid":
        assert result.reason == "country_mismatch"
        assert result.message is not None and iban_country.upper() in result.message


def test_bic_is_proposed_from_the_bank_registry() -> None:
    assert bic_for_iban("BE71 0961 2345 6769") == "GKCCBEBB"
    assert bic_for_iban("NL91ABNA0417164300") == "ABNANL2A"
    assert bic_for_iban("BE71096123456768") is None
