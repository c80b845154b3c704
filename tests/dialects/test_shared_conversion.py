"""The shared pieces a vendor package derives its conversions and checks from, without HTTP:
the table-driven copies in both directions, and the checker's `known` column."""

from __future__ import annotations

from typing import Any

from counterparty.dialects.base import to_canonical, to_vendor
from counterparty.dialects.checking import UNKNOWN, check
from counterparty.dialects.fields import Rule, VendorField

TABLE = (
    VendorField("no", "integer", "number", read_only=True),
    VendorField("title", "text", "name", 200),
    VendorField("town", "text", "address.city"),
    VendorField("land", "text", "address.country_code", 60, format="country", known=True),
    VendorField("firm", "boolean", Rule("kind")),
    VendorField("kept", "text", "extensions.toy.kept", format="country"),  # any text
)


def test_one_to_one_rows_are_copied_in_and_rules_left_to_the_package() -> None:
    patch = to_canonical(TABLE, {"no": 7, "title": "Toy", "firm": True, "other": 1})
    # every writable path is set (None where the body has no value), nothing else
    assert patch == {"name": "Toy", "address": {"city": None, "country_code": None},
                     "extensions": {"toy": {"kept": None}}}  # fmt: skip


def test_a_vendor_conversion_sees_each_row_and_its_value() -> None:
    seen: list[tuple[str, Any]] = []

    def convert(row: VendorField, value: Any) -> Any:
        seen.append((row.name, value))
        return value.upper() if isinstance(value, str) else value

    patch = to_canonical(TABLE, {"town": "gent", "land": "be"}, convert)
    assert patch["address"] == {"city": "GENT", "country_code": "BE"}
    assert seen == [("title", None), ("town", "gent"), ("land", "be"), ("kept", None)]


def test_out_comes_in_the_tables_order_with_the_rules_values() -> None:
    document = {"number": 7, "name": "Toy", "address": {"city": "Gent"}}
    body = to_vendor(TABLE, document, {"firm": False})
    assert list(body) == ["no", "title", "town", "land", "firm", "kept"]
    assert body == {"no": 7, "title": "Toy", "town": "Gent", "land": None, "firm": False,
                    "kept": None}  # fmt: skip


def test_a_known_country_must_name_one_counterparty_knows() -> None:
    assert check(TABLE, {"land": "Türkiye"}, "PUT") == []
    assert check(TABLE, {"land": "be"}, "PUT") == []
    (problem,) = check(TABLE, {"land": "Atlantis"}, "PUT")
    assert (problem.name, problem.code, problem.value) == ("land", UNKNOWN, "Atlantis")
    # a broken column is reported first, and only once
    (too_long,) = check(TABLE, {"land": "x" * 61}, "PUT")
    assert too_long.code == "too_long"


def test_a_country_text_without_known_may_be_any_text() -> None:
    assert check(TABLE, {"kept": "Atlantis"}, "PUT") == []
