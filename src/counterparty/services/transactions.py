"""The one way services run a transaction: commit once, retry transient failures."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from counterparty.errors import TransientFailure
from counterparty.services.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 0.005


class Transactions:
    """Runs `work` in a fresh unit of work and commits it. A serialization failure,
    deadlock or busy database re-runs the whole of `work`, up to MAX_ATTEMPTS times
    with jittered exponential backoff; `work` must therefore only touch the database."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def write(self, work: Callable[[UnitOfWork], T]) -> T:
        return self._run(work, write=True)

    def read(self, work: Callable[[UnitOfWork], T]) -> T:
        return self._run(work, write=False)

    def _run(self, work: Callable[[UnitOfWork], T], *, write: bool) -> T:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._uow_factory(write=write) as uow:
                    result = work(uow)
                    uow.commit()
                    return result
            except TransientFailure:
                if attempt == MAX_ATTEMPTS:
                    raise
                time.sleep(BASE_DELAY_SECONDS * 2**attempt * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")
