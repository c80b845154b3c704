"""ASP.NET model binding of a body with a nested object (`aspnet.read_model`), without HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from counterparty.dialects import aspnet
from counterparty.dialects.fields import VendorField, Verb
from counterparty.errors import ValidationFailed

ACCOUNT = (
    VendorField("CurrencyId", "integer", "bank_accounts.currency", required=("POST",), bits=32),
    VendorField("Iban", "text", "bank_accounts.iban", 10),
)
MODEL = (
    VendorField("Name", "text", "name", 20, required=("POST", "PUT"), blank=False),
    VendorField("CountryId", "integer", "address.country_code", required=("POST",), bits=32),
    VendorField("Id", "integer", "number", read_only=True),
    VendorField("Account", "object", "bank_accounts", members=ACCOUNT),
)


def model_state(body: Any, verb: Verb) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        aspnet.read_model(body, MODEL, verb, zero_is_none=True)
    state: dict[str, list[str]] = {}
    for error in caught.value.errors:
        state.setdefault(error.parameter or "", []).append(error.detail)
    return state


def test_members_bind_without_regard_to_case_and_read_only_ones_are_ignored() -> None:
    body = {"name": "Acme", "COUNTRYID": 2, "Id": 7, "account": {"iban": "CZ65"}, "x": 1}
    values = aspnet.read_model(body, MODEL, "PATCH")
    assert values == {"Name": "Acme", "CountryId": 2, "Account": {"Iban": "CZ65"}}


def test_a_nested_objects_errors_are_keyed_by_its_dotted_model_state_key() -> None:
    body = {"Name": "Acme", "CountryId": 2, "Account": {"CurrencyId": 0, "Iban": "X" * 11}}
    assert model_state(body, "POST") == {
        "Account.CurrencyId": ["The Account.CurrencyId field is required."],
        "Account.Iban": ["The field Iban must be a string with a maximum length of 10."],
    }


@pytest.mark.parametrize("account", ["", "  ", 3, [], True])
def test_a_nested_object_that_is_no_object_is_refused(account: Any) -> None:
    body = {"Name": "Acme", "Account": account}
    assert model_state(body, "PATCH") == {"Account": ["The field Account must be an object."]}


def test_zero_is_no_value_for_a_value_type_and_each_broken_rule_has_one_message() -> None:
    assert model_state({"Name": " ", "CountryId": 0}, "POST") == {
        "Name": ["The Name field is required."],
        "CountryId": ["The CountryId field is required."],
    }
    assert model_state({"Name": 0, "CountryId": False}, "POST") == {
        "Name": ["The field Name must be a string."],
        "CountryId": ["The field CountryId must be an integer."],
    }
    assert aspnet.read_model({"CountryId": 0.0}, MODEL, "PATCH", zero_is_none=True) == {
        "CountryId": None
    }


def test_a_body_that_is_no_object_is_invalid() -> None:
    assert model_state([{"Name": "Acme"}], "POST") == {"": ["The body must be a JSON object."]}
