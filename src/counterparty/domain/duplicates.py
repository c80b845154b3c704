"""Probable duplicates: the keys a contact is matched by, and the score of a pair with the
reasons behind it (docs/duplicates.md states the rules and weights).

Each rule that holds gives a weight; the score combines them as independent evidence,
1 - (1 - w1)(1 - w2)…, so it stays in [0, 1], grows with every further reason, and equals a
lone rule's weight. A similar name alone is worth at most SIMILAR_NAME_MAX.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from rapidfuzz.fuzz import token_sort_ratio

from counterparty.domain.contact import Contact
from counterparty.domain.legal_forms import name_key
from counterparty.domain.text import compact, fold

# contact_keys.value holds at most this many characters; a longer value is matched by its
# beginning and compared whole when scored.
KEY_LENGTH = 64
IDENTIFIER_FIELDS = ("vat_number", "tax_id", "registration_number")
# Words a name's blocking word skips: articles that begin many Dutch and other names.
_ARTICLES = frozenset({"de", "het", "van", "der", "den", "the", "la", "le", "el", "les", "di"})

SIMILAR_NAME_MIN = 0.85  # rapidfuzz token_sort_ratio / 100 of the name keys
SIMILAR_NAME_MAX = 0.8
WEIGHTS = {
    "same_vat_number": 0.95,
    "same_tax_id": 0.9,
    "same_registration_number": 0.85,
    "same_iban": 0.85,
    "same_name_and_city": 0.85,
    "same_email": 0.6,
    "same_phone": 0.5,
}
# Tax ids and registration numbers are national: where one contact has no country, the same
# number is weaker evidence; where the countries differ, none.
COUNTRY_UNKNOWN_WEIGHTS = {"same_tax_id": 0.7, "same_registration_number": 0.6}


@dataclass(frozen=True)
class Reason:
    field: str
    rule: str
    detail: str


@dataclass(frozen=True)
class DuplicateNotice:
    """Another active contact with the same identifier as a contact being written."""

    contact_id: UUID
    number: int
    field: str
    rule: str

    def shown(self) -> dict[str, Any]:
        return {"id": str(self.contact_id), "number": self.number, **self.reason()}

    def reason(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule}


@dataclass(frozen=True)
class Likeness:
    score: float
    reasons: tuple[Reason, ...]


def blocking_word(key: str) -> str | None:
    """The word of a name key that similar names are looked for by: its first, after
    articles.

    >>> blocking_word("de vries"), blocking_word("de")
    ('vries', 'de')
    """
    found = key.split()
    for word in found:
        if word not in _ARTICLES:
            return word[:KEY_LENGTH]
    return found[0][:KEY_LENGTH] if found else None


def _phones(contact: Contact) -> set[str]:
    return {compact(value) for value in (contact.phone, contact.mobile) if value}


def _ibans(contact: Contact) -> set[str]:
    return {compact(a.iban).upper() for a in contact.bank_accounts if a.iban}


def key_sources(contact: Contact) -> tuple[Any, ...]:
    """What a contact's matching keys are derived from: equal sources, equal keys."""
    return (
        *(getattr(contact, field) for field in IDENTIFIER_FIELDS),
        contact.email,
        contact.phone,
        contact.mobile,
        contact.name,
        [account.iban for account in contact.bank_accounts],
    )


def _identifier_rows(contact: Contact) -> Iterator[tuple[str, str]]:
    for field in IDENTIFIER_FIELDS:
        if value := getattr(contact, field):
            yield field, value
    for iban in sorted(_ibans(contact)):
        yield "iban", iban
    if contact.email:
        yield "email", contact.email.lower()
    for phone in sorted(_phones(contact)):
        yield "phone", phone


def matching_keys(contact: Contact) -> list[tuple[str, str]]:
    """The (field, value) rows a contact is found by: its identifiers as stored (compact),
    its IBANs, e-mail and phones, and the blocking word of its name key."""

    def rows() -> Iterator[tuple[str, str]]:
        yield from _identifier_rows(contact)
        if contact.name and (word := blocking_word(name_key(contact.name))):
            yield "name", word

    return list(dict.fromkeys((field, value[:KEY_LENGTH]) for field, value in rows()))


