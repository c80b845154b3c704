"""Storage: SQLAlchemy Core over SQLite or PostgreSQL, schema built by Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from counterparty.db.checkpoints import Checkpointer
from counterparty.db.driver import Observer
from counterparty.db.engine import create_db_engine, is_sqlite, normalize_url
from counterparty.db.planner_statistics import state_tenant_shape
from counterparty.db.search import SQLITE_REBUILD
from counterparty.db.unit_of_work import ConnectionLender, SqlUnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


class Database:
    """An engine and the units of work over it; one per process."""

    def __init__(self, url: str, pool_size: int = 8) -> None:
        self.url = normalize_url(url)
        self.engine: Engine = create_db_engine(self.url, pool_size)
        path = self.engine.url.database
        self._checkpointer = (
            Checkpointer(path) if is_sqlite(self.engine) and path and path != ":memory:" else None
        )
        self._lender = ConnectionLender(
            self.engine,
            keep=pool_size,
            on_write=self._checkpointer.start if self._checkpointer else lambda: None,
            truncate_log=self._checkpointer.request_truncate if self._checkpointer else None,
        )

    @property
    def lender(self) -> ConnectionLender:
        """The connections units of work borrow (for units of work with more repositories)."""
        return self._lender

    @property
    def observers(self) -> list[Observer]:
        """Callables that see each statement run below SQLAlchemy before it runs."""
        return self._lender.observers

    @property
    def log_truncation_pending(self) -> bool:
        """SQLite: whether an erasure's log is still to be emptied in the background."""
        return self._checkpointer is not None and self._checkpointer.truncate_pending

    def unit_of_work(self, *, write: bool, wait: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._lender, write=write, wait=wait)

    def migrate(self, revision: str = "head") -> None:
        with self.engine.begin() as connection:
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if is_sqlite(self.engine):
                state_tenant_shape(connection)

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def rebuild_search_index(self) -> None:
        """Rebuild SQLite's search index from the contacts (after a change of how names or
        search texts are folded); PostgreSQL's index needs no such care."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.begin() as connection:
                for statement in SQLITE_REBUILD:
                    connection.exec_driver_sql(statement)

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self._lender.close()
        self.engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


__all__ = ["Database", "alembic_config"]
