"""OData 4.0 `$metadata`: the CSDL document (EDMX) of entity types built from field tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from counterparty.dialects.fields import VendorField

EDM = {
    "text": "Edm.String", "guid": "Edm.Guid", "boolean": "Edm.Boolean", "date": "Edm.Date",
    "datetime": "Edm.DateTimeOffset", "decimal": "Edm.Decimal", "integer": "Edm.Int32",
}  # fmt: skip


@dataclass(frozen=True)
class EntityType:
    name: str
    properties: Sequence[tuple[str, str, bool]]  # (name, table type, nullable)
    key: str | None = None  # None: a complex type
    navigation: Sequence[tuple[str, str]] = ()  # (name, type name)


def metadata(namespace: str, types: Sequence[EntityType], sets: Mapping[str, str]) -> str:
    """The CSDL document (EDMX, OData 4.0) of `types`; `sets`: entity set name -> type name."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
        "<edmx:DataServices>",
        f'<Schema Namespace={quoteattr(namespace)} xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ]
    for entity in types:
        tag = "EntityType" if entity.key else "ComplexType"
        parts.append(f"<{tag} Name={quoteattr(entity.name)}>")
        if entity.key:
            parts.append(f'<Key><PropertyRef Name="{escape(entity.key)}"/></Key>')
        for name, kind, nullable in entity.properties:
            edm = EDM.get(kind, f"{namespace}.{kind}")
            parts.append(
                f"<Property Name={quoteattr(name)} Type={quoteattr(edm)} "
                f'Nullable="{"true" if nullable else "false"}"/>'
            )
        for name, target in entity.navigation:
            parts.append(
                f"<NavigationProperty Name={quoteattr(name)} "
                f'Type={quoteattr(f"{namespace}.{target}")} Nullable="true"/>'
            )
        parts.append(f"</{tag}>")
    parts.append('<EntityContainer Name="Container">')
    for set_name, type_name in sets.items():
        parts.append(
            f"<EntitySet Name={quoteattr(set_name)} "
            f"EntityType={quoteattr(f'{namespace}.{type_name}')}/>"
        )
    parts += ["</EntityContainer>", "</Schema>", "</edmx:DataServices>", "</edmx:Edmx>"]
    return "\n".join(parts)


def entity_type(
    name: str, table: Sequence[VendorField], key: str = "id", **more: Sequence[tuple[str, str]]
) -> EntityType:
    """The entity type of a field table: its scalar members, dates and times nullable."""
    properties = [(row.name, row.type, row.type in ("date", "datetime"))
                  for row in table if row.type in EDM]  # fmt: skip
    return EntityType(name, properties, key=key, **more)
