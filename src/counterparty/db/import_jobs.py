"""All SQL about import jobs and their per-row results. Never commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select, update

from counterparty.db.import_tables import import_jobs, import_results
from counterparty.db.tenancy import _utc
from counterparty.domain.import_jobs import ACTIONS, HELD, ImportJob, StoredRow

# What a batch writes of its job. Not the status: a cancel asked meanwhile must stay.
_PROGRESS = (
    "last_row", "rows_done", "seconds", "error", "updated_at", "finished_at", "rows_total",
)  # fmt: skip


def _job(row: Mapping[Any, Any]) -> ImportJob:
    return ImportJob(
        tenant_id=row["tenant_id"],
        id=row["id"],
        status=row["status"],
        options=dict(row["options"]),
        dry_run=bool(row["dry_run"]),
        created_at=_utc(row["created_at"]),  # type: ignore[arg-type]
        updated_at=_utc(row["updated_at"]),  # type: ignore[arg-type]
        file_name=row["file_name"],
        last_row=int(row["last_row"]),
        rows_done=int(row["rows_done"]),
        counts={action: int(row[action]) for action in ACTIONS},
        seconds=float(row["seconds"]),
        error=row["error"],
        finished_at=_utc(row["finished_at"]),
        rows_total=None if row["rows_total"] is None else int(row["rows_total"]),
    )


def _of(tenant_id: UUID, job_id: UUID) -> Any:
    return (import_jobs.c.tenant_id == tenant_id) & (import_jobs.c.id == job_id)


class ImportJobTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, job: ImportJob) -> None:
        values = {key: value for key, value in asdict(job).items() if key != "counts"}
        self._connection.execute(insert(import_jobs), {**values, **job.counts})

    def get(self, tenant_id: UUID, job_id: UUID) -> ImportJob | None:
        query = select(import_jobs).where(_of(tenant_id, job_id))
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _job(row)

    def list_for_tenant(self, tenant_id: UUID, limit: int) -> Sequence[ImportJob]:
        query = (
            select(import_jobs)
            .where(import_jobs.c.tenant_id == tenant_id)
            .order_by(import_jobs.c.created_at.desc(), import_jobs.c.id.desc())
            .limit(limit)
        )
        return [_job(row) for row in self._connection.execute(query).mappings()]

    def record(self, job: ImportJob, rows: Sequence[StoredRow]) -> None:
        if rows:
            self._connection.execute(
                insert(import_results),
                [{"tenant_id": job.tenant_id, "job_id": job.id, **asdict(row)} for row in rows],
            )
        progress = {name: getattr(job, name) for name in _PROGRESS}
        self._connection.execute(
            update(import_jobs).where(_of(job.tenant_id, job.id)).values(**progress, **job.counts)
        )

    def change(self, job: ImportJob, expected: Iterable[str], with_progress: bool = True) -> bool:
        """The job's status (and, `with_progress`, its progress; else its times only)
        written if its stored status is still one of `expected` (another process or request
        may have moved it); whether it was."""
        if with_progress:
            values = {**{name: getattr(job, name) for name in _PROGRESS}, **job.counts}
        else:
            values = {"updated_at": job.updated_at, "finished_at": job.finished_at}
        found = self._connection.execute(
            update(import_jobs)
            .where(_of(job.tenant_id, job.id), import_jobs.c.status.in_(list(expected)))
            .values(status=job.status, **values)
        )
        return found.rowcount == 1

    def touch(self, keys: Sequence[tuple[UUID, UUID]], moment: datetime) -> None:
        """The heartbeat of the jobs (tenant id, job id) a live process holds."""
        for tenant_id, job_id in keys:  # a few: the jobs one process holds
            self._connection.execute(
                update(import_jobs)
                .where(_of(tenant_id, job_id), import_jobs.c.status.in_(HELD))
                .values(updated_at=moment)
            )

    def status(self, tenant_id: UUID, job_id: UUID) -> str | None:
        query = select(import_jobs.c.status).where(_of(tenant_id, job_id))
        found: str | None = self._connection.execute(query).scalar()
        return found

    def results(
        self, tenant_id: UUID, job_id: UUID, after_row: int, limit: int, only_failed: bool
    ) -> Sequence[StoredRow]:
        query = select(
            import_results.c.row,
            import_results.c.action,
            import_results.c.contact_id,
            import_results.c.errors,
        ).where(
            import_results.c.tenant_id == tenant_id,
            import_results.c.job_id == job_id,
            import_results.c.row > after_row,
        )
        if only_failed:
            query = query.where(import_results.c.action == "failed")
        query = query.order_by(import_results.c.row).limit(limit)
        return [
            StoredRow(int(row.row), row.action, row.contact_id, list(row.errors))
            for row in self._connection.execute(query)
        ]
