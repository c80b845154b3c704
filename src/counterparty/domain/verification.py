"""Apply the identifier checks to a contact under a tenant's validation policy.

`strict` (the default) refuses a contact with an invalid identifier: a 422 pointing at the
field, with the reason (`checksum`, `length`, `format`, `country_mismatch`, …) as its code.
`lenient` stores the value (in its compact form) and reports it `invalid` in `checks`; the
vendor dialects run lenient, because their clients send what the vendor accepted.
Country, language and currency are codes other rules depend on: they are always checked. A
dialect whose vendor accepts a country the canonical model cannot hold keeps the text under
`extensions.<vendor>.unheld` (`{"address/country_code": text}`); it is reported here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, NoReturn, TypeVar

from pydantic import BaseModel, TypeAdapter

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
ModelT = TypeVar("ModelT", bound=BaseModel)
# One validation of the whole list costs less than building each Check on its own.
_CHECKS = TypeAdapter(list[Check])
POLICIES: tuple[Policy, ...] = ("strict", "lenient")
_ALWAYS_STRICT = ("address/country_code", "language", "currency")
UNHELD = "unheld"  # extensions.<vendor> member: values kept aside, by check path
_UNHELD_CHECKS = {"address/country_code": identifiers.normalize_country}


def _unheld_checks(extensions: Mapping[str, object]) -> list[identifiers.Check]:
    """The checks of values a dialect kept aside because the canonical field cannot hold them."""
    found = []
    for namespace in extensions.values():
        kept = namespace.get(UNHELD) if isinstance(namespace, dict) else None
        for path, value in (kept or {}).items():
            if path in _UNHELD_CHECKS and isinstance(value, str):
                result = _UNHELD_CHECKS[path](value)
                found.append(
                    identifiers.Check(
                        path, result.status, result.scheme, result.reason, result.message
                    )
                )
    return found


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
    if _refused(report, contact, policy, previous):
        # Remembered results carry no message: the error is worded from a full check.
        full = identifiers.check_identifiers(data, None, persons) if known else report
        _refuse(full, _refused(full, contact, policy, previous))
    values = report.values
    normalised = contact.model_copy(
        update={
            "address": _updated(contact.address, country_code=values.country_code),
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
                _updated(account, iban=checked.iban, bic=checked.bic)
                for account, checked in zip(
                    contact.bank_accounts, values.bank_accounts, strict=True
                )
            ],
            "contact_persons": [
                _updated(person, email=checked.email, phone=checked.phone, mobile=checked.mobile)
                for person, checked in zip(
                    contact.contact_persons, report.contact_persons, strict=True
                )
            ],
        }
    )
    # Values kept aside are reported, never refused: the vendor accepted them.
    unheld = [
        {"field": c.field, "status": c.status, "scheme": c.scheme, "reason": c.reason}
        for c in _unheld_checks(contact.extensions)
    ]
    return normalised, _CHECKS.validate_python(
        [
            *(
                {"field": path, "status": r.status, "scheme": r.scheme, "reason": r.reason}
                for path, r in report.results.items()
            ),
            *unheld,
        ]
    )


def _updated(model: ModelT, **values: str | None) -> ModelT:
    """`model` with `values`: a copy, or `model` itself when it has them already (the copy is
    shallow either way, and most parts of a contact come back from the checks unchanged)."""
    if all(getattr(model, name) == value for name, value in values.items()):
        return model
    return model.model_copy(update=values)


def _refused(
    report: identifiers.IdentifierReport,
    contact: ContactInput,
    policy: Policy,
    previous: ContactInput | None,
) -> list[str]:
    """The paths of the invalid values the policy refuses, among those this write brings."""
    return [
        path
        for path, result in report.results.items()
        if result.is_invalid
        and (policy == "strict" or path in _ALWAYS_STRICT)
        and _value_at(contact, path) != _value_at(previous, path)
    ]


def _refuse(report: identifiers.IdentifierReport, paths: Sequence[str]) -> NoReturn:
    errors = [
        FieldError(
            code=report.results[path].reason or "invalid",
            detail=report.results[path].message or "invalid",
            pointer="/" + path,
        )
        for path in paths
    ]
    raise ValidationFailed(f"{errors[0].pointer}: {errors[0].detail}", errors=errors)
