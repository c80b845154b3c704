"""An import job: what was asked, how far it got, and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

Status = Literal["queued", "running", "succeeded", "failed", "interrupted", "cancelled"]
# Stored besides the shown statuses: a running job asked to cancel (it stops after its
# current batch, then is `cancelled`); it shows as running until then.
Stored = Status | Literal["cancelling"]
ACTIONS = ("created", "updated", "unchanged", "failed")
ENDED: tuple[Status, ...] = ("succeeded", "failed", "cancelled")
# Stored statuses of a job some process holds: its heartbeat (updated_at) moves while it lives.
HELD = ("queued", "running", "cancelling")
# A queued or running job whose process shows no sign of life for this long was stopped
# (killed, crashed): it shows as interrupted and may be resumed. A live server moves the
# updated_at of the jobs it holds more often than that (services/import_worker.py), and every
# committed batch moves it too.
STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class ImportJob:
    tenant_id: UUID
    id: UUID
    status: Stored
    options: dict[str, Any]  # as given (text), to resume with the same
    dry_run: bool
    created_at: datetime
    updated_at: datetime  # a running job's heartbeat: every committed batch moves it
    file_name: str | None = None
    last_row: int = 0  # every row up to it is committed, with its result
    rows_done: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    seconds: float = 0.0  # time spent running, over every run of it
    error: str | None = None
    finished_at: datetime | None = None
    # The file's last row number, counted from its lines before the rows are read (a cell
    # spanning lines makes it a little high); None when not known (XLSX without dimensions).
    rows_total: int | None = None

    def shown_status(self, now: datetime) -> Status:
        if self.status in HELD and now - self.updated_at > STALE_AFTER:
            return "interrupted"
        return "running" if self.status == "cancelling" else self.status

    def eta_seconds(self, now: datetime) -> float | None:
        """Time left at the rate so far, for a running job whose total is known."""
        if self.shown_status(now) != "running" or not self.rows_total or not self.rows_done:
            return None
        left = max(self.rows_total - self.last_row, 0)
        return left / self.rows_per_second if self.rows_per_second else None

    @property
    def rows_per_second(self) -> float:
        return self.rows_done / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class StoredRow:
    """One row's result as a job keeps it."""

    row: int
    action: str
    contact_id: UUID | None
    errors: list[dict[str, Any]]
