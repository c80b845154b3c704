"""Substring search on SQLite that reads matches already (nearly) in name order.

The index is a contentless FTS5 trigram table over each contact's `search_text`. Its row ids
are not the contacts' own: the high bits hold `name_bucket`, an order-preserving number made of
the first BUCKET_CHARS characters of the folded name, the low bits the contact's own row id
(unique across tenants: two rows of the index must never share an id, or a contentless index
would merge their texts). A VACUUM may renumber row ids: `counterparty db rebuild-search`
afterwards. FTS5
returns matches in row id order, so a search streams its matches in name order bucket by
bucket: it reads until it has a page and has finished the bucket of the page's last contact,
then sorts only what it read. That is exact, because a contact in a later bucket sorts after
every contact of an earlier one. Each indexed text ends with its tenant's marker (three
private-use characters), which every query requires, so a tenant never reads another's
matches. Every line ends with a newline, so a two-character term is exactly the union of the
indexed trigrams that start with it. (PostgreSQL searches through a pg_trgm index instead.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from hashlib import blake2b
from typing import Any
from uuid import UUID

MIN_TRIGRAM = 3
BUCKET_CHARS = 5
_CODE_BITS = 6
ROWID_BITS = 32
ROWID_MASK = (1 << ROWID_BITS) - 1
_PRIVATE_USE = 0xE000

FTS_TABLE = "contacts_fts"
# The marker comes from the tenants table, so every write path (and a rebuild) indexes the
# same text without knowing about it.
_INDEXED_NEW = (
    "new.search_text || char(10) || (SELECT search_marker FROM tenants WHERE id = new.tenant_id)"
)
_INDEXED_OLD = _INDEXED_NEW.replace("new.", "old.")
_ROWID_NEW = f"(new.name_bucket << {ROWID_BITS}) | new.rowid"
_ROWID_OLD = _ROWID_NEW.replace("new.", "old.")
SQLITE_SCHEMA = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='', "
    "tokenize='trigram case_sensitive 1', detail='full', columnsize=0)",
    f"CREATE VIRTUAL TABLE {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, 'row')",
    # A row id needs ROWID_BITS bits at most: 4.29 billion rows (a VACUUM renumbers them).
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON contacts BEGIN "
    f"SELECT RAISE(ABORT, 'contact row id out of range') WHERE new.rowid > {ROWID_MASK}; "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES ({_ROWID_NEW}, {_INDEXED_NEW}); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON contacts BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    f"VALUES ('delete', {_ROWID_OLD}, {_INDEXED_OLD}); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF search_text, name_bucket ON contacts "
    "WHEN old.search_text IS NOT new.search_text OR old.name_bucket IS NOT new.name_bucket "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    f"VALUES ('delete', {_ROWID_OLD}, {_INDEXED_OLD}); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES ({_ROWID_NEW}, {_INDEXED_NEW}); END",
)
SQLITE_REBUILD = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) "
    f"SELECT (c.name_bucket << {ROWID_BITS}) | c.rowid, "
    "c.search_text || char(10) || t.search_marker "
    "FROM contacts c JOIN tenants t ON t.id = c.tenant_id",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def search_marker(tenant_id: UUID) -> str:
    """Three private-use characters derived from the tenant id."""
    digest = int.from_bytes(blake2b(tenant_id.bytes, digest_size=5).digest(), "big")
    return "".join(chr(_PRIVATE_USE + (digest >> shift & 0xFFF)) for shift in (24, 12, 0))


def _code(character: str) -> tuple[int, bool]:
    """A number per character that never decreases as the character increases, and whether
    it is the character's alone. Letters, digits and the space have their own; each run of
    other characters between them shares one."""
    point = ord(character)
    if point == 0x20:
        return 2, True
    if point < 0x20:
        return 1, False
    if point < 0x30:  # the punctuation between the space and the digits
        return 3, False
    if point <= 0x39:
        return 4 + point - 0x30, True
    if point < 0x61:
        return 14, False
    if point <= 0x7A:
        return 15 + point - 0x61, True
    return 41, False


def name_bucket(name_key: str) -> int:
    """The order-preserving bucket of a folded name: if a <= b then bucket(a) <= bucket(b).

    After a character whose code it shares with others, the rest of the name counts as
    ended: two names that differ first there are ordered by that character alone, which the
    shared code cannot tell, so what follows must not decide either.

    >>> name_bucket("") < name_bucket("a") < name_bucket("ab") < name_bucket("b")
    True
    >>> name_bucket('ar "q"') <= name_bucket("ar% 1")
    True
    """
    bucket = 0
    ended = False
    for position in range(BUCKET_CHARS):
        code = 0
        if not ended and position < len(name_key):
            code, own = _code(name_key[position])
            ended = not own
        bucket = bucket << _CODE_BITS | code
    return bucket


def bucket_of(fts_rowid: int) -> int:
    return fts_rowid >> ROWID_BITS


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(marker: str, terms: Sequence[Sequence[str]], trigrams_of: Any) -> str | None:
    """The MATCH expression for `terms` (each a set of variants, any of which may match),
    or None when a term cannot match anything. Variants shorter than MIN_TRIGRAM become the
    union of the indexed trigrams that start with them (`trigrams_of(prefix)`)."""
    parts = [_phrase(marker)]
    for variants in terms:
        alternatives: list[str] = []
        for variant in variants:
            if len(variant) >= MIN_TRIGRAM:
                alternatives.append(_phrase(variant))
            else:
                alternatives.extend(_phrase(trigram) for trigram in trigrams_of(variant))
        if not alternatives:
            return None
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def vocabulary_range(prefix: str) -> tuple[str, str]:
    """Bounds of the indexed trigrams that start with `prefix`."""
    return prefix, prefix + "\U0010ffff"


def chunks(rows: Iterator[Sequence[Any]], size: int) -> Iterator[list[int]]:
    """Row ids from a cursor, `size` at a time."""
    chunk: list[int] = []
    for row in rows:
        chunk.append(row[0])
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
