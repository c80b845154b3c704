"""Imports as background jobs over real HTTP: an upload is kept until its job ends, jobs
beyond the worker wait queued, a running import cancels after its current batch, a queued one
at once; an import its server stopped (or whose process died) resumes over HTTP after its last
committed row with the same end result; what cannot happen is a 409, another tenant's a 404."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from counterparty.app import create_app, import_directory
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.db.import_uploads import UploadStore
from counterparty.domain.ids import new_id
from counterparty.services.import_jobs import now
from counterparty.services.import_worker import ImportWorker
from counterparty.services.imports import BATCH_ROWS, ImportOptions
from counterparty.services.registry import Services
from tests.conftest import TenantClient, new_tenant_client, running_server
from tests.imports.helpers import accepted, actor_of, contacts, csv_bytes, finished, results

ROWS = 2 * BATCH_ROWS + 500  # three batches
BIG = csv_bytes("external_ref,name", *(f"R{index},Company {index}" for index in range(ROWS)))


class Hold:
    """Holds the worker after each batch while `on`, until released."""

    def __init__(self) -> None:
        self.on = True
        self.reached = threading.Event()
        self._release = threading.Event()

    def __call__(self, _: UUID) -> None:
        if self.on:
            self.reached.set()
            self._release.wait(60)

    def release(self) -> None:
        self.on = False
        self._release.set()


@contextmanager
def held_server(settings: Settings, database: Database) -> Iterator[tuple[str, Hold, Any]]:
    app = create_app(settings, database)
    hold = Hold()
    worker: ImportWorker = app.state.import_worker
    worker.after_batch = hold
    try:
        with running_server(app) as url:
            yield url, hold, app
    finally:
        hold.release()


def stop_held(worker: ImportWorker, hold: Hold) -> None:
    """Stop a worker whose job is held: the job sees the stop after the batch it is on."""
    stopping = threading.Thread(target=worker.stop)
    stopping.start()
    until(lambda: worker.stopping, "the worker did not stop")
    hold.release()
    stopping.join(60)


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def upload(client: TenantClient, body: bytes = BIG) -> str:
    response = client.http.post(
        "/v1/imports",
        content=body,
        params={"match_on": "external_ref"},
        headers={"Content-Type": "text/csv"},
    )
    return accepted(response)


def kept_file(settings: Settings, services: Services, client: TenantClient, job_id: str) -> Path:
    tenant = services.tenancy.get_tenant(client.slug).id
    return import_directory(settings) / str(tenant) / f"{job_id}.upload"


def status(client: TenantClient, job_id: str) -> dict[str, Any]:
    found: dict[str, Any] = client.http.get(f"/v1/imports/{job_id}").json()
    return found


def act(client: TenantClient, job_id: str, action: str) -> Any:
    return client.http.post(f"/v1/imports/{job_id}/{action}")


def test_an_upload_is_kept_until_its_import_ends(
    settings: Settings, services: Services, api: TenantClient
) -> None:
    job_id = upload(api, csv_bytes("external_ref,name", "R1,Acme"))
    assert finished(api, job_id)["status"] == "succeeded"
    # The worker drops the file right after it records the end (not before: a crash between
    # the two must leave a job that can resume).
    kept = kept_file(settings, services, api, job_id)
    until(lambda: not kept.exists(), "the upload of an ended import is dropped")
    assert [row["action"] for row in results(api, job_id)] == ["created"]


def test_a_running_import_cancels_after_its_batch_a_queued_one_at_once(
    settings: Settings, database: Database, services: Services
) -> None:
    with held_server(settings, database) as (url, hold, _):
        client = new_tenant_client(services, url)
        running = upload(client)
        until(hold.reached.is_set, "the first batch was never written")
        job = status(client, running)
        assert (job["status"], job["rows_done"], job["rows_total"]) == ("running", 1000, ROWS + 1)
        assert job["eta_seconds"] is not None and job["eta_seconds"] >= 0
        assert kept_file(settings, services, client, running).exists()

        waiting = upload(client)  # the one worker is busy
        assert status(client, waiting)["status"] == "queued"
        cancelled = act(client, waiting, "cancel")
        assert cancelled.status_code == 202 and cancelled.json()["status"] == "cancelled"
        assert not kept_file(settings, services, client, waiting).exists()

        assert act(client, running, "resume").status_code == 409  # it runs
        asked = act(client, running, "cancel")
        assert asked.status_code == 202, asked.text
        assert (asked.json()["status"], asked.json()["cancel_requested"]) == ("running", True)
        hold.release()
        job = finished(client, running)
        assert (job["status"], job["rows_done"], job["last_row"]) == ("cancelled", 1000, 1001)
        assert job["finished_at"] is not None and job["eta_seconds"] is None
        assert len(results(client, running)) == 1000  # the first batch, whole
        assert [len(contacts(client, external_ref=ref)) for ref in ("R999", "R1000")] == [1, 0]
        assert not kept_file(settings, services, client, running).exists()
        assert finished(client, waiting)["rows_done"] == 0

        for job_id in (running, waiting):
            for action in ("cancel", "resume"):
                refused = act(client, job_id, action)
                assert refused.status_code == 409, (action, refused.text)
                assert refused.headers["content-type"].startswith("application/problem+json")
        client.http.close()


def test_an_import_its_server_stopped_resumes_over_http_to_a_clean_runs_end(
    settings: Settings, database: Database, services: Services
) -> None:
    with held_server(settings, database) as (url, hold, app):
        client = new_tenant_client(services, url)
        job_id = upload(client)
        until(hold.reached.is_set, "the first batch was never written")
        stop_held(app.state.import_worker, hold)  # as the server's shutdown does
        job = status(client, job_id)
        assert (job["status"], job["rows_done"], job["last_row"]) == ("interrupted", 1000, 1001)
        client.http.close()
    assert kept_file(settings, services, client, job_id).exists()

    with running_server(create_app(settings, database)) as url:
        client = same_tenant(client, url)
        resumed = act(client, job_id, "resume")
        assert accepted(resumed) == job_id
        assert resumed.json()["status"] in ("queued", "running", "succeeded")
        job = finished(client, job_id)
        assert (job["status"], job["rows_done"], job["created"]) == ("succeeded", ROWS, ROWS)
        rows = results(client, job_id)
        assert [row["row"] for row in rows] == list(range(2, ROWS + 2))
        assert {row["action"] for row in rows} == {"created"}
        listed = client.http.get("/v1/contacts", params={"limit": 1, "external_ref": "R0"})
        assert len(listed.json()["data"]) == 1
        assert not kept_file(settings, services, client, job_id).exists()
        assert act(client, job_id, "resume").status_code == 409
        client.http.close()


def same_tenant(client: TenantClient, url: str) -> TenantClient:
    """The client's tenant and key, on another server."""
    headers = {"Authorization": f"Bearer {client.key}"}
    return TenantClient(client.slug, client.key, httpx.Client(base_url=url, headers=headers))


