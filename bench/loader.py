"""Loading through POST /v1/contacts/batch of the real server, as an importer would.

The bodies are made beforehand (dataset/bodies.py); the clock runs from the first request to
the last response. Every item must come back `created`: a failed item stops the benchmark,
because a load that skips contacts measures nothing.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from bench.servers import HOST, Server


@dataclass(frozen=True)
class Load:
    contacts: int
    requests: int
    seconds: float
    connections: int
    server_peak_rss_bytes: int

    @property
    def contacts_per_second(self) -> float:
        return self.contacts / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "contacts_per_second": round(self.contacts_per_second, 1)}


class _Poster:
    """Sends bodies over several keep-alive connections, each from its own thread."""

    def __init__(self, server: Server, api_key: str, bodies: Iterator[bytes]) -> None:
        self._server = server
        self._headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
        self._bodies = bodies
        self._lock = threading.Lock()
        self.created = 0
        self.requests = 0
        self.failure: str | None = None

    def _next(self) -> bytes | None:
        with self._lock:
            if self.failure is not None:
                return None
            return next(self._bodies, None)

    def _record(self, status: int, answer: bytes) -> None:
        with self._lock:
            self.requests += 1
            if status != 200:
                self.failure = self.failure or f"HTTP {status}: {answer[:500]!r}"
                return
            summary = orjson.loads(answer)
            self.created += summary["created"]
            if summary["created"] != len(summary["results"]):
                failed = [r for r in summary["results"] if r["action"] != "created"]
                self.failure = self.failure or f"items not created, e.g. {failed[:3]}"

    def run_one_connection(self) -> None:
        connection = http.client.HTTPConnection(HOST, self._server.port, timeout=600)
        try:
            while (body := self._next()) is not None:
                connection.request("POST", "/v1/contacts/batch", body, self._headers)
                response = connection.getresponse()
                self._record(response.status, response.read())
        except Exception as error:  # reported by load(), which stops the benchmark
            with self._lock:
                self.failure = self.failure or f"{type(error).__name__}: {error}"
        finally:
            connection.close()


def load(server: Server, api_key: str, bodies: Iterable[bytes], connections: int) -> Load:
    poster = _Poster(server, api_key, iter(bodies))
    threads = [
        threading.Thread(target=poster.run_one_connection, name=f"load-{n}", daemon=True)
        for n in range(connections)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if poster.failure is not None:
        raise RuntimeError(f"loading through the batch endpoint failed: {poster.failure}")
    return Load(
        contacts=poster.created,
        requests=poster.requests,
        seconds=seconds,
        connections=connections,
        server_peak_rss_bytes=server.peak_rss_bytes(),
    )
