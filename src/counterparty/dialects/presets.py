"""Import presets: a vendor's own member names as a file's header, each row read as a body of
that vendor's API and converted by that dialect's own checks and conversion (its tables and
inbound modules), so a preset is no second
copy of a mapping.

A row is a partial write: only the canonical paths its non-empty columns cover are in its
patch (with `empty_clears`, also those of its empty columns, cleared).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from counterparty.dialects import laravel
from counterparty.dialects.faturaentegrator import inbound as fatura
from counterparty.dialects.fields import VendorField, vendor_names
from counterparty.dialects.idoklad import inbound as idoklad
from counterparty.dialects.idoklad.table import TABLE as IDOKLAD_TABLE
from counterparty.dialects.muhasip import inbound as muhasip
from counterparty.dialects.muhasip.checks import check_body as muhasip_check
from counterparty.dialects.odyssee import inbound as odyssee
from counterparty.dialects.odyssee import table as odyssee_fields
from counterparty.dialects.wacs import inbound as wacs
from counterparty.errors import FieldError, ValidationFailed
from counterparty.services.import_columns import TAG_SEPARATOR, cell_value
from counterparty.services.imports import Preset, RowShape


@dataclass(frozen=True)
class Member:
    """One column a vendor preset reads: the member's name (dotted inside an object), how its
    cells are typed, and the canonical paths its conversion writes."""

    name: str
    type: str  # "text", "integer", "decimal", "boolean", "list" (of integers) or "list_text"
    paths: tuple[str, ...]


def table_members(table: Iterable[VendorField], prefix: str = "") -> list[Member]:
    members: list[Member] = []
    for row in table:
        if row.read_only or (row.type == "list" and row.members):  # a cell holds no objects
            continue
        if row.type == "object":
            members += table_members(row.members, f"{prefix}{row.name}.")
        else:
            kind = "list_text" if row.type == "list" and row.items == "text" else row.type
            members.append(Member(prefix + row.name, kind, row.paths))
    return members


def _typed(member: Member, text: str) -> Any:
    if member.type in ("list", "list_text"):
        kind = "integer" if member.type == "list" else "text"
        return [
            cell_value(kind, item.strip()) for item in text.split(TAG_SEPARATOR) if item.strip()
        ]
    if member.type == "decimal":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    return cell_value(member.type, text)


def _covered(path: str, paths: Iterable[str]) -> bool:
    return any(p == path or path.startswith(p + ".") or p.startswith(path + ".") for p in paths)


def _restricted(patch: Any, paths: Sequence[str], keep_nulls: bool, at: str = "") -> Any:
    """The patch's members under `paths` (nulls only with `keep_nulls`)."""
    kept: dict[str, Any] = {}
    for key, value in patch.items():
        path = f"{at}{key}"
        if not _covered(path, paths) or (value is None and not keep_nulls):
            continue
        if isinstance(value, dict) and value:
            value = _restricted(value, paths, keep_nulls, path + ".")
            if not value:
                continue
        kept[key] = value
    return kept


@dataclass(frozen=True)
class VendorPreset:
    members: tuple[Member, ...]
    convert: Callable[[dict[str, Any]], dict[str, Any]]  # vendor body -> canonical patch
    names: Mapping[str, str]  # canonical path -> vendor member, for canonical errors
    error_prefix: str = ""  # how the vendor's own errors prefix a member ("contact.")

    def __call__(self, headers: list[str]) -> RowShape:
        known = {member.name.casefold(): member for member in self.members}
        unknown = [header for header in headers if header and header.casefold() not in known]
        if unknown:
            errors = [
                FieldError("unknown_column", f"'{name}' is not a member of this vendor's contact",
                           parameter=name)
                for name in unknown
            ]  # fmt: skip
            raise ValidationFailed(errors[0].detail, errors=errors)
        return _VendorRows(self, [known.get(header.casefold()) for header in headers])


