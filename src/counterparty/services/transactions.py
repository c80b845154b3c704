"""The one way services run a transaction: commit once, retry transient failures."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from counterparty.errors import TransientFailure, WouldWait
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 0.005


# Set by the HTTP edge for the requests it runs on its event loop (web/waiting.py), where a
# wait for a lock would stop every other request of the process.
WAITING_FORBIDDEN: ContextVar[bool] = ContextVar("counterparty_waiting_forbidden", default=False)


def may_wait() -> bool:
    """Whether the work at hand may wait for a lock another transaction holds."""
    return not WAITING_FORBIDDEN.get()


class Transactions:
    """Runs `work` in a fresh unit of work and commits it. A serialization failure,
    deadlock or busy database re-runs the whole of `work`, up to MAX_ATTEMPTS times
    with jittered exponential backoff; `work` must therefore only touch the database.

    With an `actor`, the unit of work also confirms the actor's credential (a revoked key
    fails here, before the work's result is returned or committed), so that authentication
    and the operation share one connection and, for a write, one transaction."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def write(self, work: Callable[[UnitOfWork], T], actor: Actor | None = None) -> T:
        return self._run(work, write=True, actor=actor)

    def read(self, work: Callable[[UnitOfWork], T], actor: Actor | None = None) -> T:
        return self._run(work, write=False, actor=actor)

    def _run(self, work: Callable[[UnitOfWork], T], *, write: bool, actor: Actor | None) -> T:
        confirm = actor.confirm if actor is not None else None
        wait = may_wait()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._uow_factory(write=write, wait=wait) as uow:
                    if confirm is None:
                        result = work(uow)
                    else:
                        assert actor is not None
                        uow.epoch.tenant_id = actor.tenant_id
                        result = work(uow)
                        # Before anything is returned or committed: the work may have read
                        # the epoch along with its first statement; otherwise it is read now.
                        confirm(uow)
                    uow.commit()
                    return result
            except TransientFailure as failure:
                if not wait:
                    # No sleeping on an event loop: the caller pauses without blocking it.
                    raise WouldWait(failure.detail) from failure
                if attempt == MAX_ATTEMPTS:
                    raise
                time.sleep(BASE_DELAY_SECONDS * 2**attempt * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")
