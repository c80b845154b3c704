"""Phone numbers (phonenumbers, stored in E.164) and e-mail addresses (email-validator)."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, ValidationResult

from counterparty.domain.identifiers import email_syntax
from counterparty.domain.identifiers.result import (
    CACHE_SIZE,
    Later,
    Reason,
    Result,
    invalid,
    valid,
)

_PARSE_REASONS: dict[int, Reason] = {
    NumberParseException.INVALID_COUNTRY_CODE: "component",
    NumberParseException.NOT_A_NUMBER: "format",
    NumberParseException.TOO_SHORT_AFTER_IDD: "length",
    NumberParseException.TOO_SHORT_NSN: "length",
    NumberParseException.TOO_LONG: "length",
}

_PARSE_DETAILS: dict[int, str] = {
    NumberParseException.INVALID_COUNTRY_CODE: (
        "the country calling code is missing or unknown; write it as +<code> or set the "
        "address country"
    ),
}


@lru_cache(maxsize=CACHE_SIZE)
def normalize_phone(value: str, country: str | None = None) -> Result:
    """Parse with `country` (ISO alpha-2, the address country) as the region of numbers
    written without +<code>.

    `compact` is E.164 whenever the number parses to a possible length, even if invalid, else
    the trimmed input. `formatted` is the national format for a number of `country` and the
    international format otherwise, because a foreign number in national format cannot be
    dialled.
    """
    text = value.strip()
    region = country.upper() if country else None
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as error:
        return invalid(
            text,
            "e164",
            _PARSE_REASONS.get(error.error_type, "format"),
            "phone number",
            _PARSE_DETAILS.get(error.error_type),
        )
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible not in (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        reason: Reason = (
            "component" if possible == ValidationResult.INVALID_COUNTRY_CODE else "length"
        )
        return invalid(text, "e164", reason, "phone number")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number):
        return invalid(
            e164,
            "e164",
            "component",
            "phone number",
            "no such number range exists in its country's numbering plan",
        )
    return valid(e164, "e164", Later(_phone_display, (number, region)))


def _phone_display(number: PhoneNumber, region: str | None) -> str:
    own = region is not None and phonenumbers.region_code_for_number(number) == region
    style = PhoneNumberFormat.NATIONAL if own else PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(number, style))


@lru_cache(maxsize=CACHE_SIZE)
def normalize_email(value: str) -> Result:
    """Syntax only (check_deliverability=False): no DNS in the request path. `compact` is
    email-validator's normalised form (lower-case domain, Unicode NFC); see `email_syntax`."""
    text = value.strip()
    try:
        normalized = email_syntax.validate(text)
    except EmailNotValidError as error:
        return invalid(text, "email", "format", "e-mail address", _sentence_part(str(error)))
    return valid(normalized, "email")


def _sentence_part(message: str) -> str:
    """email-validator writes whole sentences; ours embed them after a colon."""
    message = message.strip().rstrip(".")
    return message[:1].lower() + message[1:]


__all__ = ["normalize_email", "normalize_phone"]
