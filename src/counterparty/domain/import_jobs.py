"""An import job: what was asked, how far it got, and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

Status = Literal["running", "succeeded", "failed", "interrupted"]
ACTIONS = ("created", "updated", "unchanged", "failed")
# A running job whose process shows no progress for this long was stopped (killed, crashed):
# it shows as interrupted and may be resumed.
STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class ImportJob:
    tenant_id: UUID
    id: UUID
    status: Status
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

    def shown_status(self, now: datetime) -> Status:
        if self.status == "running" and now - self.updated_at > STALE_AFTER:
            return "interrupted"
        return self.status

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
