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

from counterparty.domain.import_jobs import ENDED, HELD, ImportJob, Stored, StoredRow
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
        self,
        actor: Actor,
        job_id: UUID,
        given: Mapping[str, str],
        file_name: str | None,
        status: Stored = "running",
        rows_total: int | None = None,
    ) -> JobProgress:
        """A new job: `running` when its caller runs it now (the command line), `queued`
        when a worker will (an upload)."""
        moment = now()
        job = ImportJob(
            tenant_id=actor.tenant_id,
            id=job_id,
            status=status,
            options=dict(given),
            dry_run=given.get("dry_run") == "true",
            created_at=moment,
            updated_at=moment,
            file_name=file_name,
            rows_total=rows_total,
        )
        self._tx.write(lambda uow: uow.imports.add(job), actor)
        return JobProgress(job)

    def take_over(self, actor: Actor, job_id: UUID) -> JobProgress:
        """An interrupted job, claimed to run again now from after its last committed row."""
        return JobProgress(self._tx.write(lambda uow: self._resumed(uow, actor, job_id), actor))

    def requeue(self, actor: Actor, job_id: UUID) -> ImportJob:
        """An interrupted job, queued to run again from after its last committed row."""
        return self._tx.write(lambda uow: self._resumed(uow, actor, job_id, "queued"), actor)

    def _resumed(
        self, uow: UnitOfWork, actor: Actor, job_id: UUID, status: Stored = "running"
    ) -> ImportJob:
        job = self._get(uow, actor, job_id)
        shown = job.shown_status(now())
        if shown != "interrupted":
            raise Conflict(f"import {job_id} is {shown}; only an interrupted import resumes")
        claimed = replace(job, status=status, updated_at=now())
        if not uow.imports.change(claimed, [job.status], with_progress=False):
            raise Conflict(f"import {job_id} changed meanwhile; look at it again")
        return claimed

    def begin(self, actor: Actor, job_id: UUID) -> JobProgress | None:
        """A queued job claimed by the worker that runs it; None if it is no longer queued
        (cancelled meanwhile, or another worker took it)."""

        def work(uow: UnitOfWork) -> ImportJob | None:
            job = self._get(uow, actor, job_id)
            claimed = replace(job, status="running", updated_at=now())
            if job.status != "queued" or not uow.imports.change(claimed, ["queued"], False):
                return None
            return claimed

        job = self._tx.write(work, actor)
        return None if job is None else JobProgress(job)

    def cancel_requested(self, actor: Actor, job_id: UUID) -> bool:
        found = self._tx.read(lambda uow: uow.imports.status(actor.tenant_id, job_id), actor)
        return found == "cancelling"

    def cancel(self, actor: Actor, job_id: UUID) -> ImportJob:
        """A queued or interrupted job is cancelled at once; a running one is asked to stop
        after its current batch (it shows as running until then). An ended one: conflict."""

        def work(uow: UnitOfWork) -> ImportJob:
            job = self._get(uow, actor, job_id)
            moment = now()
            shown = job.shown_status(moment)
            if shown in ENDED:
                raise Conflict(f"import {job_id} is {shown}; only an import not ended cancels")
            if shown == "running":
                if job.status == "cancelling":
                    return job  # asked already
                asked = replace(job, status="cancelling")
            else:  # queued, or interrupted: nothing runs it
                asked = replace(job, status="cancelled", updated_at=moment, finished_at=moment)
            if not uow.imports.change(asked, [job.status], with_progress=False):
                raise Conflict(f"import {job_id} changed meanwhile; look at it again")
            return asked

        return self._tx.write(work, actor)

    def finish(
        self,
        actor: Actor,
        progress: JobProgress,
        error: str | None = None,
        *,
        status: Stored | None = None,
    ) -> None:
        """The job ended (`status`: succeeded, or failed with `error`, unless named)."""
        ended = replace(
            progress.after([]),
            status=status or ("failed" if error else "succeeded"),
            error=error,
            finished_at=None if status == "interrupted" else now(),
        )
        self._tx.write(lambda uow: uow.imports.change(ended, HELD), actor)
        progress.job = ended

    def interrupt(self, actor: Actor, job_id: UUID, expected: Sequence[str]) -> None:
        """A job its process will not run on (the server stops, or an unexpected error):
        interrupted, to be resumed, if its status is still one of `expected`."""

        def work(uow: UnitOfWork) -> None:
            job = self._get(uow, actor, job_id)
            uow.imports.change(replace(job, status="interrupted"), expected, False)

        self._tx.write(work, actor)

    def touch(self, keys: Sequence[tuple[UUID, UUID]]) -> None:
        """The heartbeat of the jobs (tenant id, job id) this process holds."""
        self._tx.write(lambda uow: uow.imports.touch(keys, now()))

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
