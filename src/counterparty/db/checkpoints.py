"""SQLite WAL checkpoints in a background thread.

With SQLite's automatic checkpoints, the commit that crosses the threshold copies the WAL
back into the database and waits for the disk: one request in a few hundred pays for all
of them. Here a thread does that instead, without blocking readers or writers (PASSIVE),
while the process writes. Committed transactions are durable in the WAL either way.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

INTERVAL_SECONDS = 0.5

log = logging.getLogger("counterparty")


class Checkpointer:
    def __init__(self, path: str) -> None:
        self._path = path
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the thread (once); called by the first write."""
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoints", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(INTERVAL_SECONDS):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:  # busy or locked: the next round tries again
                    log.debug("checkpoint skipped: %s", error)
        finally:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
