"""What a PATCH that changes one field adds to the database.

A few contacts are each changed SNAPSHOT_EVERY (32) times in a row, over one connection, by a
merge patch of their `notes` alone: any 32 consecutive versions include exactly one that keeps
a whole snapshot, so the figure carries its share of snapshots as a long-lived database does.
The growth is counted in pages that hold data (`usage`), so pages freed and reused do not
count as growth, in all and by part of the database; the values the history keeps (old and
new notes, as JSON) are reported beside it.
"""

from __future__ import annotations

import http.client
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from bench.servers import HOST, Server

VERSIONS_PER_CONTACT = 32


@dataclass(frozen=True)
class Growth:
    patches: int
    contacts: int
    in_use_before: int
    in_use_after: int
    value_bytes: int  # old and new values of the changed field, as JSON, over all patches
    versions_added: int
    parts_growth: dict[str, int]  # bytes added, by part of the database

    @property
    def bytes_per_patch(self) -> float:
        return (self.in_use_after - self.in_use_before) / max(self.patches, 1)

    @property
    def value_bytes_per_patch(self) -> float:
        return self.value_bytes / max(self.patches, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "bytes_per_patch": round(self.bytes_per_patch, 1),
            "value_bytes_per_patch": round(self.value_bytes_per_patch, 1),
            "bytes_per_patch_by_part": self.per_patch_by_part(),
        }

    def per_patch_by_part(self) -> dict[str, float]:
        return {
            part: round(grown / max(self.patches, 1), 1)
            for part, grown in self.parts_growth.items()
            if grown
        }


def _send(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes | None = None,
) -> dict[str, Any]:
    connection.request(method, path, body, dict(headers))
    response = connection.getresponse()
    answer = response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path} answered {response.status}: {answer[:300]!r}")
    document: dict[str, Any] = orjson.loads(answer)
    return document


def patch_growth(
    server: Server,
    headers: Mapping[str, str],
    contact_ids: Sequence[str],
    contacts: int,
    usage: Callable[[], tuple[int, dict[str, int]]],
    rng: random.Random,
) -> Growth:
    chosen = rng.sample(list(contact_ids), contacts)
    patch_headers = {**headers, "Content-Type": "application/merge-patch+json"}
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    try:
        notes = {i: _send(connection, "GET", f"/v1/contacts/{i}", headers) for i in chosen}
        versions = {i: int(document["version"]) for i, document in notes.items()}
        previous = {i: document.get("notes") for i, document in notes.items()}
        before, parts_before = usage()
        # Measuring the file can outlast the server's keep-alive timeout (a minute at a
        # million contacts): start the PATCHes on a new connection.
        connection.close()
        value_bytes = 0
        for step in range(VERSIONS_PER_CONTACT):
            for contact_id in chosen:
                new = f"Growth check {step:02d}: call the accounts office before delivery."
                body = orjson.dumps({"notes": new})
                _send(connection, "PATCH", f"/v1/contacts/{contact_id}", patch_headers, body)
                value_bytes += len(orjson.dumps(previous[contact_id])) + len(orjson.dumps(new))
                previous[contact_id] = new
        after, parts_after = usage()
        connection.close()
        added = sum(
            int(_send(connection, "GET", f"/v1/contacts/{i}", headers)["version"]) - versions[i]
            for i in chosen
        )
    finally:
        connection.close()
    patches = contacts * VERSIONS_PER_CONTACT
    if added != patches:
        raise RuntimeError(f"{patches} PATCHes of one field added {added} versions")
    grown = {part: size - parts_before.get(part, 0) for part, size in parts_after.items()}
    return Growth(patches, contacts, before, after, value_bytes, added, grown)
