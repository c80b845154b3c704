"""Phone numbers, e-mail addresses, language and currency codes."""

from __future__ import annotations

import pytest

from counterparty.domain.identifiers import (
    normalize_currency,
    normalize_email,
    normalize_language,
    normalize_phone,
)
from counterparty.domain.identifiers.result import Later


@pytest.mark.parametrize(
    ("typed", "country", "e164", "formatted"),
    [
        ("02 555 12 12", "BE", "+3225551212", "02 555 12 12"),
        ("+32 2 555 12 12", None, "+3225551212", "+32 2 555 12 12"),
        ("0032 2 555 12 12", "BE", "+3225551212", "02 555 12 12"),
        ("0212 555 12 12", "TR", "+902125551212", "(0212) 555 12 12"),
        ("0532 123 45 67", "tr", "+905321234567", "0532 123 45 67"),
        ("020 123 4567", "NL", "+31201234567", "020 123 4567"),
        ("+420 224 004 111", "CZ", "+420224004111", "224 004 111"),
        # A foreign number is shown internationally: in national form it could not be dialled.
        ("+31 20 123 4567", "BE", "+31201234567", "+31 20 123 4567"),
    ],
)
def test_phones_are_stored_in_e164(
    typed: str, country: str | None, e164: str, formatted: str
) -> None:
    result = normalize_phone(typed, country)
    assert (result.status, result.compact, result.scheme) == ("valid", e164, "e164")
    assert result.formatted == formatted


def test_a_phone_number_is_formatted_only_when_the_formatted_form_is_read() -> None:
    result = normalize_phone("02 555 12 12 ext. 7", "BE")
    assert isinstance(result.display, Later)
    assert result.compact == "+3225551212"
    assert result.formatted == "02 555 12 12 ext. 7"  # the extension E.164 drops is kept


@pytest.mark.parametrize(
    ("typed", "country", "reason", "compact"),
    [
        ("call me", "BE", "format", "call me"),
        ("12", "BE", "length", "12"),
        ("+32 2 555 12 12 12 12 12 12", None, "length", "+32 2 555 12 12 12 12 12 12"),
        ("02 555 12 12", None, "component", "02 555 12 12"),  # no region to read it in
        ("+999 123456", None, "component", "+999 123456"),  # no such calling code
        ("+32 0 000 00 00", None, "component", "+3200000000"),  # possible length, no range
    ],
)
def test_bad_phones_are_invalid_with_a_reason(
    typed: str, country: str | None, reason: str, compact: str
) -> None:
    result = normalize_phone(typed, country)
    assert (result.status, result.reason, result.compact) == ("invalid", reason, compact)
    assert result.message is not None and "phone number" in result.message


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("Jan.Peeters@EXAMPLE.com", "Jan.Peeters@example.com"),
        ("  boekhouding@firma.be ", "boekhouding@firma.be"),
        ("muhasebe@şirket.com.tr", "muhasebe@şirket.com.tr"),
    ],
)
def test_emails_are_normalised(typed: str, normalized: str) -> None:
    result = normalize_email(typed)
    assert (result.status, result.compact, result.scheme) == ("valid", normalized, "email")


@pytest.mark.parametrize("typed", ["no-at-sign", "a@@b.be", "a@localhost", "a b@c.be", "@c.be"])
def test_bad_emails_are_invalid(typed: str) -> None:
    result = normalize_email(typed)
    assert (result.status, result.reason) == ("invalid", "format")
    assert result.message is not None and result.message.startswith(f"'{typed.strip()}'")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("nl", "nl"), ("NL", "nl"), ("nl-BE", "nl"), ("tr_TR", "tr"), ("nld", "nl"), ("cze", "cs")],
)
def test_languages(typed: str, code: str) -> None:
    assert normalize_language(typed).compact == code


@pytest.mark.parametrize("typed", ["xx", "english", "", "q1"])
def test_unknown_languages(typed: str) -> None:
    assert normalize_language(typed).reason == "unknown_code"


@pytest.mark.parametrize(("typed", "code"), [("eur", "EUR"), ("TRY", "TRY"), (" czk ", "CZK")])
def test_currencies(typed: str, code: str) -> None:
    assert normalize_currency(typed).compact == code


@pytest.mark.parametrize("typed", ["EUX", "euro", "€"])
def test_unknown_currencies(typed: str) -> None:
    result = normalize_currency(typed)
    assert (result.status, result.reason) == ("invalid", "unknown_code")
