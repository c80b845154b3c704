"""Waiting for a database lock without stalling the process.

Handlers run on the event loop and call the services inline, so a statement that waited for
a lock another process holds would stop every other request of this process. Such a
statement waits only briefly there and fails with WouldWait; the request is then run again
after an asynchronous pause, while the loop serves everyone else, until the lock is free or
MAX_WAIT_SECONDS have passed (then the request is a 503 with Retry-After). Running a request
again is safe: nothing of it was committed, and what it read before (its body, its claim on
an Idempotency-Key) is kept on the request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from counterparty.errors import WouldWait
from counterparty.services.transactions import WAITING_FORBIDDEN

T = TypeVar("T")
MAX_WAIT_SECONDS = 5.0
FIRST_PAUSE_SECONDS = 0.002
LONGEST_PAUSE_SECONDS = 0.1


async def when_free(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run `attempt`, whose database work may not wait for locks, until it no longer meets
    a held lock."""
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    pause = FIRST_PAUSE_SECONDS
    forbidden = WAITING_FORBIDDEN.set(True)
    try:
        return await _retried(attempt, deadline, pause)
    finally:
        WAITING_FORBIDDEN.reset(forbidden)


async def _retried(attempt: Callable[[], Awaitable[T]], deadline: float, pause: float) -> T:
    while True:
        try:
            return await attempt()
        except WouldWait:
            if time.monotonic() + pause > deadline:
                raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
