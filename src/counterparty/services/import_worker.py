"""Uploaded imports run in the background of the server process.

POST /v1/imports keeps the upload, checks that the whole file reads (a file that does not is
refused at once, and nothing is kept), records the job as `queued` and hands it to this
worker: a fixed number of threads (COUNTERPARTY_IMPORT_WORKERS, 1 by default) run queued jobs
in order, the others wait. A job's file is dropped when the job ends (succeeded, failed,
cancelled) and kept while it may resume (interrupted).

While a job is held here (queued or running), a heartbeat moves its `updated_at`, so that a
job whose process died shows as interrupted after a minute (domain/import_jobs.py) and one
that merely waits does not. A stopping server lets each running job finish its batch and
marks it and the queued ones interrupted, to be resumed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import IO, Protocol
from uuid import UUID

from counterparty.domain.import_jobs import ENDED, ImportJob
from counterparty.errors import Conflict, CounterpartyError
from counterparty.services.context import Actor
from counterparty.services.import_jobs import now
from counterparty.services.import_options import import_options
from counterparty.services.imports import ImportOptions, ImportService, Preset

log = logging.getLogger("counterparty.imports")
HEARTBEAT_SECONDS = 15.0


class Uploads(Protocol):
    """Where uploaded files wait for their job (db/import_uploads.py)."""

    def keep(self, tenant_id: UUID, job_id: UUID, source: IO[bytes]) -> None: ...
    def open(self, tenant_id: UUID, job_id: UUID) -> IO[bytes]: ...
    def has(self, tenant_id: UUID, job_id: UUID) -> bool: ...
    def drop(self, tenant_id: UUID, job_id: UUID) -> None: ...


@dataclass(frozen=True)
class _Queued:
    actor: Actor  # who sent it: its key is checked with each batch the job writes
    job_id: UUID

    @property
    def keeper(self) -> Actor:
        """The worker's own bookkeeping of the job (its status, its file), which a revoked
        key must not stop."""
        return replace(self.actor, confirm=None)


class ImportWorker:
    def __init__(
        self,
        imports: ImportService,
        uploads: Uploads,
        presets: Mapping[str, Preset],
        threads: int = 1,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self._imports = imports
        self._uploads = uploads
        self._presets = presets
        self._threads = threads
        self._heartbeat_seconds = heartbeat_seconds
        self._queue: queue.Queue[_Queued | None] = queue.Queue()
        self._held: dict[UUID, tuple[UUID, UUID]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._running: list[threading.Thread] = []
        # Called with a job's id after each of its batches (tests hold a job there).
        self.after_batch: Callable[[UUID], None] | None = None

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def accept(
        self,
        actor: Actor,
        job_id: UUID,
        binary: IO[bytes],
        options: ImportOptions,
        given: Mapping[str, str],
        file_name: str | None,
    ) -> ImportJob:
        """Keep an upload, check that the whole file reads, record its job as queued and
        queue it. A file that does not read is a ValidationFailed, and nothing is kept."""
        tenant_id = actor.tenant_id
        self._uploads.keep(tenant_id, job_id, binary)
        try:
            with self._uploads.open(tenant_id, job_id) as kept:
                total = self._imports.check(kept, options)
            job = self._imports.jobs.start(actor, job_id, given, file_name, "queued", total).job
        except BaseException:
            self._uploads.drop(tenant_id, job_id)
            raise
        self._submit(actor, job_id)
        return job

    def resume(self, actor: Actor, job_id: UUID) -> ImportJob:
        """An interrupted job queued again, to continue after its last committed row."""
        job = self._imports.jobs.get(actor, job_id)
        if job.shown_status(now()) == "interrupted" and not self._uploads.has(
            actor.tenant_id, job_id
        ):
            raise Conflict(
                f"import {job_id} no longer has its file here; resume it with the file: "
                f"counterparty import FILE --resume {job_id}"
            )
        job = self._imports.jobs.requeue(actor, job_id)
        self._submit(actor, job_id)
        return job

    def cancel(self, actor: Actor, job_id: UUID) -> ImportJob:
        """Cancelled at once when nothing runs it (its file dropped), else after the
        current batch."""
        job = self._imports.jobs.cancel(actor, job_id)
        if job.status == "cancelled":
            self._uploads.drop(actor.tenant_id, job_id)
        return job

    def start(self) -> None:
        with self._lock:
            if self._running or self._stopping.is_set():
                return
            for _ in range(self._threads):
                self._running.append(threading.Thread(target=self._work, daemon=True))
            self._running.append(threading.Thread(target=self._beat, daemon=True))
            for thread in self._running:
                thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Each running job stops after its batch; every job held becomes interrupted."""
        self._stopping.set()
        for _ in range(self._threads):
            self._queue.put(None)
        for thread in self._running:
            thread.join(timeout)
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self._interrupt(item, ("queued",))

    def _submit(self, actor: Actor, job_id: UUID) -> None:
        with self._lock:
            self._held[job_id] = (actor.tenant_id, job_id)
        self.start()
        self._queue.put(_Queued(actor, job_id))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._stopping.is_set():
                self._interrupt(item, ("queued",))
                continue
            try:
                self._run(item)
            except CounterpartyError:
                pass  # the job failed and says why (its file broke in the middle)
            except Exception:
                log.exception("import %s stopped", item.job_id)
                self._interrupt(item, ("queued", "running", "cancelling"))
            finally:
                with self._lock:
                    self._held.pop(item.job_id, None)
                self._drop_if_ended(item)

    def _run(self, item: _Queued) -> None:
        actor, job_id = item.actor, item.job_id
        job = self._imports.jobs.get(item.keeper, job_id)
        if job.status != "queued":
            return  # cancelled meanwhile
        try:
            options = import_options(job.options, None, self._presets)
        except CounterpartyError as error:  # stored options this version no longer takes
            progress = self._imports.jobs.begin(item.keeper, job_id)
            if progress is not None:
                self._imports.jobs.finish(item.keeper, progress, error.detail)
            return

        def batch_done(_: object) -> None:
            if self.after_batch is not None:
                self.after_batch(job_id)

        with self._uploads.open(actor.tenant_id, job_id) as binary:
            self._imports.run_queued(
                actor, job_id, binary, options, batch_done, self._stopping.is_set
            )

    def _interrupt(self, item: _Queued, expected: tuple[str, ...]) -> None:
        try:
            self._imports.jobs.interrupt(item.keeper, item.job_id, expected)
        except Exception:
            log.exception("import %s could not be marked interrupted", item.job_id)

    def _drop_if_ended(self, item: _Queued) -> None:
        try:
            job = self._imports.jobs.get(item.keeper, item.job_id)
        except Exception:
            log.exception("import %s: its state could not be read", item.job_id)
            return
        if job.shown_status(now()) in ENDED:
            self._uploads.drop(item.actor.tenant_id, item.job_id)

    def _beat(self) -> None:
        while not self._stopping.wait(self._heartbeat_seconds):
            with self._lock:
                keys = list(self._held.values())
            if not keys:
                continue  # no write transaction for nothing
            try:
                self._imports.jobs.touch(keys)
            except Exception:
                log.exception("the heartbeat of the imports held here failed")
