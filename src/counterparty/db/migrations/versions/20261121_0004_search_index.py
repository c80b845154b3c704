"""Substring search index over contacts.search_text

SQLite: an FTS5 table with the trigram tokenizer, kept in step by triggers (it indexes the
contacts table's rowids; after a VACUUM, run `counterparty db rebuild-search`). PostgreSQL: a
pg_trgm GIN index, which `LIKE '%term%'` uses directly.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE contacts_fts USING fts5("
    "search_text, content='contacts', content_rowid='rowid', tokenize='trigram')",
    "INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')",
    "CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN "
    "INSERT INTO contacts_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN "
    "INSERT INTO contacts_fts(contacts_fts, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER contacts_fts_update AFTER UPDATE OF search_text ON contacts "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO contacts_fts(contacts_fts, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO contacts_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER contacts_fts_update",
    "DROP TRIGGER contacts_fts_delete",
    "DROP TRIGGER contacts_fts_insert",
    "DROP TABLE contacts_fts",
]
# The extension lives in `public` so that every schema of the database can use it.
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "CREATE INDEX ix_contacts_search_text_trgm ON contacts "
    "USING gin (search_text public.gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX ix_contacts_search_text_trgm"]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
