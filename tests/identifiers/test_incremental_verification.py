"""verify with the stored contact as `previous` checks only what changed, and its outcome is
exactly that of checking everything again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from bench.dataset.documents import contact_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterparty.domain import identifiers
from counterparty.domain.contact import WRITABLE_FIELDS, Check, Contact, ContactInput
from counterparty.domain.identifiers import report as report_module
from counterparty.domain.verification import POLICIES, Policy, verify
from counterparty.errors import ValidationFailed

COUNTRIES = ["TR", "BE", "NL", "CZ", "SK", "DE", "FR", "GB", "AT", "US", "Türkiye", None]
VAT_NUMBERS = [
    "BE0403019261", "0403.019.261", "BE 0403.019.262", "NL004495445B01", "004495445B01",
    "CZ25123891", "25123891", "SK2020273893", "2020273893", "DE136695976", "136695976",
    "FR40303265045", "ATU13585627", "GB980780684", "EL094259216", "GR094259216", "TR4540536920",
    "CHE-116.281.710 MWST", "XI980780684", "US123", "XX123", "12",
]  # fmt: skip
TAX_IDS = [
    "4540536920", "10000000146", "1234567891", "TR 454 053 6920", "0403.019.261", "BE0403019261",
    "85.07.30-033 28", "CZ 25123891", "25123892", "2020 273 893", "20202738A3", "1112.22.333",
    "NL004495445B01", "36 574 261 809", "30 23 217 600 053", "404 833 048", "1955839661", "x",
]  # fmt: skip
REGISTRATION_NUMBERS = [
    "0403019261", "0403.019.262", "17001910", "1700191", "25123891", "CZ25123891", "31322832",
    "HRB 12345", "404 833 048", "40483304800013", "FN 122119m", "12345678",
]  # fmt: skip
PEPPOL_IDS = [
    "0208:0403019261", "0208:BE0403019261", "9925:BE0403019261", "9944:NL004495445B01",
    "0106:1700 1910", "9952:4540536920", "9956:0403019261", "0088:5790000435975", "1234:5", "x",
]  # fmt: skip
EMAILS = [
    "Jan@Example.BE", "info@müller-elektro.de", "ÖZGÜR@şirket.com.tr", "a..b@example.com",
    "no-at-sign", "x@localhost", "info@peeters-bouwwerken.be", "Postmaster@Example.NL",
]  # fmt: skip
PHONES = [
    "02 555 12 12", "+32 2 555 12 12", "0212 555 12 12", "0532 123 45 67", "020 123 4567",
    "+420 224 004 111", "224 004 111", "+421 2 5443 5443", "030 1234567", "+49 30 1234567",
    "01 23 45 67 89", "+33 1 23 45 67 89", "+44 20 7946 0958", "+1 212 555 0100",
    "+32 2 555 12 12 ext. 7", "call me", "12", "+999 123", "+3225551212", "0470 12 34 56",
]  # fmt: skip
IBANS = [
    "BE71096123456769", "be71 0961 2345 6769", "NL91ABNA0417164300", "DE89370400440532013000",
    "GB82WEST12345698765432", "TR330006100519786457841326", "CZ6508000000192000145399",
    "SK3112000000198742637541", "FR1420041010050500013M02606", "BE71096123456768", "XX12",
]  # fmt: skip
BICS = ["GKCCBEBB", "INGBNL2A", "DEUTDEFF", "KOMBCZPP", "BNPAGPGP", "NWBKGB2L", "XXX", None]

TOP_LEVEL = {
    "vat_number": VAT_NUMBERS,
    "tax_id": TAX_IDS,
    "registration_number": REGISTRATION_NUMBERS,
    "peppol_id": PEPPOL_IDS,
    "email": EMAILS,
    "phone": PHONES,
    "mobile": PHONES,
    "fax": PHONES,
}

maybe = st.none() | st.just("")


def _value(pool: list[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(pool) | maybe


persons = st.fixed_dictionaries(
    {"name": st.just("Contact"), "email": _value(EMAILS), "phone": _value(PHONES)},
    optional={"mobile": _value(PHONES)},
)
accounts = st.fixed_dictionaries({"iban": _value(IBANS), "bic": st.sampled_from(BICS)})


@st.composite
def odd_values(draw: st.DrawFn) -> dict[str, Any]:
    """Values to lay over a realistic contact: other countries, typed forms, invalid ones."""
    overlay: dict[str, Any] = {
        field: draw(_value(pool)) for field, pool in TOP_LEVEL.items() if draw(st.booleans())
    }
    if draw(st.booleans()):
        overlay["address"] = {"country_code": draw(st.sampled_from(COUNTRIES))}
    if draw(st.booleans()):
        overlay["contact_persons"] = draw(st.lists(persons, max_size=3))
    if draw(st.booleans()):
        overlay["bank_accounts"] = draw(st.lists(accounts, max_size=3))
    return overlay


@st.composite
def edit(draw: st.DrawFn) -> Any:
    """One change a PATCH or PUT could make to the stored document."""
    kind = draw(
        st.sampled_from(
            ["field", "country", "swap_phones", "person", "persons", "account", "accounts"]
        )
    )
    if kind == "field":
        field = draw(st.sampled_from(sorted(TOP_LEVEL)))
        value = draw(_value(TOP_LEVEL[field]))
        return lambda document: document.update({field: value})
    if kind == "country":
        country = draw(st.sampled_from(COUNTRIES) | st.none())
        return lambda document: document["address"].update({"country_code": country})
    if kind == "swap_phones":
        return lambda document: document.update(
            {"phone": document["mobile"], "mobile": document["phone"]}
        )
    items, new_item = (
        ("contact_persons", persons) if kind.startswith("person") else ("bank_accounts", accounts)
    )
    if kind in ("persons", "accounts"):  # move the list around: every path shifts
        how = draw(st.sampled_from(["insert_first", "drop_first", "reverse"]))
        added = draw(new_item)

        def move(document: dict[str, Any]) -> None:
            listed = document[items]
            if how == "insert_first":
                listed.insert(0, added)
            elif how == "drop_first" and listed:
                listed.pop(0)
            else:
                listed.reverse()

        return move
    changed = draw(new_item)
    position = draw(st.integers(0, 3))

    def change_one(document: dict[str, Any]) -> None:
        listed = document[items]
        if position < len(listed):
            listed[position].update(changed)

    return change_one


@st.composite
def stored_contacts(draw: st.DrawFn) -> Contact:
    """A realistic contact, maybe with odd values, as a lenient write stored it; its VAT check
    maybe answered by the registry, some checks maybe missing (written by an older release)."""
    document = contact_document(draw(st.integers(0, 2**32)), draw(st.integers(1, 10_000)))
    for field, value in draw(odd_values()).items():
        if field == "address":
            document["address"].update(value)
        else:
            document[field] = value
    for account in document.get("bank_accounts", []):
        account["is_default"] = False
    wanted, checks = verify(ContactInput.model_validate(document), "lenient")
    if draw(st.booleans()):
        checks = [
            _answered(check, draw(st.sampled_from(["pending", "verified"]))) for check in checks
        ]
    # Of the missing checks, those that decide others' context matter most.
    missing = draw(st.sampled_from([None, "address/country_code", "bank_accounts/0/iban", "any"]))
    if missing == "any" and checks:
        checks.pop(draw(st.integers(0, len(checks) - 1)))
    elif missing:
        checks = [check for check in checks if check.field != missing]
    return _as_stored(wanted, checks)


def _as_stored(wanted: ContactInput, checks: list[Check]) -> Contact:
    """The contact as the service stores it, with its checks."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return Contact.model_validate(
        {
            **wanted.model_dump(include=set(WRITABLE_FIELDS)),
            "id": "0195c6a4-7d0e-7000-8000-000000000001",
            "number": 1,
            "checks": [check.model_dump() for check in checks],
            "version": 1,
            "created_at": moment,
            "updated_at": moment,
        }
    )


