"""Storage: SQLAlchemy Core over SQLite or PostgreSQL, schema built by Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from counterparty.db.engine import create_db_engine, normalize_url
from counterparty.db.unit_of_work import SqlUnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


class Database:
    """An engine and the units of work over it; one per process."""

    def __init__(self, url: str, pool_size: int = 8) -> None:
        self.url = normalize_url(url)
        self.engine: Engine = create_db_engine(self.url, pool_size)

    def unit_of_work(self, *, write: bool) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, write=write)

    def migrate(self, revision: str = "head") -> None:
        with self.engine.begin() as connection:
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def rebuild_search_index(self) -> None:
        """Rebuild SQLite's full-text index from the contacts (needed after a VACUUM, which
        may renumber the rowids it refers to); PostgreSQL's index needs no such care."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.begin() as connection:
                connection.exec_driver_sql(
                    "INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')"
                )

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


__all__ = ["Database", "alembic_config"]
