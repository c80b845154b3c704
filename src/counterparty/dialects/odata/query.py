"""OData 4.0 query options of an entity set (`$top`, `$skip`, `$count`, `$filter`, `$orderby`,
`$expand`, `$select`) as the service's `ContactQuery` where the database can answer them,
otherwise a bounded scan filtered and ordered here; the page, its count and its next link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlencode
from uuid import UUID

from counterparty.dialects.fields import VendorField
from counterparty.dialects.odata import grammar
from counterparty.dialects.odata.answers import invalid
from counterparty.dialects.scanning import MAX_SCAN, candidates
from counterparty.domain.contact import Contact
from counterparty.errors import FieldError
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery, SortField

URL_SAFE = "$',:()"  # keep next links readable: ?$skip=20, datetime'...'
ENTITY_OPTIONS = ("$expand", "$select")
LIST_OPTIONS = (*ENTITY_OPTIONS, "$top", "$skip", "$count", "$filter", "$orderby")
FILTER_HELP = (
    "supported: eq ne gt ge lt le, and or not, parentheses, contains startswith endswith "
    "tolower toupper, over the properties of "
)
Parents = dict[UUID, Contact | None]  # the related entities read for one answer
# The fields of the service's query a `$filter` comparison can set: the moment a date-time
# property is `gt` or `ge`, the flag a boolean property `eq`s, the text a string property `eq`s.
FilterField = Literal["updated_since", "archived", "external_ref"]
_CLAUSE = re.compile(r"(\w+)\s+(eq|gt|ge)\s+(.+)", re.IGNORECASE)
_QUOTED = re.compile(r"(?:datetime(?:offset)?)?'(.*)'", re.IGNORECASE)


class Render(Protocol):
    """A contact as the set's entity: its expansions embedded, only the members selected."""

    def __call__(self, contacts: ContactService, actor: Actor, contact: Contact,
                 parents: Parents, *, expand: bool = False,
                 select: Sequence[str] = ()) -> dict[str, Any]: ...  # fmt: skip


@dataclass(frozen=True)
class EntitySet:
    """What a dialect serves as an OData entity set, and what the service's query answers."""

    name: str
    table: Sequence[VendorField]
    holds: ContactQuery  # the contacts of the set, in the set's natural order
    render: Render  # a contact as the set's entity, for filtering and ordering it here
    expandable: tuple[str, ...] = ()
    hidden: frozenset[str] = frozenset()  # members never filtered or ordered by (secrets)
    sort_fields: Mapping[str, SortField] = field(default_factory=dict)  # the service's orders
    # the properties a `$filter` compares that the service's query answers itself
    filter_fields: Mapping[str, FilterField] = field(default_factory=dict)
    page_size: int = 20
    max_scan: int = MAX_SCAN

    @cached_property
    def selectable(self) -> frozenset[str]:
        return frozenset(row.name for row in self.table) - set(self.expandable)

    @cached_property
    def scalars(self) -> frozenset[str]:
        """What `$filter` and `$orderby` may name."""
        return self.selectable - self.hidden


@dataclass(frozen=True)
class Options:
    query: ContactQuery = field(default_factory=ContactQuery)
    top: int | None = None
    skip: int = 0
    count: bool = False
    expand: bool = False
    select: tuple[str, ...] = ()
    predicate: grammar.Node | None = None  # a $filter the service's query cannot answer
    ordering: tuple[tuple[str, bool], ...] = ()  # an $orderby it cannot: (property, descending)

    @property
    def scanned(self) -> bool:
        """Whether the dialect filters and orders the candidates itself."""
        return self.predicate is not None or bool(self.ordering)

    def context(self, expandable: Sequence[str]) -> str:
        """The `(...)` part of `$metadata#Set(...)` for a projection or an expansion."""
        parts = [*self.select, *([f"{name}()" for name in expandable] if self.expand else [])]
        return f"({','.join(parts)})" if parts else ""


def _since(literal: str, quoted: re.Match[str] | None, operator: str) -> datetime | None:
    """The first moment `gt` or `ge` a date-time literal keeps (UTC when it has no offset)."""
    try:
        when = datetime.fromisoformat((quoted.group(1) if quoted else literal).strip())
    except ValueError:
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when + timedelta(microseconds=1 if operator == "gt" else 0)


def service_filter(text: str, fields: Mapping[str, FilterField]) -> dict[str, Any] | None:
    """A `$filter` of comparisons joined by `and` as the service query's fields, when the
    query answers each itself (`fields`: property -> its field); else None (it is scanned)."""
    found: dict[str, Any] = {}
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.fullmatch(clause.strip())
        name, operator, literal = match.groups() if match else ("", "", "")
        operator, quoted = operator.lower(), _QUOTED.fullmatch(literal.strip())
        target = fields.get(name)
        if target == "updated_since" and operator in ("gt", "ge"):
            if (when := _since(literal, quoted, operator)) is None:
                return None
            found[target] = when
        elif (
            target in ("archived", "is_customer", "is_supplier")
            and operator == "eq"
            and (literal.lower() in ("true", "false"))
        ):
            found[target] = literal.lower() == "true"
        elif target == "external_ref" and operator == "eq" and quoted:
            found[target] = quoted.group(1).replace("''", "'").strip()
        else:
            return None
    return found


def _listed(params: Mapping[str, str], name: str) -> list[str]:
    return [part.strip() for part in params.get(name, "").split(",") if part.strip()]


