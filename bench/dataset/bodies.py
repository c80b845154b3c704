"""Request bodies of POST /v1/contacts/batch, made before the load is timed.

Making a million documents takes about a minute of CPU, which must not compete with the server
while it loads; the bodies go to a file (one JSON body a line), made by every CPU at once and
kept for later runs of the same seed, size and generator version.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import orjson

from bench.dataset.documents import GENERATOR_VERSION, contact_document

BATCH_SIZE = 1_000


def _body(job: tuple[int, int, int]) -> bytes:
    seed, first, last = job
    items = [contact_document(seed, index) for index in range(first, last + 1)]
    return orjson.dumps({"items": items})


def _jobs(seed: int, count: int) -> list[tuple[int, int, int]]:
    return [
        (seed, first, min(first + BATCH_SIZE - 1, count))
        for first in range(1, count + 1, BATCH_SIZE)
    ]


def bodies_file(directory: Path, seed: int, count: int) -> Path:
    """The file of batch bodies for `count` contacts of `seed`, made if it is missing."""
    path = directory / f"bodies-s{seed}-g{GENERATOR_VERSION}-n{count}.jsonl"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    # fork: the workers inherit the imported generator instead of importing it again.
    context = multiprocessing.get_context("fork")
    with context.Pool(os.cpu_count() or 1) as pool, partial.open("wb") as out:
        for body in pool.imap(_body, _jobs(seed, count), chunksize=4):
            out.write(body + b"\n")
    partial.rename(path)
    return path


def read_bodies(path: Path) -> Iterator[bytes]:
    with path.open("rb") as lines:
        for line in lines:
            yield line.rstrip(b"\n")
