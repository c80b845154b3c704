"""Spreadsheet columns <-> canonical contact documents.

A column is named by a dotted canonical path: `name`, `address.city`, `custom_fields.crm_id`,
`bank_accounts.0.iban`, `contact_persons.1.email`, `extensions.wacs.Header1`, and `tags` (a
`;`-separated cell). Export writes exactly these columns, so an exported file imports as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

import orjson
from pydantic import BaseModel

from counterparty.domain.contact import (
    MAX_BANK_ACCOUNTS,
    MAX_CONTACT_PERSONS,
    Address,
    BankAccount,
    ContactInput,
    ContactPerson,
    Gdpr,
)
from counterparty.domain.text import decimal_digits
from counterparty.errors import FieldError, ValidationFailed

TAG_SEPARATOR = ";"
OBJECTS: Mapping[str, type[BaseModel]] = {"address": Address, "gdpr": Gdpr}
LISTS: Mapping[str, tuple[type[BaseModel], int]] = {
    "bank_accounts": (BankAccount, MAX_BANK_ACCOUNTS),
    "contact_persons": (ContactPerson, MAX_CONTACT_PERSONS),
}
KEYED = ("custom_fields", "extensions")  # members whose keys are the contact's own
ASSIGNED = "id"  # list items' ids are the service's: not a column
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _kind(annotation: Any) -> str:
    """'boolean', 'integer' or 'text': how a cell of a field's type is read."""
    if annotation is bool:
        return "boolean"
    for candidate in (annotation, *get_args(annotation)):
        annotated = get_origin(candidate) is Annotated
        if candidate is int or (annotated and get_args(candidate)[0] is int):
            return "integer"
    return "text"


def _scalars(model: type[BaseModel], nested: Iterable[str] = ()) -> dict[str, str]:
    skipped = {*nested, ASSIGNED}
    return {
        name: _kind(info.annotation)
        for name, info in model.model_fields.items()
        if name not in skipped
    }


TOP = _scalars(ContactInput, (*OBJECTS, *LISTS, *KEYED, "tags"))
NESTED = {name: _scalars(model) for name, model in OBJECTS.items()}
ITEMS = {name: _scalars(model, ("custom_fields",)) for name, (model, _) in LISTS.items()}


def cell_kind(path: str) -> str | None:
    """How a column's cells are read ('boolean', 'integer', 'text', 'tags'), or None for a
    path that names no writable member."""
    parts = path.split(".")
    head = parts[0]
    if len(parts) == 1:
        return "tags" if head == "tags" else TOP.get(head)
    if head in NESTED and len(parts) == 2:
        return NESTED[head].get(parts[1])
    if head == "custom_fields" and len(parts) == 2:
        return "text" if _KEY.match(parts[1]) else None
    if head == "extensions" and len(parts) == 3:
        return "text" if _KEY.match(parts[1]) and parts[2] else None
    if head in LISTS and len(parts) >= 3 and decimal_digits(parts[1]):
        if int(parts[1]) >= LISTS[head][1]:
            return None
        if head == "contact_persons" and parts[2] == "custom_fields" and len(parts) == 4:
            return "text" if _KEY.match(parts[3]) else None
        return ITEMS[head].get(parts[2]) if len(parts) == 3 else None
    return None


def cell_value(kind: str, text: str) -> Any:
    """A cell's value as the canonical document holds it; a cell that is not one keeps its
    text, so that validation names the column and the problem."""
    if kind == "tags":
        return [tag.strip() for tag in text.split(TAG_SEPARATOR) if tag.strip()]
    if kind == "boolean":
        lowered = text.strip().lower()
        return True if lowered in TRUE else False if lowered in FALSE else text
    if kind == "integer":
        stripped = text.strip()
        return int(stripped) if decimal_digits(stripped) else text
    return text


