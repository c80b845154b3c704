"""The schema stays ready for a database distributed by tenant, and migrations match it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from counterparty.db import Database
from counterparty.db.tables import is_declared, metadata

# Read before a tenant is known (authentication); reference tables when distributed.
DIRECTORY_TABLES = {"tenants", "api_keys"}


def test_tenant_id_leads_every_primary_and_unique_key() -> None:
    for table in metadata.sorted_tables:
        if table.name == "tenants":
            continue
        assert table.c.tenant_id.nullable is False, table.name
        assert table.primary_key.columns.keys()[0] == "tenant_id", table.name
        for constraint in table.constraints:
            columns = getattr(constraint, "columns", None)
            if columns is not None and constraint.__class__.__name__ == "UniqueConstraint":
                assert columns.keys()[0] == "tenant_id", (table.name, constraint.name)
        for index in table.indexes:
            if index.unique:
                assert index.columns.keys()[0] == "tenant_id", (table.name, index.name)
        if table.name not in DIRECTORY_TABLES:
            for foreign_key in table.foreign_key_constraints:
                assert "tenant_id" in foreign_key.column_keys, (table.name, foreign_key.name)


def test_no_identifier_comes_from_a_sequence(database: Database) -> None:
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            assert column.identity is None and column.default is None, (table.name, column.name)
            if column.type.python_type is int:  # assigned from a per-tenant counter
                assert column.autoincrement is False, (table.name, column.name)
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect() as connection:
            sequences = connection.exec_driver_sql(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()"
            ).all()
        assert sequences == []


def test_migrations_build_exactly_the_declared_schema(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": is_declared})
        differences = compare_metadata(context, metadata)
        tables = set(inspect(connection).get_table_names())
    assert differences == []
    assert {table.name for table in metadata.sorted_tables} <= tables
