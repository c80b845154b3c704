"""Validating only what a change touches gives what validating the whole contact gives."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterparty.domain.contact import ContactInput
from counterparty.domain.documents import writable_document
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.validation import validate_changes, validate_document
from counterparty.errors import ValidationFailed

CURRENT = validate_document(
    ContactInput,
    {
        "name": "Acme BV",
        "tags": ["a", "b"],
        "bank_accounts": [{"iban": "NL91ABNA0417164300", "is_default": True}],
        "contact_persons": [{"first_name": "Eva"}],
        "address": {"city": "Gent", "country_code": "BE"},
    },
)
VALUES: dict[str, list[Any]] = {
    "name": ["Other", "", None, "x" * 201, 5],
    "kind": ["person", "company", "robot"],
    "first_name": ["Jan", None],
    "notes": ["n", "x" * 10001, None],
    "tags": [["a", "a", "c"], ["x" * 51], "tag", []],
    "address": [{"city": "Brugge"}, {"country_code": "XX"}, {"bogus": 1}, None],
    "payment_terms_days": [30, -1, "30", True, None],
    "discount_percent": [2.5, 101, 1.234, None],
    "bank_accounts": [
        [{"iban": "x", "is_default": True}, {"iban": "y", "is_default": True}],
        [],
        "none",
    ],
    "custom_fields": [{"ok_key": 1}, {"Bad Key": 1}, {"k": "x" * 501}],
    "unknown_member": [1],
    "is_customer": [False, "yes"],
}


def outcome(validate: Any) -> Any:
    try:
        return validate().model_dump(mode="json")
    except ValidationFailed as failure:
        return sorted((e.code, e.pointer or "", e.detail) for e in failure.errors)


@given(
    st.dictionaries(
        st.sampled_from(sorted(VALUES)), st.integers(min_value=0, max_value=4), max_size=4
    )
)
def test_partial_and_full_validation_agree(choices: dict[str, int]) -> None:
    patch = {name: VALUES[name][index % len(VALUES[name])] for name, index in choices.items()}
    current = writable_document(CURRENT)
    wanted = merge_patch(current, patch)
    full = outcome(lambda: validate_document(ContactInput, wanted))
    partial = outcome(lambda: validate_changes(CURRENT, current, wanted))
    assert partial == full


@pytest.mark.parametrize("wanted", [None, [], "text"])
def test_a_document_that_is_not_an_object_is_refused_the_same_way(wanted: Any) -> None:
    full = outcome(lambda: validate_document(ContactInput, wanted))
    assert outcome(lambda: validate_changes(CURRENT, writable_document(CURRENT), wanted)) == full
