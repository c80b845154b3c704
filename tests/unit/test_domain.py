"""Pure rules: merge patch, text folding, key format, validation errors."""

from __future__ import annotations

from typing import Any

import pytest

from counterparty.domain import api_keys, merge_patch, text
from counterparty.domain.contact import ContactInput
from counterparty.domain.validation import json_pointer, validate_document
from counterparty.errors import ValidationFailed


# The examples of RFC 7396, appendix A.
@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_follows_rfc_7396(target: Any, patch: Any, result: Any) -> None:
    original = repr(target)
    assert merge_patch.merge_patch(target, patch) == result
    assert repr(target) == original, "the target is not modified"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("İSTANBUL", "istanbul"),
        ("ıspanak", "ispanak"),
        ("Straße", "strasse"),
        ("Nováková", "novakova"),
        ("ÇĞÖŞÜ", "cgosu"),
        ("België", "belgie"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert text.fold(raw) == folded


def test_generated_keys_carry_prefix_and_checksum() -> None:
    key = api_keys.generate_key()
    assert key.startswith("cpk_") and len(key) == 42
    assert api_keys.has_valid_checksum(key)
    tampered = key[:10] + ("A" if key[10] != "A" else "B") + key[11:]
    assert not api_keys.has_valid_checksum(tampered)
    assert api_keys.generate_key() != key
    assert api_keys.hash_key(key) != key and len(api_keys.hash_key(key)) == 64


def test_json_pointer_escapes() -> None:
    assert json_pointer(["custom_fields", "a/b~c", 0]) == "/custom_fields/a~1b~0c/0"


def test_validation_failure_summarises_the_first_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_document(ContactInput, {"name": "x" * 300, "kind": "robot"})
    assert caught.value.detail.startswith("/kind: ")
    assert caught.value.detail.endswith("(and 1 more)")
