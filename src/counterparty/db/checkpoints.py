"""SQLite WAL checkpoints in a background thread.

With SQLite's automatic checkpoints, the commit that crosses the threshold copies the WAL
back into the database and waits for the disk: one request in a few hundred pays for all
of them. Here a thread does that instead, without blocking readers or writers (PASSIVE),
while the process writes. Committed transactions are durable in the WAL either way.

After a GDPR erasure the log must also be emptied (TRUNCATE), so that no earlier version of
a page stays in it; when the erasure's own attempt finds the log busy, this thread does it,
waiting for readers as long as it takes.
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
        # Requests to empty the log, and how many of them are done.
        self._truncations = (0, 0)

    def request_truncate(self) -> None:
        """Empty the log at the next round (and at each one after, until it is done)."""
        with self._lock:
            requested, done = self._truncations
            self._truncations = (requested + 1, done)
        self.start()

    @property
    def truncate_pending(self) -> bool:
        requested, done = self._truncations
        return done < requested

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
                requested, _ = self._truncations
                mode = "TRUNCATE" if self.truncate_pending else "PASSIVE"
                try:
                    [(busy, _, _)] = connection.execute(f"PRAGMA wal_checkpoint({mode})")
                except sqlite3.Error as error:  # busy or locked: the next round tries again
                    log.debug("checkpoint skipped: %s", error)
                    busy = 1
                if mode == "TRUNCATE" and not busy:
                    with self._lock:
                        self._truncations = (self._truncations[0], requested)
        finally:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
