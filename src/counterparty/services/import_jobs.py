"""Import jobs: the record of an import, kept in step with what it committed.

Each batch's per-row results and the job's progress (last row, counts, time) are written by
the batch's own transaction, so a job killed in the middle says exactly which rows are done;
resuming it reads the same file again and continues after its last row.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from counterparty.domain.import_jobs import ImportJob, StoredRow
from counterparty.errors import Conflict, NotFound
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions

RESULTS_PAGE = 1000
MAX_LISTED = 100


def now() -> datetime:
    return datetime.now(UTC)


class RowOutcome(Protocol):
    """What a row's result is made of (services/imports.py RowResult has this shape)."""

    @property
    def row(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def contact_id(self) -> UUID | None: ...
    @property
    def errors(self) -> Sequence[Any]: ...


def stored(result: RowOutcome) -> StoredRow:
    return StoredRow(
        result.row, result.action, result.contact_id, [vars(error) for error in result.errors]
    )


class JobProgress:
    """A job on its way: its committed state, and the next state a batch would commit."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self._base_seconds = job.seconds
        self._started = time.monotonic()

    def after(self, rows: Sequence[RowOutcome]) -> ImportJob:
        counts = dict(self.job.counts)
        for row in rows:
            counts[row.action] += 1
        return replace(
            self.job,
            last_row=rows[-1].row if rows else self.job.last_row,
            rows_done=self.job.rows_done + len(rows),
            counts=counts,
            seconds=self._base_seconds + time.monotonic() - self._started,
            updated_at=now(),
        )

    def record(self, uow: UnitOfWork, rows: Sequence[RowOutcome]) -> ImportJob:
        """Inside the batch's transaction: its rows and the job's progress."""
        following = self.after(rows)
        uow.imports.record(following, [stored(row) for row in rows])
        return following


class ImportJobs:
    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions

    def start(
        self, actor: Actor, job_id: UUID, given: Mapping[str, str], file_name: str | None
    ) -> JobProgress:
        moment = now()
        job = ImportJob(
            tenant_id=actor.tenant_id,
            id=job_id,
            status="running",
            options=dict(given),
            dry_run=given.get("dry_run") == "true",
            created_at=moment,
            updated_at=moment,
            file_name=file_name,
        )
        self._tx.write(lambda uow: uow.imports.add(job), actor)
        return JobProgress(job)

    def take_over(self, actor: Actor, job_id: UUID) -> JobProgress:
        """An interrupted job, claimed to run again from after its last committed row."""

        def work(uow: UnitOfWork) -> ImportJob:
            job = self._get(uow, actor, job_id)
            if job.shown_status(now()) != "interrupted":
                raise Conflict(
                    f"import {job_id} is {job.shown_status(now())}; only an interrupted import "
                    "resumes"
                )
            claimed = replace(job, status="running", updated_at=now())
            uow.imports.record(claimed, [])
            return claimed

        return JobProgress(self._tx.write(work, actor))

    def finish(self, actor: Actor, progress: JobProgress, error: str | None = None) -> None:
        ended = replace(
            progress.after([]),
            status="failed" if error else "succeeded",
            error=error,
            finished_at=now(),
        )
        self._tx.write(lambda uow: uow.imports.record(ended, []), actor)
        progress.job = ended

    def get(self, actor: Actor, job_id: UUID) -> ImportJob:
        return self._tx.read(lambda uow: self._get(uow, actor, job_id), actor)

    def list(self, actor: Actor) -> Sequence[ImportJob]:
        return self._tx.read(
            lambda uow: uow.imports.list_for_tenant(actor.tenant_id, MAX_LISTED), actor
        )

    def results(self, actor: Actor, job_id: UUID, only_failed: bool) -> Iterator[StoredRow]:
        """Every stored row result, in row order, read a page at a time."""
        self.get(actor, job_id)  # another tenant's job is not found
        after = 0
        while True:
            page = self._tx.read(
                lambda uow, after=after: uow.imports.results(  # type: ignore[misc]
                    actor.tenant_id, job_id, after, RESULTS_PAGE, only_failed
                ),
                actor,
            )
            yield from page
            if len(page) < RESULTS_PAGE:
                return
            after = page[-1].row

    @staticmethod
    def _get(uow: UnitOfWork, actor: Actor, job_id: UUID) -> ImportJob:
        job = uow.imports.get(actor.tenant_id, job_id)
        if job is None:
            raise NotFound(f"no import with id {job_id}")
        return job
