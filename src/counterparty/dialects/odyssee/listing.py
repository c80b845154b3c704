"""The `Contact` entity set: the persons, and the OData `$filter`s and `$orderby`s the service's
query answers itself (the others are scanned by the OData family's `query`)."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from typing import Any

from counterparty.dialects.odata.query import EntitySet
from counterparty.dialects.odyssee.inbound import moment
from counterparty.dialects.odyssee.outbound import entity
from counterparty.dialects.odyssee.table import CONTACT
from counterparty.services.listing import ContactQuery

_CLAUSE = re.compile(r"(\w+)\s+(eq|gt|ge)\s+(.+)", re.IGNORECASE)
_QUOTED = re.compile(r"(?:datetime(?:offset)?)?'(.*)'", re.IGNORECASE)


def service_filter(text: str) -> dict[str, Any] | None:
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


CONTACTS = EntitySet(
    name="Contact",
    table=CONTACT,
    holds=ContactQuery(kind="person", archived=None, sort="number"),
    render=entity,
    expandable=("company",),
    hidden=frozenset({"e_password"}),
    sort_fields={
        "modified_dateutc": "updated_at",
        "create_date": "number",  # numbers run in creation order
        "firstname": "name",  # a person's canonical name is "firstname lastname"
    },
    service_filter=service_filter,
)
