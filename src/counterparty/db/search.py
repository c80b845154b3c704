"""The WHERE clauses of a contact search: the filters, and the free-text terms answered by
SQLite's FTS5 trigram index or PostgreSQL's trigram GIN index."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, literal_column, or_, select, table, text

from counterparty.db.tables import contact_tags, contacts
from counterparty.domain.text import compact, fold
from counterparty.services.listing import ContactQuery

MIN_TRIGRAM = 3
DENSE_MATCHES = 1000  # matches from which a search walks the sort index instead
FTS_SAMPLE = text(
    "SELECT count(*) FROM (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :fts LIMIT :cap)"
)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(variants: set[str]) -> str:
    quoted = " OR ".join('"' + variant.replace('"', '""') + '"' for variant in sorted(variants))
    return f"({quoted})"


def fts_expression(query: ContactQuery) -> str | None:
    """The FTS5 query for the terms the trigram index can answer, if any."""
    phrases = [
        _fts_phrase(variants)
        for variants in (_variants(term) for term in query.terms)
        if all(len(variant) >= MIN_TRIGRAM for variant in variants)
    ]
    return " AND ".join(phrases) or None


def _variants(term: str) -> set[str]:
    return {term, fold(compact(term))} - {""}


def search_filters(
    tenant_id: UUID, query: ContactQuery, dialect: str, use_index: bool = True
) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    indexed: list[str] = []
    for term in query.terms:
        variants = _variants(term)
        if (
            use_index
            and dialect == "sqlite"
            and all(len(variant) >= MIN_TRIGRAM for variant in variants)
        ):
            # The trigram index answers substrings of three characters and more.
            indexed.append(_fts_phrase(variants))
            continue
        # PostgreSQL's trigram GIN index serves this LIKE; shorter terms scan.
        found.append(or_(*(contacts.c.search_text.like(_like(v), escape="\\") for v in variants)))
    if indexed:
        matches = text("contacts_fts MATCH :fts").bindparams(fts=" AND ".join(indexed))
        found.append(
            literal_column("contacts.rowid").in_(
                select(literal_column("rowid")).select_from(table("contacts_fts")).where(matches)
            )
        )
    equal = {
        "kind": contacts.c.kind,
        "is_customer": contacts.c.is_customer,
        "is_supplier": contacts.c.is_supplier,
        "archived": contacts.c.archived,
        "country_code": contacts.c.address_country_code,
        "external_ref": contacts.c.external_ref,
    }
    for name, column in equal.items():
        wanted = getattr(query, name)
        if wanted is not None:
            found.append(column == wanted)
    if query.check_status is not None:
        found.append(contacts.c.check_status == query.check_status)
    if query.updated_since is not None:
        found.append(contacts.c.updated_at >= query.updated_since)
    if query.tag is not None:
        found.append(
            contacts.c.id.in_(
                select(contact_tags.c.contact_id).where(
                    contact_tags.c.tenant_id == tenant_id, contact_tags.c.tag == query.tag
                )
            )
        )
    return found
