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

from collections.abc import Mapping
from typing import Literal

from counterparty.domain import identifiers
from counterparty.domain.contact import Check, ContactInput
from counterparty.domain.identifiers import BankAccountIdentifiers, IdentifierInput
from counterparty.errors import FieldError, ValidationFailed

Policy = Literal["strict", "lenient"]
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


def verify(
    contact: ContactInput, policy: Policy, previous: ContactInput | None = None
) -> tuple[ContactInput, list[Check]]:
    """The contact with normalised identifiers, and its validation report.

    Strict refuses only what this write brings: an invalid value already stored (say, by a
    lenient dialect) is reported again but does not block an unrelated change."""
    report = identifiers.check_identifiers(
        IdentifierInput(
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
                BankAccountIdentifiers(account.iban, account.bic)
                for account in contact.bank_accounts
            ),
        )
    )
    found = list(report.checks)
    persons = []
    for index, person in enumerate(contact.contact_persons):
        changes = {}
        for name, check in (
            ("email", identifiers.normalize_email),
            ("phone", lambda v: identifiers.normalize_phone(v, report.values.country_code)),
            ("mobile", lambda v: identifiers.normalize_phone(v, report.values.country_code)),
        ):
            value = getattr(person, name)
            if value:
                result = check(value)
                changes[name] = result.compact
                found.append(
                    identifiers.Check(
                        f"contact_persons/{index}/{name}",
                        result.status,
                        result.scheme,
                        result.reason,
                        result.message,
                    )
                )
        persons.append(person.model_copy(update=changes))
    refused = [
        check
        for check in found
        if check.status == "invalid"
        and (policy == "strict" or check.field in _ALWAYS_STRICT)
        and _value_at(contact, check.field) != _value_at(previous, check.field)
    ]
    if refused:
        errors = [
            FieldError(
                code=check.reason or "invalid",
                detail=check.message or "invalid",
                pointer="/" + check.field,
            )
            for check in refused
        ]
        raise ValidationFailed(f"{errors[0].pointer}: {errors[0].detail}", errors=errors)
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
            "contact_persons": persons,
        }
    )
    # Values kept aside are reported, never refused: the vendor accepted them.
    return normalised, [
        Check.model_construct(field=c.field, status=c.status, scheme=c.scheme, reason=c.reason)
        for c in [*found, *_unheld_checks(contact.extensions)]
    ]
