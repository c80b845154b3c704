"""JSON Merge Patch (RFC 7396)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply `patch` to `target` and return the result; neither argument is changed.

    Members set to null are removed, objects merge member by member, anything else
    (lists included) replaces the target value whole.

    >>> merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"a": None, "b": {"c": 4}, "e": [5]})
    {'b': {'c': 4, 'd': 3}, 'e': [5]}
    """
    if not isinstance(patch, dict):
        return patch
    root = dict(target) if isinstance(target, dict) else {}
    # Without recursion: a client's patch may nest objects deeper than Python's recursion
    # limit (the body parser reads 1024 levels); the limits on depth are checked afterwards.
    pending = [(root, patch)]
    while pending:
        result, changes = pending.pop()
        for key, value in changes.items():
            if value is None:
                result.pop(key, None)
            elif isinstance(value, dict):
                held = result.get(key)
                result[key] = merged = dict(held) if isinstance(held, dict) else {}
                pending.append((merged, value))
            else:
                result[key] = value
    return root


def merge_items_by_position(target: Any, patch: Any) -> Any:
    """Like `merge_patch`, but a list of objects in `patch` merges into the target's list
    item by item (the patch's first item into the target's first, and so on; target items
    beyond the patch's stay), so that a spreadsheet row naming `bank_accounts.0.iban` changes
    that one member of the first account and keeps its id and the other accounts.

    >>> merge_items_by_position(
    ...     {"tags": ["a"], "accounts": [{"id": 1, "iban": "X", "bic": "B"}, {"id": 2}]},
    ...     {"tags": ["b"], "accounts": [{"iban": "Y"}]},
    ... )
    {'tags': ['b'], 'accounts': [{'id': 1, 'iban': 'Y', 'bic': 'B'}, {'id': 2}]}
    """
    if not isinstance(patch, dict):
        return patch
    root = dict(target) if isinstance(target, dict) else {}
    pending = [(root, patch)]  # without recursion, as merge_patch
    while pending:
        result, changes = pending.pop()
        for key, value in changes.items():
            held = result.get(key)
            if value is None:
                result.pop(key, None)
            elif isinstance(held, list) and _object_list(value) and _object_list(held):
                merged = [merge_patch(old, new) for old, new in zip(held, value, strict=False)]
                result[key] = merged + value[len(held) :] + held[len(value) :]
            elif isinstance(value, dict):
                result[key] = nested = dict(held) if isinstance(held, dict) else {}
                pending.append((nested, value))
            else:
                result[key] = value
    return root


def _object_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def merge_patch_between(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The RFC 7396 merge patch that turns `old` into `new` (objects member by member,
    everything else whole): what changed, and nothing else.

    >>> merge_patch_between({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": 2, "d": 4}, "e": 5})
    {'a': None, 'b': {'d': 4}, 'e': 5}
    """
    patch: dict[str, Any] = {}
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if key not in new:
            patch[key] = None
        elif isinstance(before, Mapping) and isinstance(after, Mapping):
            if inner := merge_patch_between(before, after):
                patch[key] = inner
        elif before != after:
            patch[key] = after
    return patch


def without_nulls(value: Any) -> Any:
    """`value` with its null members dropped, in objects at every depth: how a merge patch
    leaves a document (a null member removes it), so that a patched document can be compared
    with a stored one, which writes every absent member as null.

    >>> without_nulls({"a": None, "b": {"c": None, "d": 1}, "e": [{"f": None}]})
    {'b': {'d': 1}, 'e': [{}]}
    """
    if isinstance(value, Mapping):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value