def _answered(check: Check, status: str) -> Check:
    if check.field != "vat_number" or check.status != "valid" or check.scheme != "eu.vat":
        return check
    evidence = {"registry": "VIES", "checked_at": "2026-01-01T00:00:00+00:00"}
    return check.model_copy(update={"status": status, "evidence": evidence})


def _outcome(contact: ContactInput, policy: Policy, previous: ContactInput) -> Any:
    try:
        wanted, checks = verify(contact, policy, previous)
    except ValidationFailed as refused:
        return ("refused", str(refused), [error.__dict__ for error in refused.errors])
    return (wanted.model_dump(), [check.model_dump() for check in checks])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stored=stored_contacts(), edits=st.lists(edit(), min_size=1, max_size=3))
def test_checking_what_changed_gives_what_checking_everything_gives(
    stored: Contact, edits: list[Any]
) -> None:
    document = stored.model_dump(include=set(WRITABLE_FIELDS))
    for change in edits:
        change(document)
    changed = ContactInput.model_validate(document)
    # The stored values without their checks: verify has nothing to reuse.
    plain = ContactInput.model_validate(stored.model_dump(include=set(WRITABLE_FIELDS)))
    for policy in POLICIES:
        assert _outcome(changed, policy, stored) == _outcome(changed, policy, plain)


