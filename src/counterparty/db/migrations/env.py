"""Alembic environment: runs on the connection the caller hands over, or opens its own."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from counterparty.db.engine import normalize_url
from counterparty.db.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(normalize_url(config.get_main_option("sqlalchemy.url") or ""))
    with engine.begin() as own_connection:
        context.configure(
            connection=own_connection,
            target_metadata=metadata,
            render_as_batch=own_connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
