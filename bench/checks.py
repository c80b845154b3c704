"""Checks that keep the benchmark honest: the ceiling answers with the real bytes, deep pages
start where they must, and the PATCHes really changed rows."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.ceiling import CONTACT_FILE, PAGES_FILE
from bench.database import WriteCounts
from bench.servers import Server, request
from bench.wrk import CONNECTIONS

SAMPLED_CONTACTS = 25


@dataclass(frozen=True)
class Fixtures:
    path: Path
    contact_id: str
    contact_bytes: int
    page_bytes: dict[str, int]


def get(server: Server, path: str, headers: Mapping[str, str] | None = None) -> bytes:
    status, body = request(server, "GET", path, headers)
    if status != 200:
        raise RuntimeError(f"{server.name}: GET {path} answered {status}: {body[:500]!r}")
    return body


def fetch_fixtures(
    real: Server,
    headers: Mapping[str, str],
    contact_ids: Sequence[str],
    page_paths: Sequence[str],
    directory: Path,
) -> Fixtures:
    """The ceiling's answers, taken from the real server: a contact of median size and every
    list page the benchmark asks for, by query string."""
    step = max(len(contact_ids) // SAMPLED_CONTACTS, 1)
    sampled = {
        contact_id: get(real, f"/v1/contacts/{contact_id}", headers)
        for contact_id in contact_ids[::step][:SAMPLED_CONTACTS]
    }
    median = statistics.median_low(len(body) for body in sampled.values())
    contact_id, contact = next((i, b) for i, b in sampled.items() if len(b) == median)
    pages = {path.split("?", 1)[1]: get(real, path, headers).decode() for path in page_paths}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CONTACT_FILE).write_bytes(contact)
    (directory / PAGES_FILE).write_bytes(orjson.dumps(pages))
    sizes = {query: len(page.encode()) for query, page in pages.items()}
    return Fixtures(directory, contact_id, len(contact), sizes)


def verify_ceiling(ceiling: Server, fixtures: Fixtures) -> None:
    """The ceiling must send the very bytes the real server sends, or it is no ceiling."""
    expected = (fixtures.path / CONTACT_FILE).read_bytes()
    if get(ceiling, f"/v1/contacts/{fixtures.contact_id}") != expected:
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
    for query, page in pages.items():
        if get(ceiling, f"/v1/contacts?{query}") != page.encode():
            raise RuntimeError(f"the ceiling's page for {query!r} differs from the real one")


def verify_deep_page(real: Server, headers: Mapping[str, str], path: str, first_id: str) -> None:
    """A cursor built from the database must continue exactly after its contact."""
    data = orjson.loads(get(real, path, headers))["data"]
    if not data or data[0]["id"] != first_id:
        found = data[0]["id"] if data else None
        raise RuntimeError(f"{path} starts with {found}, the database says {first_id}")


@dataclass(frozen=True)
class WriteVerification:
    ok: bool
    message: str
    patch_responses: int
    versions_added: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def verify_writes(
    before: WriteCounts, after: WriteCounts, responses: int, runs: int, sample: Mapping[str, Any]
) -> WriteVerification:
    """Every PATCH adds one version to its contact, so the versions the database gained must
    match the successful PATCH responses wrk counted. wrk does not count requests still in
    flight when a run ends, hence up to CONNECTIONS more per run."""
    added = after.versions_added - before.versions_added
    problems = []
    if after.contacts != before.contacts:
        problems.append(f"{after.contacts:,} contacts after the run, {before.contacts:,} before")
    if not responses <= added <= responses + CONNECTIONS * runs:
        problems.append(f"{added:,} versions added for {responses:,} successful PATCH responses")
    if responses and (
        sample.get("version", 1) <= 1 or not str(sample.get("phone")).startswith("+3120")
    ):
        problems.append(f"contact {after.last_updated_id} does not carry a PATCH: {sample}")
    if problems:
        message = "!!! PATCH check FAILED: " + "; ".join(problems) + " !!!"
    else:
        message = (
            f"PATCH check OK: {responses:,} successful PATCH responses in {runs} wrk runs, "
            f"{added:,} versions added; contact {after.last_updated_id} is at version "
            f"{sample.get('version')} with phone {sample.get('phone')}."
        )
    return WriteVerification(not problems, message, responses, added)