class _VendorRows:
    def __init__(self, preset: VendorPreset, columns: list[Member | None]) -> None:
        self._preset, self._columns = preset, columns
        self._headers = {member.name for member in columns if member}

    def document(self, cells: list[str], empty_clears: bool) -> dict[str, Any]:
        body: dict[str, Any] = {}
        paths: list[str] = []
        for member, text in zip(self._columns, cells, strict=False):
            if member is None or (not text.strip() and not empty_clears):
                continue
            *parents, last = member.name.split(".")
            target = body
            for parent in parents:
                target = target.setdefault(parent, {})
            target[last] = _typed(member, text) if text.strip() else None
            paths += member.paths
        try:
            patch = self._preset.convert(body)
        except laravel.InvalidInput as error:  # Laravel's messages, keyed by member
            raise ValidationFailed(error.detail, errors=[
                FieldError("invalid", message, parameter=name)
                for name, messages in error.messages.items() for message in messages
            ]) from None  # fmt: skip
        restricted: dict[str, Any] = _restricted(patch, paths, keep_nulls=empty_clears)
        return restricted

    def column(self, error: FieldError) -> str | None:
        for candidate in (error.parameter, error.pointer):
            name = (candidate or "").removeprefix(self._preset.error_prefix).lstrip("/")
            if name in self._headers:
                return name
        if error.pointer:
            path = ".".join(p for p in error.pointer.split("/")[1:] if p and not p.isdigit())
            while path:
                if self._preset.names.get(path) in self._headers:
                    return self._preset.names[path]
                path = path.rpartition(".")[0]
        return None


def _muhasip(body: dict[str, Any]) -> dict[str, Any]:
    if errors := muhasip_check(body):
        raise ValidationFailed(errors[0].detail, errors=errors)
    document: dict[str, Any] = muhasip.creation_document(muhasip.translate(body, None))
    return document


def _odyssee(body: dict[str, Any]) -> dict[str, Any]:
    return odyssee.translate(ODYSSEE_FIELDS, body, whole=False).document(keep_nulls=True)


def _fatura(body: dict[str, Any]) -> dict[str, Any]:
    changes, merged = fatura.validated(body, None)
    return fatura.canonical_patch(changes, merged, None)


# Odyssee's company: its members with a canonical place (the others are the vendor's own ids).
ODYSSEE_FIELDS = tuple(
    row
    for row in odyssee_fields.COMPANY_FIELDS
    if row.type != "object" and isinstance(row.canonical, str) and not row.read_only
    and not row.canonical.startswith("extensions.") and row.canonical != "id"
)  # fmt: skip
WACS = table_members(wacs.WRITABLE)
IDOKLAD = table_members(IDOKLAD_TABLE)

PRESETS: Mapping[str, Preset] = {
    "wacs": VendorPreset(
        tuple(member for member in WACS if member.name != "ParentID"),
        lambda body: wacs.to_patch(wacs.read_body(body), None, None),
        vendor_names(wacs.WRITABLE),
        error_prefix="contact.",
    ),
    "faturaentegrator": VendorPreset(
        tuple(table_members(fatura.WRITABLE)), _fatura, vendor_names(fatura.WRITABLE)
    ),
    "idoklad": VendorPreset(
        tuple(IDOKLAD),
        lambda body: idoklad.canonical_patch(idoklad.read_contact(body, "PATCH"), "PATCH", {}),
        vendor_names(IDOKLAD_TABLE),
    ),
    "muhasip": VendorPreset(
        tuple(table_members(muhasip.WRITABLE)),
        _muhasip,
        muhasip.CANONICAL_TO_VENDOR,
    ),
    "odyssee": VendorPreset(
        tuple(
            Member(row.name, "boolean" if row.type == "boolean" else "text", row.paths)
            for row in ODYSSEE_FIELDS
        ),
        _odyssee,
        vendor_names(ODYSSEE_FIELDS),
    ),
}
