"""Filtering contacts in the dialect, where the service's query cannot: a bounded read of the
candidates and the comparisons a vendor's filter makes between the values it shows.

Used by the OData family's `$filter` (Odyssee) and by iDoklad's `Field~op~value` filter: the
service's query narrows the candidates as far as it can, the dialect reads them all (at most
`most`, so that a filter the service cannot narrow never reads a whole tenant) and keeps those
whose vendor view the filter's comparisons hold for.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from counterparty.domain.contact import Contact
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.listing import MAX_LIMIT, ContactQuery

MAX_SCAN = 5000  # the candidates a filtered list reads at most
_ORDERED: dict[str, Callable[[Any, Any], Any]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


def candidates(
    contacts: ContactService, actor: Actor, query: ContactQuery, most: int, too_broad: Exception
) -> list[Contact]:
    """Every contact `query` finds, in its order, read a page at a time; `too_broad` is raised
    as soon as more than `most` have been read."""
    query, cursor, found = replace(query, limit=MAX_LIMIT), None, []
    while True:
        batch = contacts.list(actor, query, cursor)
        found += batch.contacts
        if len(found) > most:
            raise too_broad
        if (cursor := batch.next_cursor) is None:
            return found


def compare(op: str, have: Any, want: Any) -> bool:
    """`have op want`, with OData's names for the operators (`eq ne gt ge lt le`, and
    `contains` for text). An order with no value on either side, or between values of kinds
    that have no order, holds for nothing; only a text contains anything.

    >>> compare("ge", 3, 3), compare("lt", None, 3), compare("gt", "a", 1)
    (True, False, False)
    >>> compare("contains", "novak", "vak"), compare("contains", None, "vak")
    (True, False)
    """
    if op == "contains":
        return isinstance(have, str) and str(want) in have
    if op in ("eq", "ne"):
        return bool(have == want) == (op == "eq")
    if have is None or want is None:
        return False
    try:
        return bool(_ORDERED[op](have, want))
    except TypeError:
        return False
