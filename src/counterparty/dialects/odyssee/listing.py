"""The list of `api/Contact`: its OData query options (`$top`, `$skip`, `$count`, `$filter`,
`$orderby`, `$expand`, `$select`) as the service's `ContactQuery` where the database can
answer them, otherwise a bounded scan filtered and ordered here; and the next link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote, urlencode
from uuid import UUID

from counterparty.dialects import odata
from counterparty.dialects.odyssee.errors import invalid
from counterparty.dialects.odyssee.inbound import moment
from counterparty.dialects.odyssee.outbound import entity
from counterparty.dialects.odyssee.table import CONTACT
from counterparty.domain.contact import Contact
from counterparty.errors import FieldError
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.listing import MAX_LIMIT, ContactQuery, SortField

PAGE_SIZE = 20
MAX_SCAN = 5000
URL_SAFE = "$',:()"  # keep next links readable: ?$skip=20, datetime'...'
ENTITY_OPTIONS = ("$expand", "$select")
LIST_OPTIONS = (*ENTITY_OPTIONS, "$top", "$skip", "$count", "$filter", "$orderby")
ORDER_BY: dict[str, SortField] = {
    "modified_dateutc": "updated_at",
    "create_date": "number",  # numbers run in creation order
    "firstname": "name",  # a person's canonical name is "firstname lastname"
}
SELECTABLE = frozenset(spec.name for spec in CONTACT) - {"company"}
SCALARS = SELECTABLE - {"e_password"}  # what $filter and $orderby may name
_CLAUSE = re.compile(r"(\w+)\s+(eq|gt|ge)\s+(.+)", re.IGNORECASE)
_QUOTED = re.compile(r"(?:datetime(?:offset)?)?'(.*)'", re.IGNORECASE)
FILTER_HELP = (
    "supported: eq ne gt ge lt le, and or not, parentheses, contains startswith endswith "
    "tolower toupper, over the properties of Contact"
)


@dataclass(frozen=True)
class Options:
    query: ContactQuery = field(default_factory=ContactQuery)
    top: int | None = None
    skip: int = 0
    count: bool = False
    expand: bool = False
    select: tuple[str, ...] = ()
    predicate: odata.Node | None = None  # a $filter the service's query cannot answer
    ordering: tuple[tuple[str, bool], ...] = ()  # an $orderby it cannot: (property, descending)

    @property
    def scanned(self) -> bool:
        """Whether the dialect filters and orders the candidates itself."""
        return self.predicate is not None or bool(self.ordering)

    def context(self) -> str:
        """The `(...)` part of `$metadata#Contact(...)` for a projection or an expansion."""
        parts = [*self.select, *(["company()"] if self.expand else [])]
        return f"({','.join(parts)})" if parts else ""


def _service_filter(text: str) -> dict[str, Any] | None:
    """The clauses the service's query can answer itself (joined by `and`), else None."""
    found: dict[str, Any] = {}
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.fullmatch(clause.strip())
        name, operator, literal = match.groups() if match else ("", "", "")
        operator, quoted = operator.lower(), _QUOTED.fullmatch(literal.strip())
        if name == "modified_dateutc" and operator in ("gt", "ge"):
            when = moment(quoted.group(1) if quoted else literal)
            if when is None:
                return None
            when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
            found["updated_since"] = when + timedelta(microseconds=1 if operator == "gt" else 0)
        elif name == "archived" and operator == "eq" and literal.lower() in ("true", "false"):
            found["archived"] = literal.lower() == "true"
        elif name == "reference_back_office" and operator == "eq" and quoted:
            found["external_ref"] = quoted.group(1).replace("''", "'").strip()
        else:
            return None
    return found


def read_options(params: Mapping[str, str], allowed: tuple[str, ...] = LIST_OPTIONS) -> Options:
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
    expand = [part.strip() for part in params.get("$expand", "").split(",") if part.strip()]
    if set(expand) - {"company"}:
        fail("$expand", "not_supported", "only company can be expanded")
    select = [part.strip() for part in params.get("$select", "").split(",") if part.strip()]
    if unknown := [name for name in select if name not in SELECTABLE and name != "*"]:
        fail("$select", "unknown_field", f"not a property of contact: {', '.join(unknown)}")
    predicate: odata.Node | None = None
    if text := params.get("$filter", "").strip():
        fast = _service_filter(text)
        if fast is not None:
            values.update(fast)
        else:
            try:
                predicate = odata.parse_filter(text, sorted(SCALARS))
            except odata.Unsupported as problem:
                fail("$filter", "not_supported", f"{problem}; {FILTER_HELP}")
    ordering: list[tuple[str, bool]] = []
    for part in filter(None, (p.strip() for p in params.get("$orderby", "").split(","))):
        name, _, direction = part.partition(" ")
        if name not in SCALARS or direction.strip().lower() not in ("", "asc", "desc"):
            fail("$orderby", "not_supported", f"order by a property of Contact [asc|desc]: {part}")
        ordering.append((name, direction.strip().lower() == "desc"))
    if len(ordering) == 1 and ordering[0][0] in ORDER_BY and predicate is None:
        values["sort"], values["descending"] = ORDER_BY[ordering[0][0]], ordering[0][1]
        ordering = []
    if errors:
        raise invalid(errors)
    query = ContactQuery(**{"kind": "person", "archived": None, "sort": "number", **values})
    return Options(
        query=query,
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
    contacts: ContactService, actor: Actor, options: Options, parents: dict[UUID, Contact | None]
) -> list[Contact]:
    """The persons a $filter keeps, in its $orderby, filtered and ordered here: the service's
    query narrows nothing, so at most MAX_SCAN contacts are read."""
    query, cursor, found = replace(options.query, limit=MAX_LIMIT), None, []
    while True:
        batch = contacts.list(actor, query, cursor)
        found += batch.contacts
        if len(found) > MAX_SCAN:
            detail = f"the query reads more than {MAX_SCAN} contacts; narrow the $filter"
            raise invalid([FieldError("too_broad", detail, pointer="$filter")])
        if (cursor := batch.next_cursor) is None:
            break
    entities = [(contact, entity(contacts, actor, contact, parents)) for contact in found]
    if options.predicate is not None:
        entities = [pair for pair in entities if odata.evaluate(options.predicate, pair[1])]
    for name, descending in reversed(options.ordering):
        entities.sort(key=lambda pair: odata.sort_key(pair[1].get(name)), reverse=descending)
    return [contact for contact, _ in entities]


def page_of(
    contacts: ContactService, actor: Actor, options: Options, parents: dict[UUID, Contact | None]
) -> tuple[list[Contact], int]:
    size = PAGE_SIZE if options.top is None else min(PAGE_SIZE, options.top)
    if options.scanned:
        kept = scan(contacts, actor, options, parents)
        return kept[options.skip : options.skip + size], len(kept)
    page = contacts.list_counted(actor, replace(options.query, limit=size, offset=options.skip))
    return page.contacts, page.total
