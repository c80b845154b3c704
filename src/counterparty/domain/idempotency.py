"""Idempotency records: the first outcome of a request, kept to answer its retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class IdempotencyRecord:
    fingerprint: str  # hash of method, path and body: a reused key must mean the same request
    state: Literal["running", "done"]
    response: StoredResponse | None
    created_at: datetime
    expires_at: datetime
