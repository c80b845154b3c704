"""GET v2.0/Contacts: page, pagesize, filter, filtertype and sort, as the vendor's SDK sends them
(the subset served is in docs/dialects.md; anything else is a 400).

Without a filter the service pages by offset. With one, the service's search narrows the
candidates (every word of an `and` filter's eq/ct values, the date and country bounds) and the
dialect applies the exact conditions to the contacts as the vendor shows them, so TotalItems is
exact; a filter that leaves more than MAX_SCAN candidates is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from counterparty.dialects import aspnet
from counterparty.dialects.base import search_terms
from counterparty.dialects.idoklad.codes import COUNTRY_CODES
from counterparty.dialects.idoklad.outbound import to_vendor
from counterparty.dialects.scanning import MAX_SCAN, candidates, compare
from counterparty.domain.contact import Contact
from counterparty.domain.text import compact, decimal_digits, fold
from counterparty.errors import FieldError, NotFound
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.listing import MAX_LIMIT, ContactQuery, SortField
from counterparty.web.routing import Parameter

DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 10**9
INT32 = range(-(2**31), 2**31)  # the vendor's ids are .NET Int32: a larger value never parses
NUMBERS = ("eq", "!eq", "gt", "gte", "lt", "lte")
TEXTS = ("eq", "!eq", "ct", "!ct")
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Id": ("number", NUMBERS),
    "CountryId": ("number", NUMBERS),
    "CompanyName": ("text", TEXTS),
    "Email": ("text", TEXTS),
    "IdentificationNumber": ("identifier", TEXTS),
    "VatIdentificationNumber": ("identifier", TEXTS),
    "VatIdentificationNumberSk": ("identifier", TEXTS),
    "DateLastChange": ("moment", ("eq", "gt", "gte", "lt", "lte")),
}
SORTS: dict[str, SortField] = {
    "Id": "number",
    "CompanyName": "name",
    "DateLastChange": "updated_at",
}
# The shared comparisons' names for the vendor's operators; "!" negates one.
OPERATORS = {"eq": "eq", "gt": "gt", "gte": "ge", "lt": "lt", "lte": "le", "ct": "contains"}
# A value of each kind in the published pattern (a moment's several forms are in the docs).
VALUE_PATTERNS = {"number": "-?[0-9]{1,9}", "text": "[^|]*", "identifier": "[^|]*"}


@dataclass(frozen=True)
class Clause:
    field: str
    op: str
    value: Any

    def holds(self, vendor: Mapping[str, Any]) -> bool:
        """Whether the contact, as the vendor shows it, meets this condition."""
        have = _normal(FILTERS[self.field][0], vendor[self.field])
        negated, op = self.op.startswith("!"), OPERATORS[self.op.removeprefix("!")]
        return compare(op, have, self.value) != negated


@dataclass(frozen=True)
class Listing:
    query: ContactQuery  # page size, offset and order; the search narrowing when filtered
    clauses: tuple[Clause, ...]
    any_of: bool  # filtertype=or


def _normal(kind: str, value: Any) -> Any:
    """The form two values of a field are compared in."""
    if value is None:
        return None
    if kind == "text":
        return fold(str(value))
    if kind == "identifier":
        return fold(compact(str(value)))
    if kind == "moment":
        text = str(value).strip()  # "yyyy-MM-dd HH:mm", or ISO 8601 ("+" may arrive as " ")
        text = text.replace(" ", "+") if "T" in text else text.replace(" ", "T", 1)
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return int(value)


class _OutOfRange(ValueError):
    """A whole number outside the vendor's Int32, which its model binding refuses."""


def _clause(text: str) -> Clause:
    field, op, value = text.split("~", 2)
    kind, ops = FILTERS[field]
    if op not in ops:
        raise KeyError(op)
    normal = _normal(kind, value)
    if kind == "number" and normal not in INT32:
        raise _OutOfRange(field)
    return Clause(field, op, normal)


