"""The `Contact` entity set: the persons, and the OData `$filter`s and `$orderby`s the service's
query answers itself (the others are scanned by the OData family's `query`)."""

from __future__ import annotations

from counterparty.dialects.odata.query import EntitySet
from counterparty.dialects.odyssee.outbound import entity
from counterparty.dialects.odyssee.table import CONTACT
from counterparty.services.listing import ContactQuery

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
    filter_fields={
        "modified_dateutc": "updated_since",
        "archived": "archived",
        "reference_back_office": "external_ref",
    },
)
