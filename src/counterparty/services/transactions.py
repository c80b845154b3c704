"""The one way services run a transaction: commit once, retry transient failures."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from counterparty.errors import TransientFailure
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 0.005


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
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._uow_factory(write=write) as uow:
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
            except TransientFailure:
                if attempt == MAX_ATTEMPTS:
                    raise
                time.sleep(BASE_DELAY_SECONDS * 2**attempt * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")
