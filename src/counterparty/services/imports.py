"""Importing a contact book: a file's rows through the batch write path, batch by batch.

Every row gets what POST /v1/contacts/batch gives an item (the same validation, checks,
`match_on` upserts, unchanged detection and history, with entry point `import` and the
import's id as the request id); a matched row is a merge patch of its contact, whose lists
merge item by item. A bad row never stops the others. Rows are read, validated and written
BATCH_ROWS at a time, so memory stays flat whatever the file's size; each batch commits on
its own. The per-row results go to a callback as they are decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import IO, Any, Protocol
from uuid import UUID

from counterparty.domain.contact import READ_ONLY_FIELDS
from counterparty.domain.ids import new_id
from counterparty.domain.import_jobs import ACTIONS, Stored
from counterparty.errors import CounterpartyError, FieldError, ValidationFailed
from counterparty.services.batch import Action, BatchResult, BatchService, ItemResult
from counterparty.services.batch_matching import MatchField
from counterparty.services.context import Actor
from counterparty.services.import_columns import Columns
from counterparty.services.import_files import (
    Format,
    csv_rows,
    jsonl_lines,
    last_line,
    xlsx_rows,
)
from counterparty.services.import_jobs import ImportJobs, JobProgress
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions
from counterparty.services.writes import WriteOptions

BATCH_ROWS = 1000


class RowShape(Protocol):
    """How a file's rows become canonical documents, and an error's pointer a column."""

    def document(self, cells: list[str], empty_clears: bool) -> dict[str, Any]: ...

    def column(self, error: FieldError) -> str | None: ...


# A preset: the file's header -> its row shape (dialects/presets.py has one per vendor).
Preset = Callable[[list[str]], RowShape]


@dataclass(frozen=True)
class ImportOptions:
    format: Format = "csv"
    match_on: MatchField | None = None
    dry_run: bool = False
    empty_clears: bool = False
    mapping: Mapping[str, str | None] | None = None
    preset: Preset | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class RowError:
    column: str | None
    code: str
    detail: str


@dataclass(frozen=True)
class RowResult:
    row: int
    action: Action
    contact_id: UUID | None = None
    errors: tuple[RowError, ...] = ()


@dataclass
class ImportSummary:
    id: UUID
    dry_run: bool
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    seconds: float = 0.0
    status: Stored = "succeeded"  # or cancelled, interrupted (stopped between batches)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class _Pending:
    row: int
    document: Any = None
    error: CounterpartyError | None = None


class ImportService:
    def __init__(self, batch: BatchService, transactions: Transactions) -> None:
        self._batch = batch
        self._tx = transactions
        self.jobs = ImportJobs(transactions)

    def run(
        self,
        actor: Actor,
        binary: IO[bytes],
        options: ImportOptions,
        on_result: Callable[[RowResult], None] | None = None,
        on_batch: Callable[[ImportSummary], None] | None = None,
        *,
        given: Mapping[str, str] | None = None,
        file_name: str | None = None,
        resume: UUID | None = None,
    ) -> ImportSummary:
        """Import a whole file as a job (`given`: its options as text, kept to resume with).
        Whatever makes the whole file unreadable is raised before anything is written; each
        row's outcome goes to `on_result` in row order. With `resume`, an interrupted job
        continues after its last committed row."""
        shape, pending, total = self._read(binary, options)
        if resume is not None:
            progress = self.jobs.take_over(actor, resume)
        else:
            progress = self.jobs.start(actor, new_id(), given or {}, file_name)
        return self._run(actor, progress, shape, pending, total, options, on_result, on_batch)

    def run_queued(
        self,
        actor: Actor,
        job_id: UUID,
        binary: IO[bytes],
        options: ImportOptions,
        on_batch: Callable[[ImportSummary], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> ImportSummary | None:
        """A queued job run by a worker, after its last committed row (a resumed one has
        some); None if it is no longer queued. With `should_stop` true after a batch, it
        stops there as `interrupted` (its process is stopping)."""
        keeper = replace(actor, confirm=None)  # the job's own record: no key is checked
        progress = self.jobs.begin(keeper, job_id)
        if progress is None:
            return None
        try:
            shape, pending, total = self._read(binary, options)
        except CounterpartyError as error:
            self.jobs.finish(keeper, progress, error.detail)
            raise
        return self._run(
            actor, progress, shape, pending, total, options, None, on_batch, should_stop
        )

    def check(self, binary: IO[bytes], options: ImportOptions) -> int | None:
        """Raise what makes the whole file unreadable, as run would before its first row;
        the file's last row number when it is known."""
        return self._read(binary, options)[2]

    def _run(
        self,
        actor: Actor,
        progress: JobProgress,
        shape: RowShape,
        pending: Iterator[_Pending],
        total: int | None,
        options: ImportOptions,
        on_result: Callable[[RowResult], None] | None,
        on_batch: Callable[[ImportSummary], None] | None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> ImportSummary:
        job = progress.job = replace(progress.job, rows_total=total)
        pending = (row for row in pending if row.row > job.last_row)
        summary = ImportSummary(job.id, options.dry_run, job.rows_done, dict(job.counts))
        actor = replace(actor, entry_point="import", request_id=str(job.id))
        try:
            for chunk in _chunks(pending, BATCH_ROWS):
                for result in self._apply(actor, chunk, shape, options, progress):
                    summary.rows += 1
                    summary.counts[result.action] += 1
                    if on_result:
                        on_result(result)
                summary.seconds = progress.job.seconds
                if on_batch:
                    on_batch(summary)
                if self.jobs.cancel_requested(actor, job.id):
                    summary.status = "cancelled"
                elif should_stop():
                    summary.status = "interrupted"
                if summary.status != "succeeded":
                    break
        except CounterpartyError as error:  # the file broke (a malformed row), or its key
            # was revoked: the job's own record still says so
            self.jobs.finish(replace(actor, confirm=None), progress, error.detail)
            raise
        status = None if summary.status == "succeeded" else summary.status
        self.jobs.finish(replace(actor, confirm=None), progress, status=status)
        summary.seconds = progress.job.seconds
        return summary

    @staticmethod
    def _read(
        binary: IO[bytes], options: ImportOptions
    ) -> tuple[RowShape, Iterator[_Pending], int | None]:
        """How rows become documents, the rows, and the file's last row number if known
        (counted from the lines of CSV and JSON Lines; XLSX: the sheet's declared size)."""
        total: int | None = None
        if options.format == "jsonl":
            total = last_line(binary)
            return (
                _Canonical(),
                (
                    _Pending(number, error=value)
                    if isinstance(value, CounterpartyError)
                    else _Pending(number, value)
                    for number, value in jsonl_lines(binary)
                ),
                total,
            )
        if options.format == "xlsx":
            headers, rows, total = xlsx_rows(binary, options.sheet)
        else:
            total = last_line(binary)
            headers, rows = csv_rows(binary, options.encoding, options.delimiter)
        if options.preset is not None:
            shape: RowShape = options.preset(headers)
        else:
            shape = Columns.read(headers, options.mapping)
        pending = (_row(shape, number, cells, headers, options) for number, cells in rows)
        return shape, pending, total

    def _apply(
        self,
        actor: Actor,
        chunk: list[_Pending],
        shape: RowShape,
        options: ImportOptions,
        progress: JobProgress,
    ) -> list[RowResult]:
        """One batch of rows written, and with it (in its transaction) their results and
        the job's progress; a dry run's results are recorded on their own."""
        wanted = [pending for pending in chunk if pending.error is None]
        documents = [_writable(pending.document, options.match_on) for pending in wanted]
        committed: list[Any] = []

        def results(items: Sequence[ItemResult]) -> list[RowResult]:
            outcomes = {wanted[item.index].row: item for item in items}
            return [_result(pending, outcomes, shape) for pending in chunk]

        def record(uow: UnitOfWork, batch: BatchResult) -> None:
            rows = results(batch.results)
            committed[:] = [rows, progress.record(uow, rows)]

        if documents:
            batch = self._batch.apply(
                actor,
                documents,
                options.match_on,
                WriteOptions(on_commit=record),
                dry_run=options.dry_run,
                by_position=True,
            )
            if committed:
                rows, progress.job = committed
                return rows  # type: ignore[no-any-return]
            rows = results(batch.results)
        else:
            rows = results([])
        progress.job = self._tx.write(lambda uow: progress.record(uow, rows), actor)
        return rows


class _Canonical:
    """JSON Lines: documents are canonical already; a pointer's path is its column."""

    def document(self, cells: list[str], empty_clears: bool) -> dict[str, Any]:
        raise NotImplementedError  # lines are parsed JSON, never cells

    def column(self, error: FieldError) -> str | None:
        parts = [part for part in (error.pointer or "").split("/")[1:] if part]
        return ".".join(parts) or error.parameter


def _row(
    shape: RowShape, number: int, cells: list[str], headers: list[str], options: ImportOptions
) -> _Pending:
    if len(cells) > len(headers) and any(cell.strip() for cell in cells[len(headers) :]):
        detail = f"the row has {len(cells)} cells but the header names {len(headers)} columns"
        error = ValidationFailed(detail, errors=[FieldError("too_many_cells", detail)])
        return _Pending(number, error=error)
    try:
        return _Pending(number, shape.document(cells, options.empty_clears))
    except CounterpartyError as error:
        return _Pending(number, error=error)


def _result(pending: _Pending, outcomes: Mapping[int, ItemResult], shape: RowShape) -> RowResult:
    if pending.error is not None:
        return RowResult(pending.row, "failed", errors=_errors(pending.error, shape))
    outcome = outcomes[pending.row]
    return RowResult(
        pending.row,
        outcome.action,
        outcome.contact.id if outcome.contact else None,
        _errors(outcome.error, shape) if outcome.error else (),
    )


def _writable(document: Any, match_on: MatchField | None) -> Any:
    """What the batch receives: members the service owns (an export's JSON Lines have them)
    are left out, except the one an upsert matches on."""
    if not isinstance(document, Mapping):
        return document
    return {
        name: value
        for name, value in document.items()
        if name == match_on or name not in {*READ_ONLY_FIELDS, "id"}
    }


def _errors(error: CounterpartyError, shape: RowShape) -> tuple[RowError, ...]:
    if isinstance(error, ValidationFailed) and error.errors:
        found = error.errors
    else:
        found = [FieldError(error.code, error.detail, getattr(error, "pointer", None))]
    return tuple(RowError(shape.column(one), one.code, one.detail) for one in found)


def _chunks(items: Iterator[_Pending], size: int) -> Iterator[list[_Pending]]:
    chunk: list[_Pending] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
