"""A kill -9 in the middle of an import leaves whole batches and nothing half-written; the
job shows as interrupted, resuming it continues after its last committed row, and the end
state equals a clean run's."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from uuid import UUID

from bench.imports import write_file

from counterparty.services.imports import BATCH_ROWS
from tests.cli.test_cli import COMMAND, run

ROWS = 5_000


def _count(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        found = connection.execute("SELECT count(*) FROM contacts").fetchone()
    return int(found[0])


def test_a_killed_import_leaves_whole_batches_and_a_rerun_finishes_it(tmp_path: Path) -> None:
    database = tmp_path / "crash.db"
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTERPARTY_")}
    env["COUNTERPARTY_DATABASE_URL"] = f"sqlite:///{database}"
    assert run(env, "db", "upgrade").returncode == 0
    for slug in ("killed", "clean"):
        assert run(env, "tenants", "create", slug).returncode == 0
    source = tmp_path / "contacts.csv"
    write_file(source, ROWS)
    arguments = ["import", str(source), "--match-on", "external_ref"]

    importer = subprocess.Popen(
        [*COMMAND, *arguments, "--tenant", "killed"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while _count(database) < BATCH_ROWS and importer.poll() is None:
        assert time.monotonic() < deadline, "the import wrote nothing"
        time.sleep(0.01)
    importer.send_signal(signal.SIGKILL)
    assert importer.wait(timeout=60) == -signal.SIGKILL, "the import ended before the kill"

    left = _count(database)
    assert 0 < left < ROWS and left % BATCH_ROWS == 0  # whole batches only
    with sqlite3.connect(database) as connection:
        job_id, last_row, done = connection.execute(
            "SELECT id, last_row, rows_done FROM import_jobs"
        ).fetchone()
    job = str(UUID(bytes=job_id) if isinstance(job_id, bytes) else UUID(job_id))
    assert (last_row, done) == (left + 1, left)  # the header is row 1
    too_early = run(env, "import", str(source), "--tenant", "killed", "--resume", job)
    assert too_early.returncode == 1 and "only an interrupted import resumes" in too_early.stderr
    with sqlite3.connect(database) as connection:  # a minute without progress passes
        connection.execute("UPDATE import_jobs SET updated_at = '2026-01-01 00:00:00.000000'")
    resumed = run(env, "import", str(source), "--tenant", "killed", "--resume", job)
    assert resumed.returncode == 0, resumed.stderr
    assert f"import {job}" in resumed.stderr
    with sqlite3.connect(database) as connection:
        finished = connection.execute(
            "SELECT status, rows_done, created, last_row FROM import_jobs"
        ).fetchone()
        stored = connection.execute("SELECT count(*) FROM import_results").fetchone()
    assert finished == ("succeeded", ROWS, ROWS, ROWS + 1) and stored == (ROWS,)
    assert run(env, *arguments, "--tenant", "clean").returncode == 0

    def exported(slug: str) -> str:
        result = run(env, "export", "--tenant", slug, "--format", "csv")
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert exported("killed") == exported("clean")
    with sqlite3.connect(database) as connection:
        numbers = connection.execute(
            "SELECT min(number), max(number), count(*) FROM contacts GROUP BY tenant_id"
        ).fetchall()
    assert numbers == [(1, ROWS, ROWS), (1, ROWS, ROWS)]
