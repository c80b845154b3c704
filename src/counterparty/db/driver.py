"""The driver connection under SQLAlchemy, on which the hot statements run.

Observers see every statement before it runs: tests count statements and inject failures
there, as they do for SQLAlchemy's own statements with its `before_cursor_execute` event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Observer = Callable[[str, Any], None]


class Driver:
    __slots__ = ("_observers", "_raw")

    def __init__(self, raw: Any, observers: Sequence[Observer]) -> None:
        self._raw = raw
        self._observers = observers

    def execute(self, statement: str, parameters: Sequence[Any] = ()) -> Any:
        for observe in self._observers:
            observe(statement, parameters)
        return self._raw.execute(statement, parameters)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> Any:
        for observe in self._observers:
            observe(statement, rows)
        cursor = self._raw.cursor()
        cursor.executemany(statement, rows)
        return cursor
