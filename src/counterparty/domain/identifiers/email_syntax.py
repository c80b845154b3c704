"""E-mail syntax by email-validator's own steps, with the domain part checked once per domain.

`email_validator.validate_email` checks the part after the @-sign on every call, and that is
about two thirds of its cost (UTS-46 mapping, IDNA); a company's addresses and a mail
provider's millions share one domain. `validate` runs the steps of `validate_email` for our
options (syntax only, no DNS; the library's defaults otherwise) in the same order, calling
email-validator's own syntax functions, so addresses, normalised forms and messages stay the
library's; only the domain's check is remembered. A property test compares both.

The steps are those of email-validator 2.4 (2.3 split the address differently); with another
release `validate_email` itself is called, and a test says the steps need a look.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import email_validator
from email_validator import EmailSyntaxError, ValidatedEmail, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from email_validator.syntax import (
    DomainNameValidationResult,
    LocalPartValidationResult,
    split_email,
    validate_email_domain_name,
    validate_email_length,
    validate_email_local_part,
)

from counterparty.domain.identifiers.result import CACHE_SIZE

STEPS_OF = "2.4."
SAME_STEPS = email_validator.__version__.startswith(STEPS_OF)


def validate(email: str) -> str:
    """The normalised address, as `validate_email(email, check_deliverability=False)` gives
    it; raises the EmailNotValidError that call raises."""
    if not SAME_STEPS:
        return validate_email(email, check_deliverability=False).normalized
    display_name, original_local_part, unescaped_local_part, is_quoted_local_part, domain_part = (
        split_email(email)
    )
    local = _local_part(unescaped_local_part, is_quoted_local_part)
    if is_quoted_local_part and not email_validator.ALLOW_QUOTED_LOCAL:
        raise EmailSyntaxError("Quoting the part before the @-sign is not allowed here.")
    local_part, ascii_local_part = local["local_part"], local["ascii_local_part"]
    # RFC 2142: some mailbox names are case-insensitive.
    if ascii_local_part is not None and ascii_local_part.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:
        ascii_local_part, local_part = ascii_local_part.lower(), local_part.lower()
    if not domain_part:
        raise EmailSyntaxError("There must be something after the @-sign.")
    if domain_part.startswith("[") and domain_part.endswith("]"):
        # An IP address for a domain: rare, and refused by default; the library decides.
        return validate_email(email, check_deliverability=False).normalized
    domain = _domain_name(
        domain_part, email_validator.TEST_ENVIRONMENT, email_validator.GLOBALLY_DELIVERABLE
    )
    checked = ValidatedEmail()
    checked.original = original_local_part + "@" + domain_part
    checked.local_part, checked.ascii_local_part = local_part, ascii_local_part
    checked.domain, checked.ascii_domain = domain["domain"], domain["ascii_domain"]
    checked.normalized = local_part + "@" + domain["domain"]
    validate_email_length(checked)
    if display_name is not None and not email_validator.ALLOW_DISPLAY_NAME:
        raise EmailSyntaxError(
            "A display name and angle brackets around the email address are not permitted here."
        )
    return checked.normalized


def _local_part(unescaped: str, quoted: bool) -> LocalPartValidationResult:
    """The local part checked as typed, then again after NFC normalisation (RFC 6532 3.1)."""
    options = {
        "allow_smtputf8": email_validator.ALLOW_SMTPUTF8,
        "allow_empty_local": email_validator.ALLOW_EMPTY_LOCAL,
        "quoted_local_part": quoted,
        "strict": email_validator.STRICT,
    }
    checked = validate_email_local_part(unescaped, **options)
    normalized = unicodedata.normalize("NFC", unescaped)
    if normalized == unescaped:
        return checked
    try:
        return validate_email_local_part(normalized, **options)
    except EmailSyntaxError as error:
        raise EmailSyntaxError("After Unicode normalization: " + str(error)) from error


@lru_cache(maxsize=CACHE_SIZE)
def _domain_name(
    domain: str, test_environment: bool, globally_deliverable: bool
) -> DomainNameValidationResult:
    return validate_email_domain_name(
        domain, test_environment=test_environment, globally_deliverable=globally_deliverable
    )


__all__ = ["validate"]
