"""The OData $filter grammar, pure: parsing, precedence, evaluation, refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from counterparty.dialects.checking import PATTERN, TOO_LONG, Problem
from counterparty.dialects.fields import VendorField
from counterparty.dialects.odata import grammar as odata
from counterparty.dialects.odata import query
from counterparty.dialects.odata.answers import worded

PROPERTIES = ["lastname", "archived", "modified_dateutc", "id"]
ENTITY = {"lastname": "Peeters", "archived": False, "modified_dateutc": "2026-01-02T03:04:05.000Z",
          "id": "93498506-9dde-4593-b844-e3c51c0e2bc2"}  # fmt: skip


@pytest.mark.parametrize(
    ("expression", "kept"),
    [
        ("lastname eq 'Peeters'", True),
        ("lastname eq 'O''Brien'", False),
        ("archived eq false and lastname ne 'X'", True),
        ("archived eq true or lastname eq 'Peeters'", True),
        ("not archived eq false", False),
        ("archived eq true or lastname eq 'X' and archived eq false", False),  # and binds tighter
        ("(archived eq true or lastname eq 'Peeters') and archived eq false", True),
        ("modified_dateutc gt 2026-01-01T00:00:00Z", True),
        ("modified_dateutc lt 2026-01-01", False),
        ("id eq 93498506-9DDE-4593-B844-E3C51C0E2BC2", True),  # GUIDs ignore letter case
        ("id eq 93498506-9dde-4593-b844-e3c51c0e2bc3", False),
        ("contains(tolower(lastname), 'eet')", True),
        ("startswith(lastname, 'Pe') and endswith(lastname, 's')", True),
        ("toupper(lastname) eq 'PEETERS'", True),
        ("lastname eq null", False),
    ],
)
def test_filters_are_parsed_and_evaluated(expression: str, kept: bool) -> None:
    assert bool(odata.evaluate(odata.parse_filter(expression, PROPERTIES), ENTITY)) is kept


@pytest.mark.parametrize(
    ("expression", "named"),
    [
        ("lastname add 'x'", "add"),
        ("colour eq 'red'", "colour"),
        ("substringof('a', lastname)", "substringof"),
        ("(lastname eq 'a'", "expected ')'"),
        ("lastname eq", "end of the filter"),
        ("contains(lastname)", "contains takes 2"),
        ("lastname eq 'a' $", "cannot read"),
    ],
)
def test_unsupported_constructs_are_named(expression: str, named: str) -> None:
    with pytest.raises(odata.Unsupported, match=named.replace("(", r"\(").replace(")", r"\)")):
        odata.parse_filter(expression, PROPERTIES)


FIELDS: dict[str, query.FilterField] = {
    "modified_dateutc": "updated_since", "archived": "archived", "code": "external_ref",
}  # fmt: skip


@pytest.mark.parametrize(
    ("expression", "fields"),
    [
        ("archived eq true", {"archived": True}),
        ("code eq 'O''Brien ' and archived eq FALSE",
         {"external_ref": "O'Brien", "archived": False}),
        ("modified_dateutc ge 2026-01-02T03:04:05Z",
         {"updated_since": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)}),
        ("modified_dateutc gt datetime'2026-01-02T03:04:05'",  # no offset: UTC; gt: just after
         {"updated_since": datetime(2026, 1, 2, 3, 4, 5, 1, tzinfo=UTC)}),
        ("modified_dateutc lt 2026-01-02", None),  # the query has no upper bound: scanned
        ("archived eq 1", None),
        ("code ne 'X'", None),
        ("lastname eq 'Peeters'", None),  # not a field of the query
        ("archived eq true or code eq 'X'", None),
    ],
)  # fmt: skip
def test_the_comparisons_the_service_answers_become_its_query(
    expression: str, fields: dict[str, object] | None
) -> None:
    assert query.service_filter(expression, FIELDS) == fields


def test_every_problem_of_the_shared_checker_is_worded() -> None:
    row = VendorField("code", "text", "name", 10, pattern="[A-Z]+")
    assert worded(Problem("code", TOO_LONG, row)) == ("too_long", "at most 10 characters")
    assert worded(Problem("code", PATTERN, row)) == ("invalid_value", "not a valid value")


def test_the_size_and_nesting_of_a_filter_are_bounded() -> None:
    deepest = "(" * odata.MAX_DEPTH + "lastname eq 'x'" + ")" * odata.MAX_DEPTH
    assert odata.parse_filter(deepest, ["lastname"]) == ("cmp", "eq", ("property", "lastname"),
                                                          ("value", "x"))  # fmt: skip
    with pytest.raises(odata.Unsupported, match="nests deeper than 32 levels"):
        odata.parse_filter("(" + deepest + ")", ["lastname"])
    with pytest.raises(odata.Unsupported, match="nests deeper"):
        odata.parse_filter("not " * 33 + "archived", ["archived"])
    with pytest.raises(odata.Unsupported, match="longer than 300 terms"):
        odata.parse_filter(" or ".join(["archived"] * 151), ["archived"])
