"""List pages: filters, keyset positions, and the substring search, as SQL.

Pages are assembled from the stored documents; the ordering values come along for the
cursor. On SQLite a `q` search ordered by name streams its matches in name order from the
search index (db/search.py); every other list is one SQL statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from counterparty.db.codec import unpack
from counterparty.db.driver import Driver
from counterparty.db.search import (
    FTS_TABLE,
    ROWID_MASK,
    bucket_of,
    chunks,
    match_expression,
    name_bucket,
    search_marker,
    vocabulary_range,
)
from counterparty.db.values import Values, placeholders
from counterparty.domain.text import compact, fold
from counterparty.services.listing import ContactQuery, Listed

CHUNK = 256
_SORT_KEYS = {"name": ("name_key", "id"), "number": ("number",), "updated_at": ("updated_at", "id")}
_LISTED = "id, number, name_key, updated_at, document"
_EQUAL = {
    "kind": "kind",
    "is_customer": "is_customer",
    "is_supplier": "is_supplier",
    "archived": "archived",
    "country_code": "country_code",
    "external_ref": "external_ref",
    "check_status": "check_status",
}
_MATCHING = f"rowid IN (SELECT rowid & {ROWID_MASK} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)"
_TAGGED = "id IN (SELECT contact_id FROM contact_tags WHERE tenant_id = ? AND tag = ?)"
_TAGGED_HERE = (
    "EXISTS (SELECT 1 FROM contact_tags AS tagged WHERE tagged.tenant_id = contacts.tenant_id "
    "AND tagged.contact_id = contacts.id AND tagged.tag = ?)"
)
# On SQLite a page of a tag more contacts than this carry walks the page's order (or the
# search's matches) and checks each contact's tags (full after a few hundred rows for a common
# tag); a page of a rarer tag reads its holders once (a walk would go through most of the
# tenant to fill it). A statement's plan is chosen before it reads a row, so the tag is
# counted first, up to this.
COMMON_TAG = 1000


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def term_variants(query: ContactQuery) -> list[tuple[str, ...]]:
    """Each term with the forms it may match in: as typed (folded), and without the
    separators people type inside identifiers ("BE 0403.019.261")."""
    return [tuple(sorted({term, fold(compact(term))} - {""})) for term in query.terms]


class ListingQueries:
    def __init__(self, connection: Connection, driver: Driver, values: Values) -> None:
        self._connection = connection
        self._driver = driver
        self._values = values
        self._sqlite = values.name == "sqlite"

    # --- building blocks -----------------------------------------------------------------

    def _trigrams(self, prefix: str) -> list[str]:
        low, high = vocabulary_range(prefix)
        rows = self._driver.execute(
            f"SELECT term FROM {FTS_TABLE}_vocab WHERE term >= ? AND term < ?", (low, high)
        ).fetchall()
        return [row[0] for row in rows]

    def _split(self, query: ContactQuery) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """Terms the SQLite index answers, and the rest (matched with LIKE)."""
        terms = term_variants(query)
        if not self._sqlite:
            return [], terms
        indexed = [t for t in terms if all(len(variant) >= 2 for variant in t)]
        return indexed, [t for t in terms if t not in indexed]

    def _common_tag(self, tenant_id: UUID, tag: str) -> bool:
        row = self._driver.execute(
            "SELECT count(*) FROM (SELECT 1 FROM contact_tags WHERE tenant_id = ? AND tag = ? "
            "LIMIT ?)",
            (self._values.uuid(tenant_id), tag, COMMON_TAG + 1),
        ).fetchone()
        return int(row[0]) > COMMON_TAG

    def _filters(
        self,
        tenant_id: UUID,
        query: ContactQuery,
        like_terms: Sequence[tuple[str, ...]],
        walked: bool = False,
    ) -> tuple[list[str], list[Any]]:
        """The conditions and their parameters; `walked`: the tag is looked up for each contact
        the statement reads, not read whole first (COMMON_TAG)."""
        values = self._values
        where, parameters = ["tenant_id = ?"], [values.uuid(tenant_id)]
        for name, column in _EQUAL.items():
            wanted = getattr(query, name)
            if wanted is not None:
                where.append(f"{column} = ?")
                parameters.append(wanted)
        if query.updated_since is not None:
            where.append("updated_at >= ?")
            parameters.append(values.moment(query.updated_since))
        if query.tag is not None and walked:
            where.append(_TAGGED_HERE)
            parameters.append(query.tag)
        elif query.tag is not None:
            where.append(_TAGGED)
            parameters += [values.uuid(tenant_id), query.tag]
        for variants in like_terms:
            where.append(
                "(" + " OR ".join("search_text LIKE ? ESCAPE '\\'" for _ in variants) + ")"
            )
            parameters += [_like(variant) for variant in variants]
        return where, parameters

    def _position(self, query: ContactQuery) -> tuple[list[str], list[Any]]:
        if query.after is None:
            return [], []
        keys = _SORT_KEYS[query.sort]
        value, last_id = query.after
        if query.sort == "updated_at":
            value = self._values.moment(datetime.fromisoformat(value))
        position = [value] if query.sort == "number" else [value, self._values.uuid(last_id)]
        operator = "<" if query.descending else ">"
        row = f"({', '.join(keys)})" if len(keys) > 1 else keys[0]
        marks = f"({', '.join('?' * len(keys))})" if len(keys) > 1 else "?"
        return [f"{row} {operator} {marks}"], position

    def _listed(self, row: Sequence[Any]) -> Listed:
        values = self._values
        return Listed(
            id=values.read_uuid(row[0]),
            number=int(row[1]),
            name_key=row[2],
            updated_at=values.read_moment(row[3]),
            document=unpack(row[4]),
        )

    def _matching(self, tenant_id: UUID, indexed: Sequence[tuple[str, ...]]) -> str | None:
        return match_expression(search_marker(tenant_id), indexed, self._trigrams)

    # --- pages and counts ----------------------------------------------------------------

    def page(self, tenant_id: UUID, query: ContactQuery) -> list[Listed]:
        indexed, like_terms = self._split(query)
        walked = self._sqlite and query.tag is not None and self._common_tag(tenant_id, query.tag)
        where, parameters = self._filters(tenant_id, query, like_terms, walked)
        if indexed:
            expression = self._matching(tenant_id, indexed)
            if expression is None:
                return []
            if query.sort == "name" and not query.offset:
                return self._streamed(tenant_id, query, expression, where, parameters)
            where.append(_MATCHING)
            parameters.append(expression)
        more, extra = self._position(query)
        direction = " DESC" if query.descending else ""
        order = ", ".join(key + direction for key in _SORT_KEYS[query.sort])
        statement = (
            f"SELECT {_LISTED} FROM contacts WHERE {' AND '.join(where + more)} "
            f"ORDER BY {order} LIMIT ?"
        )
        parameters = [*parameters, *extra, query.limit + 1]
        if query.offset:
            statement += " OFFSET ?"
            parameters.append(query.offset)
        rows = self._driver.execute(self._values.sql(statement), parameters).fetchall()
        return [self._listed(row) for row in rows]

    def count(self, tenant_id: UUID, query: ContactQuery) -> int:
        indexed, like_terms = self._split(query)
        where, parameters = self._filters(tenant_id, query, like_terms)
        if indexed:
            expression = self._matching(tenant_id, indexed)
            if expression is None:
                return 0
            where.append(_MATCHING)
            parameters.append(expression)
        statement = f"SELECT count(*) FROM contacts WHERE {' AND '.join(where)}"
        row = self._driver.execute(self._values.sql(statement), parameters).fetchone()
        return int(row[0])

    def _streamed(
        self,
        tenant_id: UUID,
        query: ContactQuery,
        expression: str,
        where: list[str],
        parameters: list[Any],
    ) -> list[Listed]:
        """A name-ordered page of a SQLite search: read the index in name-bucket order until
        the page is complete and the bucket of its last contact is finished; sort only that."""
        descending = query.descending
        low, high = 0, (1 << 62) - 1
        if query.after is not None:
            bucket = name_bucket(query.after[0]) << 32
            if descending:
                high = bucket | ROWID_MASK
            else:
                low = bucket
        matches = self._driver.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? AND rowid BETWEEN ? AND ? "
            f"ORDER BY rowid{' DESC' if descending else ''}",
            (expression, low, high),
        )
        more, extra = self._position(query)
        conditions = " AND ".join([*where, *more])
        filter_sql = matches_sql(conditions)
        wanted = query.limit + 1
        beyond = partial(_beyond, descending)
        found: list[tuple[str, Any, int]] = []
        threshold: int | None = None
        for chunk in chunks(iter(matches), CHUNK):
            if threshold is not None:
                chunk = [rowid for rowid in chunk if not beyond(bucket_of(rowid), threshold)]
                if not chunk:
                    break
            rowids = [rowid & ROWID_MASK for rowid in chunk]
            padded = rowids + [-1] * (CHUNK - len(rowids))
            rows = self._driver.execute(filter_sql, [*padded, *parameters, *extra]).fetchall()
            found.extend((name_key, contact_id, rowid) for rowid, name_key, contact_id in rows)
            if len(found) >= wanted:
                buckets = sorted((name_bucket(row[0]) for row in found), reverse=descending)
                threshold = buckets[wanted - 1]
                if beyond(bucket_of(chunk[-1]), threshold):
                    break
        found.sort(reverse=descending)
        return self._documents(tenant_id, [rowid for _, _, rowid in found[:wanted]])

    def _documents(self, tenant_id: UUID, rowids: list[int]) -> list[Listed]:
        if not rowids:
            return []
        rows = self._driver.execute(
            documents_sql(len(rowids)), [self._values.uuid(tenant_id), *rowids]
        ).fetchall()
        by_rowid = {int(row[0]): row[1:] for row in rows}
        return [self._listed(by_rowid[rowid]) for rowid in rowids]


# The index's matches are read back by row id. NOT INDEXED keeps SQLite's planner from
# answering `tenant_id = ? AND rowid IN (…)` through an index on tenant_id, which walks every
# contact of the tenant (0.5 s a page at a million); the tenant condition still holds.
def matches_sql(conditions: str) -> str:
    """Which of a chunk of the index's matches pass the list's other filters."""
    return (
        f"SELECT rowid, name_key, id FROM contacts NOT INDEXED "
        f"WHERE rowid IN ({placeholders(CHUNK)}) AND {conditions}"
    )


def documents_sql(count: int) -> str:
    """The listed columns of `count` contacts of one tenant, by row id."""
    return (
        f"SELECT rowid, {_LISTED} FROM contacts NOT INDEXED WHERE tenant_id = ? "
        f"AND rowid IN ({placeholders(count)})"
    )


def _beyond(descending: bool, bucket: int, threshold: int) -> bool:
    return bucket < threshold if descending else bucket > threshold