def _phone_contact(**changes: Any) -> ContactInput:
    document = {
        "name": "Peeters Bouwwerken BV",
        "vat_number": "BE0403019261",
        "phone": "02 555 12 12",
        "email": "info@peeters-bouwwerken.be",
        "address": {"country_code": "BE"},
        "bank_accounts": [{"iban": "BE71096123456769", "bic": "GKCCBEBB"}],
        "contact_persons": [{"name": "Jan", "phone": "0470 12 34 56"}],
    }
    return ContactInput.model_validate({**document, **changes})


def _stored(contact: ContactInput, policy: Policy = "strict") -> Contact:
    return _as_stored(*verify(contact, policy))


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The values the checks of phone numbers and e-mail addresses are run on."""
    seen: list[str] = []
    for name in ("normalize_phone", "normalize_email"):
        original = getattr(report_module, name)

        def spy(value: str, *context: str | None, _original: Any = original) -> Any:
            seen.append(value)
            return _original(value, *context)

        monkeypatch.setattr(report_module, name, spy)
    return seen


def test_a_new_phone_number_is_the_only_value_checked_again(checked: list[str]) -> None:
    stored = _stored(_phone_contact())
    checked.clear()
    changed = ContactInput.model_validate(
        {**stored.model_dump(include=set(WRITABLE_FIELDS)), "phone": "02 555 12 13"}
    )
    wanted, _ = verify(changed, "strict", previous=stored)
    assert checked == ["02 555 12 13"]
    assert wanted.phone == "+3225551213"


def test_a_new_country_checks_the_numbers_that_depend_on_it_again(checked: list[str]) -> None:
    stored = _stored(_phone_contact())
    checked.clear()
    document = stored.model_dump(include=set(WRITABLE_FIELDS))
    document["address"]["country_code"] = "NL"
    verify(ContactInput.model_validate(document), "lenient", previous=stored)
    # The e-mail address does not depend on the country; both phone numbers do.
    assert sorted(checked) == ["+3225551212", "+32470123456"]


def test_a_person_inserted_first_does_not_get_the_others_checked_again(
    checked: list[str],
) -> None:
    stored = _stored(_phone_contact())
    checked.clear()
    document = stored.model_dump(include=set(WRITABLE_FIELDS))
    document["contact_persons"].insert(0, {"name": "Els", "email": "els@example.be"})
    _, checks = verify(ContactInput.model_validate(document), "strict", previous=stored)
    assert checked == ["els@example.be"]
    assert {check.field for check in checks} >= {
        "contact_persons/0/email",
        "contact_persons/1/phone",
    }


def test_a_refusal_of_a_remembered_value_still_says_why() -> None:
    """An invalid phone stored by a lenient write, moved to another field under strict: the
    value is new there, so it is refused, with the message a stored check does not keep."""
    stored = _stored(_phone_contact(mobile="02 555"), "lenient")
    moved = ContactInput.model_validate(
        {**stored.model_dump(include=set(WRITABLE_FIELDS)), "fax": stored.mobile}
    )
    with pytest.raises(ValidationFailed) as refused:
        verify(moved, "strict", previous=stored)
    [error] = refused.value.errors
    assert error.pointer == "/fax"
    expected = identifiers.normalize_phone("02 555", "BE").message
    assert expected is not None and error.detail == expected
