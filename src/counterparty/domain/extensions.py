"""What a vendor extension may hold: JSON of bounded depth and size, text without controls.

Extensions are the one place a client writes free-form JSON. Unbounded nesting once broke a
tenant's change feed (JSON encoders stop at a few hundred levels), so depth and size are
limited when written, with the exact place of the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from counterparty.domain.text import control_character

MAX_DEPTH = 16  # levels of objects and lists inside one namespace's object
MAX_BYTES = 32 * 1024  # one namespace's object as compact JSON


@dataclass(frozen=True)
class ExtensionProblem:
    code: str
    detail: str
    path: Sequence[str | int]  # below the namespace


def depth_of(value: Any) -> int:
    """Levels of objects and lists in a JSON value, without recursion.

    >>> depth_of({"a": [1, {"b": []}]}), depth_of("x")
    (4, 0)
    """
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item)
    return deepest


def extension_problem(value: dict[str, Any]) -> ExtensionProblem | None:
    """The first thing wrong with one namespace's object, or None."""
    pending: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while pending:
        item, path = pending.pop()
        if len(path) >= MAX_DEPTH and isinstance(item, dict | list) and item:
            return ExtensionProblem(
                "too_deep", f"extensions nest at most {MAX_DEPTH} levels deep", path
            )
        if isinstance(item, dict):
            for key, child in item.items():
                if code := control_character(key):
                    return _control(code, (*path, key))
                pending.append((child, (*path, key)))
        elif isinstance(item, list):
            pending.extend((child, (*path, index)) for index, child in enumerate(item))
        elif isinstance(item, str) and (code := control_character(item)):
            return _control(code, path)
    if len(orjson.dumps(value)) > MAX_BYTES:
        return ExtensionProblem(
            "too_large", f"one namespace's extensions take at most {MAX_BYTES} bytes", ()
        )
    return None


def _control(code: str, path: tuple[str | int, ...]) -> ExtensionProblem:
    return ExtensionProblem(
        "control_character", f"control characters ({code}) are not allowed in text", path
    )


QUARANTINED = "[quarantined]"


def repair(
    value: Any, depth: int = MAX_DEPTH, path: tuple[str | int, ...] = ()
) -> tuple[Any, list[tuple[Any, Any]]]:
    """A JSON value made acceptable: control characters dropped from text, anything nested
    `depth` levels down or deeper replaced by QUARANTINED. Returns the value and what was
    taken out, as (path, original) pairs, so that nothing is lost without a trace. Iterative:
    the values it repairs may be nested deeper than recursion allows.

    >>> repair({"a": ["x\\x00y", [[1]]]}, 3)[0]
    {'a': ['xy', ['[quarantined]']]}
    """
    removed: list[tuple[Any, Any]] = []
    root: dict[str, Any] = {"": value}
    pending: list[tuple[Any, Any, tuple[str | int, ...], int]] = [(root, "", path, 0)]
    while pending:
        parent, key, where, level = pending.pop()
        item = parent[key]
        if isinstance(item, dict | list) and item and level >= depth:
            removed.append((list(where), item))
            parent[key] = QUARANTINED
        elif isinstance(item, dict):
            clean = {}
            for name, child in item.items():
                fixed = _clean_text(name)
                if fixed != name:
                    removed.append(([*where, name], {name: child}))
                clean[fixed] = child
            parent[key] = clean
            pending.extend((clean, name, (*where, name), level + 1) for name in clean)
        elif isinstance(item, list):
            copy = list(item)
            parent[key] = copy
            pending.extend((copy, index, (*where, index), level + 1) for index in range(len(copy)))
        elif isinstance(item, str) and control_character(item):
            removed.append((list(where), item))
            parent[key] = _clean_text(item)
    return root[""], removed


def _clean_text(text: str) -> str:
    while code := control_character(text):
        text = text.replace(chr(int(code[2:], 16)), "")
    return text
