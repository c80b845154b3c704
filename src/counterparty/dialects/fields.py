"""The one field-table vocabulary every vendor package writes its `table` module in.

A table is a tuple of `VendorField` rows, in the vendor's member order. Each row says, as data:
the vendor's member name, its wire type (one vocabulary for every vendor), where it lives in the
canonical contact, and the vendor's own rules (length, pattern, nullability, default, when it is
required, whether it is read-only). From the table alone the shared code derives the checks, the
one-to-one conversions in both directions, the vendor names of canonical errors and the JSON
schema of the vendor's OpenAPI document.

`canonical` is a dotted canonical path ("address.city"; `extension(vendor, member)` for a member
of `extensions.<vendor>`), or a `Rule` naming the canonical paths a many-to-one conversion reads
and writes; the conversion itself is code in the package's `inbound`/`outbound` modules, under
the field's name. Nothing in a table is prose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Type = Literal[
    "text",  # a JSON string
    "integer",  # a whole number (`bits` bounds it: .NET's Int32 is 32)
    "decimal",  # any JSON number
    "boolean",
    "scalar",  # a string, a number or a boolean
    "date",  # ISO 8601 date (a vendor may also send a date-time)
    "datetime",  # ISO 8601 date-time
    "guid",  # a UUID in its text form
    "list",  # a JSON array of `items` (of `members`, when they are objects)
    "object",  # a JSON object of `members`
]
# What a text holds, where the canonical model stores a normal form of it (and where a vendor
# that reads back what the client typed keeps the typed text).
Format = Literal[
    "phone", "email", "tax_id", "vat_number", "registration_number", "iban", "bic",
    "country", "language", "currency", "website",
]  # fmt: skip
Verb = Literal["POST", "PUT", "PATCH"]
WRITES: tuple[Verb, ...] = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class Rule:
    """A many-to-one conversion: the canonical `paths` it reads and writes. Its code lives in
    the package's inbound and outbound modules under the field's name."""

    paths: tuple[str, ...] = ()

    def __init__(self, *paths: str) -> None:
        object.__setattr__(self, "paths", paths)


@dataclass(frozen=True)
class VendorField:
    name: str  # the vendor's member name
    type: Type
    canonical: str | Rule  # a dotted canonical path, or the rule that converts it
    max_length: int | None = None  # characters of a text, items of a list
    pattern: str | None = None  # a regular expression the whole text must match
    format: Format | None = None
    known: bool = False  # the text must name a value of its format the core knows (a country)
    nullable: bool = True  # the vendor shows null for "no value" (else `default`)
    default: Any = None  # what "no value" reads back as, and what a replace writes
    required: tuple[Verb, ...] = ()  # the writes that must send a value
    required_if: tuple[str, str] | None = None  # (member, value): required when it has it
    blank: bool = True  # whether a request that sends it may send no value
    read_only: bool = False  # shown in answers, ignored in requests
    omitted: bool = False  # answers leave it out unless a client wrote it
    writes: tuple[Verb, ...] = WRITES  # the writes whose vendor model has the member
    bits: int | None = None  # an integer's width (32: .NET Int32)
    bounds: tuple[int, int] | None = None  # the values a number may take (a code list's ids)
    decimals: int | None = None  # the digits a decimal may have after the point
    items: Type | None = None  # the type of a list's items
    item_length: int | None = None  # set: each item a text of at most this many characters
    members: tuple[VendorField, ...] = field(default=(), repr=False)  # an object's fields

    @property
    def paths(self) -> tuple[str, ...]:
        return self.canonical.paths if isinstance(self.canonical, Rule) else (self.canonical,)


def extension(vendor: str, member: str) -> str:
    """The canonical path of a vendor-only member: `extensions.<vendor>.<member>`.

    >>> extension("wacs", "Header1")
    'extensions.wacs.Header1'
    """
    return f"extensions.{vendor}.{member}"


def by_name(table: Iterable[VendorField]) -> dict[str, VendorField]:
    return {row.name: row for row in table}


def vendor_names(table: Iterable[VendorField], prefix: str = "") -> dict[str, str]:
    """The table's inverse: canonical path -> vendor member (dotted inside objects), for
    naming a canonical error in the vendor's terms. A path two rows touch takes the last."""
    names: dict[str, str] = {}
    for row in table:
        for path in row.paths:
            names[path] = prefix + row.name
        for path, name in vendor_names(row.members, f"{prefix}{row.name}.").items():
            names[path] = name
    return names


def vendor_name(
    pointer_or_path: str, names: Mapping[str, str], fallback: str = "", *, indexes: bool = False
) -> str:
    """The vendor's name for a canonical JSON pointer or dotted path: the longest mapped
    prefix, list indexes of the canonical document ignored; with `indexes`, matched too, for
    names given per item (a vendor list whose items may sit at other indexes).

    >>> vendor_name("/address/city", {"address.city": "Town"})
    'Town'
    >>> vendor_name("/bank_accounts/0/iban", {"bank_accounts.iban": "Iban"})
    'Iban'
    >>> vendor_name("/bank_accounts/2/iban", {"bank_accounts.2": "ibans.2"}, indexes=True)
    'ibans.2'
    """
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer_or_path.split("/")]
    path = (
        ".".join(part for part in parts[1:] if part)
        if pointer_or_path.startswith("/")
        else (pointer_or_path)
    )
    unindexed = ".".join(part for part in path.split(".") if not part.isdigit())
    candidate = path if indexes else unindexed
    for canonical in sorted(names, key=len, reverse=True):
        if candidate == canonical or candidate.startswith(canonical + "."):
            return names[canonical]
    return fallback or path
