"""The outcome of checking one identifier, shared by every checker in this package.

A checker never raises for a bad value: it returns a `Result` whose status says what we know.
Whether an invalid value is an error (strict) or only reported (lenient) is the caller's policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidLength,
    ValidationError,
)

# The checkers are pure and their results immutable, so repeated values (a contact written
# again with the same identifiers) are answered from a bounded cache.
CACHE_SIZE = 4096

Status = Literal["valid", "invalid", "unverified"]

Reason = Literal[
    "checksum",  # a check digit or checksum does not match
    "length",  # too many or too few characters
    "format",  # characters or structure the rule does not allow
    "component",  # a part refers to something unknown: a region, a date, a number range
    "country_mismatch",  # two values name different countries (BIC and IBAN)
    "unknown_scheme",  # a Peppol scheme that is not (or no longer) in the EAS code list
    "unknown_code",  # not an ISO 3166 / 639 / 4217 code (or a country name we know)
    "no_rule",  # unverified: we know no rule for this value in this country
    "no_country",  # unverified: the rule depends on a country and none is known
]

# Phrases for `Result.message`; they complete "'<value>' is not a valid <label>: ...".
_EXPLANATIONS: dict[Reason, str] = {
    "checksum": "the check digits do not match",
    "length": "it has the wrong number of characters",
    "format": "it contains characters or a structure that the rule does not allow",
    "component": "a part of it (such as a region, date or country code) is not valid",
    "country_mismatch": "it belongs to a different country",
    "unknown_scheme": "the scheme is unknown",
    "unknown_code": "it is not a known code",
    "no_rule": "no rule is known",
    "no_country": "no country is known",
}


@dataclass(frozen=True, slots=True)
class Later:
    """A formatted form worked out only when it is read, as `function(*arguments)`: writes
    store the compact form and never show the formatted one, which can cost as much as a
    third of a check (a phone number's national format)."""

    function: Callable[..., str]
    arguments: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """One checked value.

    `compact` is the form to store (separators dropped, upper-cased where the rule is
    case-insensitive), `formatted` the form to display. Both are set whatever the status, so a
    lenient caller can store an invalid value in its tidiest form. `message` is a sentence for
    an API error or a UI hint; it is None only when the value is valid.
    """

    compact: str
    display: str | Later
    status: Status
    scheme: str | None
    reason: Reason | None = None
    message: str | None = None

    @property
    def formatted(self) -> str:
        display = self.display
        return display if isinstance(display, str) else display.function(*display.arguments)

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def is_invalid(self) -> bool:
        return self.status == "invalid"


def valid(compact: str, scheme: str, formatted: str | Later | None = None) -> Result:
    return Result(compact, formatted or compact, "valid", scheme)


def invalid(
    value: str, scheme: str | None, reason: Reason, label: str, detail: str | None = None
) -> Result:
    """An invalid value; `label` names what it should have been ("Belgian VAT number")."""
    because = detail or _EXPLANATIONS[reason]
    message = f"'{value}' is not a valid {label}: {because}"
    return Result(value, value, "invalid", scheme, reason, message)


def unverified(value: str, reason: Reason, message: str, scheme: str | None = None) -> Result:
    return Result(value, value, "unverified", scheme, reason, message)


def reason_of(error: ValidationError) -> Reason:
    """Map python-stdnum's exception classes onto our reasons.

    InvalidLength is a subclass of InvalidFormat, so it is tested first.
    """
    if isinstance(error, InvalidLength):
        return "length"
    if isinstance(error, InvalidChecksum):
        return "checksum"
    if isinstance(error, InvalidComponent):
        return "component"
    return "format"


def progress(reason: Reason | None) -> int:
    """How far a check got before failing: the format, then the length, then the check digits
    or components. When several rules fail on one value, the one that got furthest is the rule
    whose shape the value has, and its reason says the most."""
    return {"format": 0, "length": 1}.get(reason or "", 2)
