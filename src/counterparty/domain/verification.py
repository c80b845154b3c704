"""Apply the identifier checks to a contact under a tenant's validation policy.

`strict` (the default) refuses a contact with an invalid identifier: a 422 pointing at the
field, with the reason (`checksum`, `length`, `format`, `country_mismatch`, …) as its code.
`lenient` stores the value (in its compact form) and reports it `invalid` in `checks`; the
vendor dialects run lenient, because their clients send what the vendor accepted.
Country, language and currency are codes other rules depend on: they are always checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NoReturn

from counterparty.domain import identifiers
from counterparty.domain.contact import Check, Contact, ContactInput
from counterparty.domain.identifiers import (
    BankAccountIdentifiers,
    IdentifierInput,
    PersonIdentifiers,
)
from counterparty.domain.identifiers.recall import remember
from counterparty.errors import FieldError, ValidationFailed

Policy = Literal["strict", "lenient"]
POLICIES: tuple[Policy, ...] = ("strict", "lenient")
_ALWAYS_STRICT = ("address/country_code", "language", "currency")


def _value_at(contact: ContactInput | None, path: str) -> object:
    """The value a check path names ("vat_number", "bank_accounts/0/iban"), or None."""
    value: object = contact
    for part in path.split("/"):
        if value is None:
            return None
        if isinstance(value, list):
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            value = getattr(value, part, None)
    return value


def identifier_input(contact: ContactInput) -> IdentifierInput:
    """The contact's checked fields as plain values."""
    return IdentifierInput(
        country_code=contact.address.country_code,
        tax_id=contact.tax_id,
        vat_number=contact.vat_number,
        registration_number=contact.registration_number,
        peppol_id=contact.peppol_id,
        email=contact.email,
        phone=contact.phone,
        mobile=contact.mobile,
        fax=contact.fax,
        language=contact.language,
        currency=contact.currency,
        bank_accounts=tuple(
            BankAccountIdentifiers(account.iban, account.bic) for account in contact.bank_accounts
        ),
    )


def _persons(contact: ContactInput) -> tuple[PersonIdentifiers, ...]:
    return tuple(
        PersonIdentifiers(person.email, person.phone, person.mobile)
        for person in contact.contact_persons
    )


def verify(
    contact: ContactInput, policy: Policy, previous: ContactInput | None = None
) -> tuple[ContactInput, list[Check]]:
    """The contact with normalised identifiers, and its validation report.

    Strict refuses only what this write brings: an invalid value already stored (say, by a
    lenient dialect) is reported again but does not block an unrelated change.

    When `previous` is the stored `Contact`, its checks stand in for checking its unchanged
    values again (`identifiers.recall`): the outcome is the same, at the cost of what changed."""
    data, persons = identifier_input(contact), _persons(contact)
    known = (
        remember(identifier_input(previous), previous.checks, _persons(previous))
        if isinstance(previous, Contact)
        else None
    )
    report = identifiers.check_identifiers(data, known, persons)
    if _refused(report.checks, contact, policy, previous):
        # Remembered results carry no message: the error is worded from a full check.
        full = identifiers.check_identifiers(data, None, persons) if known else report
        _refuse(_refused(full.checks, contact, policy, previous))
    values = report.values
    normalised = contact.model_copy(
        update={
            "address": contact.address.model_copy(update={"country_code": values.country_code}),
            "tax_id": values.tax_id,
            "vat_number": values.vat_number,
            "registration_number": values.registration_number,
            "peppol_id": values.peppol_id,
            "email": values.email,
            "phone": values.phone,
            "mobile": values.mobile,
            "fax": values.fax,
            "language": values.language,
            "currency": values.currency,
            "bank_accounts": [
                account.model_copy(update={"iban": checked.iban, "bic": checked.bic})
                for account, checked in zip(
                    contact.bank_accounts, values.bank_accounts, strict=True
                )
            ],
            "contact_persons": [
                person.model_copy(
                    update={
                        "email": checked.email,
                        "phone": checked.phone,
                        "mobile": checked.mobile,
                    }
                )
                for person, checked in zip(
                    contact.contact_persons, report.contact_persons, strict=True
                )
            ],
        }
    )
    return normalised, [
        Check.model_construct(field=c.field, status=c.status, scheme=c.scheme, reason=c.reason)
        for c in report.checks
    ]


def _refused(
    checks: Iterable[identifiers.Check],
    contact: ContactInput,
    policy: Policy,
    previous: ContactInput | None,
) -> list[identifiers.Check]:
    """The invalid values the policy refuses, among those this write brings."""
    return [
        check
        for check in checks
        if check.status == "invalid"
        and (policy == "strict" or check.field in _ALWAYS_STRICT)
        and _value_at(contact, check.field) != _value_at(previous, check.field)
    ]


def _refuse(refused: Sequence[identifiers.Check]) -> NoReturn:
    errors = [
        FieldError(
            code=check.reason or "invalid",
            detail=check.message or "invalid",
            pointer="/" + check.field,
        )
        for check in refused
    ]
    raise ValidationFailed(f"{errors[0].pointer}: {errors[0].detail}", errors=errors)
