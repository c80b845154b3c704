"""Checks that keep the benchmark honest: the ceiling answers with the real bytes, and
the PATCHes really changed rows."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from bench.ceiling import CONTACT_FILE, PAGES_FILE
from bench.load import Dataset, write_check
from bench.report import Run
from bench.servers import Server, request
from bench.wrk import CONNECTIONS

SAMPLED_CONTACTS = 25


@dataclass(frozen=True)
class Fixtures:
    path: Path
    contact_id: str
    contact_bytes: int


def _auth(dataset: Dataset) -> dict[str, str]:
    return {"Authorization": f"Bearer {dataset.api_key}"}


def _get(server: Server, path: str, headers: dict[str, str] | None = None) -> bytes:
    status, body = request(server, "GET", path, headers)
    if status != 200:
        raise RuntimeError(f"{server.name}: GET {path} answered {status}: {body[:500]!r}")
    return body


def fetch_fixtures(
    real: Server, dataset: Dataset, terms: Sequence[str], directory: Path
) -> Fixtures:
    """The ceiling's answers, taken from the real server: a contact of median size and
    the first page of every search term."""
    _get(real, "/healthz")
    auth = _auth(dataset)
    step = max(len(dataset.contact_ids) // SAMPLED_CONTACTS, 1)
    sampled = {
        contact_id: _get(real, f"/v1/contacts/{contact_id}", auth)
        for contact_id in dataset.contact_ids[::step][:SAMPLED_CONTACTS]
    }
    median = statistics.median_low(len(body) for body in sampled.values())
    contact_id, contact = next((i, b) for i, b in sampled.items() if len(b) == median)
    pages = {
        term: _get(real, f"/v1/contacts?q={quote(term)}&limit=50", auth).decode() for term in terms
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CONTACT_FILE).write_bytes(contact)
    (directory / PAGES_FILE).write_bytes(orjson.dumps(pages))
    return Fixtures(directory, contact_id, len(contact))


def verify_ceiling(ceiling: Server, fixtures: Fixtures) -> None:
    """The ceiling must send the very bytes the real server sends, or it is no ceiling."""
    expected = (fixtures.path / CONTACT_FILE).read_bytes()
    if _get(ceiling, f"/v1/contacts/{fixtures.contact_id}") != expected:
        raise RuntimeError("the ceiling's contact differs from the real server's")
    status, body = request(
        ceiling,
        "PATCH",
        f"/v1/contacts/{fixtures.contact_id}",
        {"Content-Type": "application/merge-patch+json"},
        b'{"notes": "check"}',
    )
    if status != 200 or body != expected:
        raise RuntimeError(f"the ceiling's PATCH answered {status}")
    pages = orjson.loads((fixtures.path / PAGES_FILE).read_bytes())
    for term, page in pages.items():
        if _get(ceiling, f"/v1/contacts?q={quote(term)}&limit=50") != page.encode():
            raise RuntimeError(f"the ceiling's page for {term!r} differs from the real one")


@dataclass(frozen=True)
class WriteVerification:
    ok: bool
    message: str
    patch_responses: int
    patch_runs: int
    versions_added: int
    changed_contacts: int
    contacts: int
    sample_id: str | None
    sample_version: int | None
    sample_phone: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def verify_writes(real: Server, dataset: Dataset, runs: Sequence[Run]) -> WriteVerification:
    """Every PATCH adds one version to its contact, so the versions the database gained must
    match the PATCH responses wrk counted. wrk does not count requests still in flight when
    a run ends, hence up to CONNECTIONS more per run."""
    patches = [run for run in runs if run.scenario == "patch" and run.server == real.name]
    responses = sum(run.result.requests - run.result.non_2xx for run in patches)
    check = write_check(dataset.database_path)
    sample: dict[str, Any] = {}
    if check.most_changed_id is not None:
        body = _get(real, f"/v1/contacts/{check.most_changed_id}", _auth(dataset))
        sample = orjson.loads(body)
    problems = []
    if check.contacts != len(dataset.contact_ids):
        problems.append(
            f"{check.contacts:,} contacts in the database, {len(dataset.contact_ids):,} loaded"
        )
    if not responses <= check.versions_added <= responses + CONNECTIONS * len(patches):
        problems.append(
            f"{check.versions_added:,} versions added for {responses:,} successful PATCH responses"
        )
    if responses and (
        sample.get("version", 1) <= 1 or not str(sample.get("phone")).startswith("+3120")
    ):
        problems.append(f"contact {check.most_changed_id} does not carry a PATCH: {sample}")
    if problems:
        message = "!!! PATCH check FAILED: " + "; ".join(problems) + " !!!"
    else:
        message = (
            f"PATCH check OK: wrk counted {responses:,} successful PATCH responses in "
            f"{len(patches)} runs; the database gained {check.versions_added:,} versions over "
            f"{check.changed_contacts:,} contacts; contact {check.most_changed_id} is at version "
            f"{sample.get('version')} with phone {sample.get('phone')}."
        )
    return WriteVerification(
        ok=not problems,
        message=message,
        patch_responses=responses,
        patch_runs=len(patches),
        versions_added=check.versions_added,
        changed_contacts=check.changed_contacts,
        contacts=check.contacts,
        sample_id=check.most_changed_id,
        sample_version=sample.get("version"),
        sample_phone=sample.get("phone"),
    )