def test_an_import_whose_process_died_resumes_if_its_file_is_kept(
    settings: Settings, database: Database, services: Services, api: TenantClient
) -> None:
    actor = actor_of(services, api)
    uploads = UploadStore(import_directory(settings))
    jobs = services.imports.jobs
    dead, lost = new_id(), new_id()
    for job_id in (dead, lost):
        jobs.start(actor, job_id, {"match_on": "external_ref", "format": "csv"}, "x.csv")
        assert status(api, str(job_id))["status"] == "running"
    with database.unit_of_work(write=True) as uow:  # no sign of life for two minutes
        keys = [(actor.tenant_id, dead), (actor.tenant_id, lost)]
        uow.imports.touch(keys, now() - timedelta(minutes=2))
        uow.commit()
    uploads.keep(actor.tenant_id, dead, io.BytesIO(csv_bytes("external_ref,name", "R1,Acme")))
    assert status(api, str(dead))["status"] == "interrupted"
    assert accepted(act(api, str(dead), "resume")) == str(dead)
    assert finished(api, str(dead))["created"] == 1
    refused = act(api, str(lost), "resume")
    assert refused.status_code == 409 and "--resume" in refused.json()["detail"]
    gone = act(api, str(lost), "cancel")
    assert gone.status_code == 202 and gone.json()["status"] == "cancelled"


def test_another_tenants_import_neither_resumes_nor_cancels(
    api: TenantClient, other_api: TenantClient
) -> None:
    job_id = upload(api, csv_bytes("external_ref,name", "R1,Acme"))
    finished(api, job_id)
    for action in ("resume", "cancel"):
        response = act(other_api, job_id, action)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert act(api, str(UUID(int=3)), action).status_code == 404
    assert status(api, job_id)["status"] == "succeeded"


def test_a_live_worker_keeps_the_imports_it_holds_from_showing_interrupted(
    tmp_path: Path, database: Database, services: Services, api: TenantClient
) -> None:
    """Its heartbeat moves them, so a job that merely waits its turn never looks dead."""
    worker = ImportWorker(services.imports, UploadStore(tmp_path), {}, heartbeat_seconds=0.05)
    hold = Hold()
    worker.after_batch = hold
    actor = actor_of(services, api)
    options = ImportOptions(match_on="external_ref")
    given = {"match_on": "external_ref", "format": "csv"}
    try:
        first = worker.accept(actor, new_id(), io.BytesIO(BIG), options, given, "a.csv")
        until(hold.reached.is_set, "the first batch was never written")
        second = worker.accept(actor, new_id(), io.BytesIO(BIG), options, given, "b.csv")
        with database.unit_of_work(write=True) as uow:  # as if it had waited for two minutes
            keys = [(actor.tenant_id, first.id), (actor.tenant_id, second.id)]
            uow.imports.touch(keys, now() - timedelta(minutes=2))
            uow.commit()
        until(
            lambda: (
                [status(api, str(job.id))["status"] for job in (first, second)]
                == ["running", "queued"]
            ),
            "the heartbeat did not move the jobs held",
        )
    finally:
        stop_held(worker, hold)
    assert [status(api, str(job.id))["status"] for job in (first, second)] == [
        "interrupted",
        "interrupted",
    ]


def test_an_import_whose_key_is_revoked_fails_after_its_batch(
    settings: Settings, database: Database, services: Services
) -> None:
    """What a queued import writes is done with the key that sent it, checked each batch."""
    with held_server(settings, database) as (url, hold, _):
        client = new_tenant_client(services, url)
        job_id = upload(client)
        until(hold.reached.is_set, "the first batch was never written")
        services.tenancy.revoke_key(client.key[:12])
        hold.release()
        owner = services.tenancy.create_key(client.slug, "after").secret
        client.http.headers["Authorization"] = f"Bearer {owner}"
        job = finished(client, job_id)
        assert (job["status"], job["rows_done"]) == ("failed", 1000)
        assert "API key" in job["error"]
        assert not kept_file(settings, services, client, job_id).exists()
        client.http.close()
