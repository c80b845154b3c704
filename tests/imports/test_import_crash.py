"""A kill -9 in the middle of an import leaves whole batches and nothing half-written; the
job shows as interrupted, resuming it (from the command line, or over HTTP for an upload whose
server was killed) continues after its last committed row, and the end state equals a clean
run's."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from uuid import UUID

import httpx
from bench.imports import write_file

from counterparty.services.imports import BATCH_ROWS
from tests.cli.test_cli import COMMAND, run
from tests.conftest import free_port
from tests.imports.helpers import WAITING

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


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """`counterparty serve` in a process group of its own, once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [*COMMAND, "serve", "--no-migrate", "--port", str(port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline and process.poll() is None, "no server"
        time.sleep(0.1)


def test_an_upload_whose_server_was_killed_resumes_over_http_to_a_clean_runs_end(
    tmp_path: Path,
) -> None:
    database = tmp_path / "served.db"
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTERPARTY_")}
    env |= {
        "COUNTERPARTY_DATABASE_URL": f"sqlite:///{database}",
        "COUNTERPARTY_IMPORT_DIR": str(tmp_path / "uploads"),
        "COUNTERPARTY_ACCESS_LOG": "false",
    }
    assert run(env, "db", "upgrade").returncode == 0
    for slug in ("killed", "clean"):
        assert run(env, "tenants", "create", slug).returncode == 0
    key = run(env, "keys", "create", "killed").stdout.strip()
    source = tmp_path / "contacts.csv"
    write_file(source, ROWS)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/csv"}

    process, url = _serve(env)
    try:
        response = httpx.post(
            f"{url}/v1/imports?match_on=external_ref",
            content=source.read_bytes(),
            headers=headers,
            timeout=60,
        )
        assert response.status_code == 202, response.text
        job = response.json()["id"]
        deadline = time.monotonic() + 300
        while _count(database) < BATCH_ROWS:
            assert time.monotonic() < deadline, "the import wrote nothing"
            time.sleep(0.01)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    left = _count(database)
    assert 0 < left < ROWS and left % BATCH_ROWS == 0, "the import ended before the kill"
    kept = list((tmp_path / "uploads").rglob("*.upload"))
    assert [path.stem for path in kept] == [job]

    with sqlite3.connect(database) as connection:  # a minute without a sign of life passes
        connection.execute("UPDATE import_jobs SET updated_at = '2026-01-01 00:00:00.000000'")
    process, url = _serve(env)
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            assert client.get(f"/v1/imports/{job}").json()["status"] == "interrupted"
            assert client.post(f"/v1/imports/{job}/resume").status_code == 202
            deadline = time.monotonic() + 300
            while (shown := client.get(f"/v1/imports/{job}").json())["status"] in WAITING:
                assert time.monotonic() < deadline, "the resumed import did not end"
                time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    assert (shown["status"], shown["rows_done"], shown["created"]) == ("succeeded", ROWS, ROWS)
    assert not list((tmp_path / "uploads").rglob("*.upload"))
    arguments = ["import", str(source), "--match-on", "external_ref", "--tenant", "clean"]
    assert run(env, *arguments).returncode == 0

    def exported(slug: str) -> str:
        result = run(env, "export", "--tenant", slug, "--format", "csv")
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert exported("killed") == exported("clean")