def read_options(
    params: Mapping[str, str], entities: EntitySet, allowed: tuple[str, ...] = LIST_OPTIONS
) -> Options:
    errors: list[FieldError] = []

    def fail(name: str, code: str, detail: str) -> None:
        errors.append(FieldError(code, detail, pointer=name))

    for name in params:
        if name.startswith("$") and name not in allowed:
            fail(name, "not_supported", f"the query option {name} is not supported here")
    values: dict[str, Any] = {}
    numbers: dict[str, int] = {}
    for name in ("$top", "$skip"):
        raw = params.get(name)
        if raw is not None and not re.fullmatch(r"[0-9]{1,9}", raw):
            fail(name, "invalid_format", "expected a whole number, 0 or more")
        elif raw is not None:
            numbers[name] = int(raw)
    count = params.get("$count", "false").lower()
    if count not in ("true", "false"):
        fail("$count", "invalid_format", "expected true or false")
    expand = _listed(params, "$expand")
    if set(expand) - set(entities.expandable):
        fail("$expand", "not_supported", f"only {', '.join(entities.expandable)} can be expanded")
    select = _listed(params, "$select")
    if unknown := [name for name in select if name not in entities.selectable and name != "*"]:
        fail("$select", "unknown_field", f"not a property of {entities.name}: {', '.join(unknown)}")
    predicate: grammar.Node | None = None
    if text := params.get("$filter", "").strip():
        fast = service_filter(text, entities.filter_fields)
        if fast is not None:
            values.update(fast)
        else:
            try:
                predicate = grammar.parse_filter(text, sorted(entities.scalars))
            except grammar.Unsupported as problem:
                fail("$filter", "not_supported", f"{problem}; {FILTER_HELP}{entities.name}")
    ordering: list[tuple[str, bool]] = []
    for part in _listed(params, "$orderby"):
        name, _, direction = part.partition(" ")
        if name not in entities.scalars or direction.strip().lower() not in ("", "asc", "desc"):
            detail = f"order by a property of {entities.name} [asc|desc]: {part}"
            fail("$orderby", "not_supported", detail)
        ordering.append((name, direction.strip().lower() == "desc"))
    if len(ordering) == 1 and ordering[0][0] in entities.sort_fields and predicate is None:
        values["sort"], values["descending"] = entities.sort_fields[ordering[0][0]], ordering[0][1]
        ordering = []
    if errors:
        raise invalid(errors)
    return Options(
        query=replace(entities.holds, **values),
        top=numbers.get("$top"),
        skip=numbers.get("$skip", 0),
        count=count == "true",
        expand=bool(expand),
        select=() if "*" in select else tuple(dict.fromkeys(select)),
        predicate=predicate,
        ordering=tuple(ordering),
    )


def next_link(base: str, params: Mapping[str, str], options: Options, shown: int) -> str:
    """The same query, `shown` entities further on."""
    following = {name: value for name, value in params.items() if name not in ("$skip", "$top")}
    if options.top is not None:
        following["$top"] = str(options.top - shown)
    following["$skip"] = str(options.skip + shown)
    return f"{base}?{urlencode(following, quote_via=quote, safe=URL_SAFE)}"


def scan(
    contacts: ContactService, actor: Actor, entities: EntitySet, options: Options, parents: Parents
) -> list[Contact]:
    """The contacts a $filter keeps, in its $orderby, filtered and ordered here: the service's
    query narrows nothing, so at most `max_scan` contacts are read (`scanning.candidates`)."""
    detail = f"the query reads more than {entities.max_scan} contacts; narrow the $filter"
    too_broad = invalid([FieldError("too_broad", detail, pointer="$filter")])
    found = candidates(contacts, actor, options.query, entities.max_scan, too_broad)
    rendered = [(contact, entities.render(contacts, actor, contact, parents)) for contact in found]
    if options.predicate is not None:
        rendered = [pair for pair in rendered if grammar.evaluate(options.predicate, pair[1])]
    for name, descending in reversed(options.ordering):
        rendered.sort(key=lambda pair: grammar.sort_key(pair[1].get(name)), reverse=descending)
    return [contact for contact, _ in rendered]


def page_of(
    contacts: ContactService, actor: Actor, entities: EntitySet, options: Options, parents: Parents
) -> tuple[list[Contact], int]:
    """One page of the set (`page_size` at most, less when `$top` asks) and the total."""
    size = entities.page_size if options.top is None else min(entities.page_size, options.top)
    if options.scanned:
        kept = scan(contacts, actor, entities, options, parents)
        return kept[options.skip : options.skip + size], len(kept)
    page = contacts.list_counted(actor, replace(options.query, limit=size, offset=options.skip))
    return page.contacts, page.total


def count_of(contacts: ContactService, actor: Actor, entities: EntitySet, options: Options) -> int:
    """`Set/$count`: how many entities the $filter keeps."""
    if options.scanned:
        return len(scan(contacts, actor, entities, options, {}))
    return contacts.list_counted(actor, replace(options.query, limit=1)).total


def collection(
    contacts: ContactService,
    actor: Actor,
    entities: EntitySet,
    params: Mapping[str, str],
    root: str,
) -> dict[str, Any]:
    """A page of the set as OData answers it: the context (`root` is the service root), the
    count when asked, the entities, and the next link while more remain within `$top`."""
    options = read_options(params, entities)
    parents: Parents = {}
    shown, total = page_of(contacts, actor, entities, options, parents)
    context = f"{root}$metadata#{entities.name}{options.context(entities.expandable)}"
    body: dict[str, Any] = {"@odata.context": context}
    if options.count:
        body["@odata.count"] = total
    body["value"] = [
        entities.render(contacts, actor, item, parents, expand=options.expand,
                        select=options.select)
        for item in shown
    ]  # fmt: skip
    more = len(shown)
    if more and options.skip + more < total and (options.top is None or more < options.top):
        body["@odata.nextLink"] = next_link(f"{root}{entities.name}", params, options, more)
    return body