def read_listing(params: Mapping[str, str]) -> Listing:
    """The list parameters, or a 400 naming each bad one."""
    errors: list[FieldError] = []

    def whole(name: str, default: int, top: int) -> int:
        raw = params.get(name, str(default)).strip()
        if decimal_digits(raw) and 1 <= int(raw) <= top:
            return int(raw)
        errors.append(FieldError("out_of_range", f"{name} must be 1 to {top}.", parameter=name))
        return default

    page, size = whole("page", 1, MAX_PAGE), whole("pagesize", DEFAULT_PAGE_SIZE, MAX_LIMIT)
    clauses: list[Clause] = []
    for text in filter(None, params.get("filter", "").split("|")):
        try:
            clauses.append(_clause(text))
        except _OutOfRange as error:
            detail = f"{error} is a whole number from {INT32.start} to {INT32.stop - 1}."
            errors.append(FieldError("out_of_range", detail, parameter="filter"))
        except (KeyError, ValueError):
            detail = f"'{text}' is not a supported filter (Field~op~value); see the docs."
            errors.append(FieldError("invalid_filter", detail, parameter="filter"))
    any_of = params.get("filtertype", "and").lower()
    if any_of not in ("and", "or"):
        errors.append(FieldError("invalid_choice", "and or or.", parameter="filtertype"))
    field, _, direction = params.get("sort", "Id~asc").split("|")[0].partition("~")
    if field not in SORTS or direction.lower() not in ("asc", "desc", ""):
        detail = f"sort is Field~asc or Field~desc, Field one of {', '.join(SORTS)}."
        errors.append(FieldError("invalid_choice", detail, parameter="sort"))
    aspnet.refuse(errors)
    query = ContactQuery(
        sort=SORTS[field],
        descending=direction.lower() == "desc",
        limit=size,
        offset=(page - 1) * size,
    )
    return Listing(query, tuple(clauses), any_of == "or" and len(clauses) > 1)


def _narrowed(listing: Listing) -> ContactQuery:
    """The service query for the candidates: a superset of the contacts the filter keeps."""
    query = ContactQuery(sort=listing.query.sort, descending=listing.query.descending)
    if listing.any_of:
        return query
    words: list[str] = []
    values: dict[str, Any] = {}
    for clause in listing.clauses:
        if clause.op in ("eq", "ct") and isinstance(clause.value, str):
            words.append(clause.value)
        elif clause.field == "DateLastChange" and clause.op in ("eq", "gt", "gte"):
            values["updated_since"] = clause.value
        elif clause.field == "CountryId" and clause.op == "eq" and COUNTRY_CODES.get(clause.value):
            values["country_code"] = COUNTRY_CODES[clause.value]
    return replace(query, **values, terms=search_terms(" ".join(words)))


def _keeps(listing: Listing, vendor: dict[str, Any]) -> bool:
    results = (clause.holds(vendor) for clause in listing.clauses)
    return any(results) if listing.any_of else all(results)


def _candidates(contacts: ContactService, actor: Actor, listing: Listing) -> list[Contact]:
    """Every contact the filter may keep, in the list's order (at most MAX_SCAN)."""
    wanted = [c.value for c in listing.clauses if c.field == "Id" and c.op == "eq"]
    if wanted and not listing.any_of:
        try:
            found = contacts.get_by_number(actor, wanted[0])
        except NotFound:
            return []
        return [] if found.archived else [found]
    detail = f"the filter leaves more than {MAX_SCAN} contacts to check; narrow it."
    too_broad = aspnet.invalid("filter", detail, "too_broad")
    return candidates(contacts, actor, _narrowed(listing), MAX_SCAN, too_broad)


def list_page(contacts: ContactService, actor: Actor, listing: Listing) -> dict[str, Any]:
    """IPageOfContactApiModel: {"Data": [...], "TotalItems": n, "TotalPages": n}."""
    size = listing.query.limit
    if listing.clauses:
        vendors = map(to_vendor, _candidates(contacts, actor, listing))
        kept = [vendor for vendor in vendors if _keeps(listing, vendor)]
        start = listing.query.offset
        page, total = kept[start : start + size], len(kept)
    else:
        found = contacts.list_counted(actor, listing.query)
        page, total = [to_vendor(contact) for contact in found.contacts], found.total
    return {"Data": page, "TotalItems": total, "TotalPages": math.ceil(total / size)}


def _clause_pattern() -> str:
    """One filter clause as a regular expression, from FILTERS: fields of one value pattern and
    one set of operators share an alternative."""
    fields: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for name, (kind, ops) in FILTERS.items():
        if kind in VALUE_PATTERNS:
            fields.setdefault((VALUE_PATTERNS[kind], ops), []).append(name)
    clauses = (
        f"(?:{'|'.join(names)})~(?:{'|'.join(ops)})~{value}"
        for (value, ops), names in fields.items()
    )
    return f"(?:{'|'.join(clauses)})"


_CLAUSE = _clause_pattern()
LIST_PARAMETERS = (
    Parameter("page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    Parameter("pagesize", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                                    "default": DEFAULT_PAGE_SIZE}),
    Parameter("filter", "query",
              {"type": "string", "pattern": rf"^(?:{_CLAUSE}(?:\|{_CLAUSE})*)?$"},
              "Field~op~value, several joined by | (DateLastChange too, see the docs)"),
    Parameter("filtertype", "query", {"type": "string", "pattern": "^([Aa][Nn][Dd]|[Oo][Rr])$"}),
    Parameter("sort", "query", {"type": "string", "pattern": f"^({'|'.join(SORTS)})"
                                r"(~([Aa][Ss][Cc]|[Dd][Ee][Ss][Cc]))?(\|.*)?$"},
              "Field~asc or Field~desc"),
)  # fmt: skip