def identifier_keys(contact: Contact) -> set[tuple[str, str]]:
    """The matching keys of a contact but its name's: what it shares with a duplicate exactly
    (the name key, which costs the most to derive, is left out)."""
    return {(field, value[:KEY_LENGTH]) for field, value in _identifier_rows(contact)}


def _country(contact: Contact) -> str | None:
    return contact.address.country_code


def _city(contact: Contact) -> str:
    return fold(contact.address.city or "").strip()


def _national(rule: str, a: Contact, b: Contact) -> float | None:
    """A national number's weight: None when the countries differ."""
    if _country(a) and _country(b):
        return WEIGHTS[rule] if _country(a) == _country(b) else None
    return COUNTRY_UNKNOWN_WEIGHTS[rule]


def _identifier_reasons(a: Contact, b: Contact) -> Iterator[tuple[float, Reason]]:
    if a.vat_number and a.vat_number == b.vat_number:
        detail = f"both have VAT number {a.vat_number}"
        yield WEIGHTS["same_vat_number"], Reason("vat_number", "same_vat_number", detail)
    for field, rule, label in (
        ("tax_id", "same_tax_id", "tax id"),
        ("registration_number", "same_registration_number", "registration number"),
    ):
        value = getattr(a, field)
        if value and value == getattr(b, field) and (weight := _national(rule, a, b)):
            where = f" in {_country(a) or _country(b) or 'an unknown country'}"
            yield weight, Reason(field, rule, f"both have {label} {value}{where}")
    if shared := sorted(_ibans(a) & _ibans(b)):
        detail = f"both have IBAN {shared[0]}"
        yield WEIGHTS["same_iban"], Reason("bank_accounts.iban", "same_iban", detail)
    if a.email and b.email and a.email.lower() == b.email.lower():
        detail = f"both have e-mail {a.email.lower()}"
        yield WEIGHTS["same_email"], Reason("email", "same_email", detail)
    if phones := sorted(_phones(a) & _phones(b)):
        yield WEIGHTS["same_phone"], Reason("phone", "same_phone", f"both have phone {phones[0]}")


def _name_reason(a: Contact, b: Contact) -> tuple[float, Reason] | None:
    key_a, key_b = name_key(a.name or ""), name_key(b.name or "")
    if not key_a or not key_b:
        return None
    same_city = bool(_city(a)) and _city(a) == _city(b)
    countries_differ = bool(_country(a) and _country(b) and _country(a) != _country(b))
    if key_a == key_b and same_city and not countries_differ:
        detail = f"both are named '{key_a}' in {a.address.city}"
        return WEIGHTS["same_name_and_city"], Reason("name", "same_name_and_city", detail)
    same_country = bool(_country(a)) and _country(a) == _country(b)
    if not same_country and (countries_differ or not same_city):
        return None
    similarity = token_sort_ratio(key_a, key_b) / 100
    if similarity < SIMILAR_NAME_MIN:
        return None
    weight = similar_name_weight(similarity)
    detail = f"names '{key_a}' and '{key_b}' are {similarity:.0%} alike"
    return weight, Reason("name", "similar_name", detail)


def similar_name_weight(similarity: float) -> float:
    """From 0.5 at the least similarity that counts to SIMILAR_NAME_MAX for the same name.

    >>> similar_name_weight(1.0), similar_name_weight(SIMILAR_NAME_MIN)
    (0.8, 0.5)
    """
    span = (similarity - SIMILAR_NAME_MIN) / (1 - SIMILAR_NAME_MIN)
    return round(0.5 + span * (SIMILAR_NAME_MAX - 0.5), 3)


def likeness(a: Contact, b: Contact) -> Likeness | None:
    """How likely `b` is a duplicate of `a`, and why; None when no rule holds."""
    found = list(_identifier_reasons(a, b))
    if (name := _name_reason(a, b)) is not None:
        found.append(name)
    if not found:
        return None
    remaining = 1.0
    for weight, _ in found:
        remaining *= 1 - weight
    found.sort(key=lambda pair: -pair[0])
    return Likeness(round(1 - remaining, 3), tuple(reason for _, reason in found))