@dataclass(frozen=True)
class Columns:
    """A file's header, read: each column's canonical path (None: ignored)."""

    headers: tuple[str, ...]
    paths: tuple[str | None, ...]
    kinds: tuple[str | None, ...]
    by_path: Mapping[str, str]  # canonical path -> the file's column name

    @classmethod
    def read(
        cls, headers: Sequence[str], mapping: Mapping[str, str | None] | None = None
    ) -> Columns:
        """The header with a `mapping` (file column -> canonical path, None to ignore one);
        every column that is neither mapped nor canonical is refused at once."""
        mapping = mapping or {}
        paths = [mapping.get(header, header) if header else None for header in headers]
        unknown = [
            (index, header, path)
            for index, (header, path) in enumerate(zip(headers, paths, strict=True))
            if path is not None and path not in ("id", "number") and cell_kind(path) is None
        ]
        if unknown:
            errors = [
                FieldError(
                    "unknown_column",
                    f"column {index + 1} '{header}' names no contact field"
                    + (f" ('{path}')" if path != header else ""),
                    parameter=header,
                )
                for index, header, path in unknown
            ]
            raise ValidationFailed(errors[0].detail, errors=errors)
        repeated = sorted({path for path in paths if path and paths.count(path) > 1})
        if repeated:
            detail = f"two columns set '{repeated[0]}'"
            raise ValidationFailed(detail, errors=[FieldError("duplicate_column", detail)])
        kinds = tuple(cell_kind(path) if path else None for path in paths)
        by_path = {path: header for header, path in zip(headers, paths, strict=True) if path}
        return cls(tuple(headers), tuple(paths), kinds, by_path)

    def document(self, cells: Sequence[str], empty_clears: bool) -> dict[str, Any]:
        """The canonical document of one row: an empty cell is left out (or, with
        `empty_clears`, null: a merge patch clears the member)."""
        document: dict[str, Any] = {}
        lists: dict[str, dict[int, dict[str, Any]]] = {}
        for path, kind, text in zip(self.paths, self.kinds, cells, strict=False):
            if path is None:
                continue
            if not text.strip():
                if not empty_clears or kind is None or path.split(".")[0] in LISTS:
                    continue
                value: Any = [] if kind == "tags" else None
            else:
                value = cell_value(kind, text) if kind else text.strip()
            parts = path.split(".")
            if parts[0] in LISTS:
                item = lists.setdefault(parts[0], {}).setdefault(int(parts[1]), {})
                _set(item, parts[2:], value)
            else:
                _set(document, parts, value)
        for name, items in lists.items():
            document[name] = [items[index] for index in sorted(items)]
        return document

    def column(self, error: FieldError) -> str | None:
        """The file's column an error falls in: its pointer's longest mapped prefix."""
        if not error.pointer:
            return error.parameter
        parts = [part for part in error.pointer.split("/")[1:] if part]
        while parts:
            if (header := self.by_path.get(".".join(parts))) is not None:
                return header
            parts.pop()
        return None


def _set(target: dict[str, Any], parts: Sequence[str], value: Any) -> None:
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


# --- export --------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def flatten(document: Mapping[str, Any]) -> dict[str, str]:
    """A stored contact as cells: the columns `Columns.read` takes back, no empty ones."""
    cells: dict[str, str] = {}

    def put(path: str, value: Any) -> None:
        if (text := _text(value)) != "":
            cells[path] = text

    for name in TOP:
        put(name, document.get(name))
    for name, members in NESTED.items():
        for member in members:
            put(f"{name}.{member}", (document.get(name) or {}).get(member))
    for name in LISTS:
        for index, item in enumerate(document.get(name) or []):
            for member in ITEMS[name]:
                put(f"{name}.{index}.{member}", item.get(member))
            for key, value in (item.get("custom_fields") or {}).items():
                put(f"{name}.{index}.custom_fields.{key}", value)
    for key, value in (document.get("custom_fields") or {}).items():
        put(f"custom_fields.{key}", value)
    for namespace, members in (document.get("extensions") or {}).items():
        for member, value in members.items():
            put(f"extensions.{namespace}.{member}", value)
    if document.get("tags"):
        cells["tags"] = TAG_SEPARATOR.join(document["tags"])
    return cells


FIXED = (
    *TOP,
    *(f"{name}.{member}" for name, members in NESTED.items() for member in members),
    "tags",
)


def column_order(paths: Iterable[str]) -> list[str]:
    """Every fixed column in the model's order, then the file's list items (by position and
    the model's member order) and keyed members (sorted)."""
    rank = {path: index for index, path in enumerate(FIXED)}

    def key(path: str) -> tuple[Any, ...]:
        if path in rank:
            return (0, rank[path])
        parts = path.split(".")
        if parts[0] in LISTS:
            members = list(ITEMS[parts[0]])
            position = members.index(parts[2]) if parts[2] in members else len(members)
            return (1, list(LISTS).index(parts[0]), int(parts[1]), position, parts[3:])
        return (2, parts)

    return sorted({*FIXED, *paths}, key=key)
