"""The measures of one loaded database with N server processes, each beside its ceiling.

wrk -c32 measures GET and PATCH by id; one connection measures the `q` search pages and the
list pages (first and deep, by name and by updated_at); then the PATCHes are checked against
the versions the database gained, and a run of one-field PATCHes measures what each adds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from bench import latency, wrk
from bench.checks import (
    WriteVerification,
    fetch_fixtures,
    get,
    verify_ceiling,
    verify_deep_page,
    verify_writes,
)
from bench.database import PAGE_SIZE, Inspector
from bench.dataset.terms import Term
from bench.growth import Growth, patch_growth
from bench.report import Run, Summary, summarize
from bench.rounds import LatencyRounds, WrkRounds, interleave
from bench.servers import Server, Servers

APP = "counterparty.app:app_from_environment"
CEILING = "bench.ceiling:app_from_environment"
SEARCH = "search"
LISTS = ("list name first", "list name deep", "list updated_at first", "list updated_at deep")
LATENCY_SCENARIOS = (SEARCH, *LISTS)


@dataclass(frozen=True)
class Settings:
    rounds: int
    duration: int
    warmup: int
    latency_requests: int
    growth_contacts: int
    seed: int


@dataclass
class Measures:
    backend: str
    workers: int
    wrk: list[Summary]
    wrk_runs: list[Run]
    pages: list[latency.LatencySummary]
    probes: dict[str, list[latency.Probe]]
    writes: WriteVerification
    growth: Growth | None
    contact_bytes: int
    page_bytes: dict[str, int]

    def latency_of(self, scenario: str, server: str) -> latency.LatencySummary:
        return next(s for s in self.pages if (s.scenario, s.server) == (scenario, server))


# The benchmark's one key sends far more than a client may: it is counted (the limit's cost
# is part of every figure) against a limit it cannot reach.
UNREACHABLE_RATE_LIMIT = "1000000000/minute"


def server_env(url: str) -> dict[str, str]:
    return {
        "COUNTERPARTY_DATABASE_URL": url,
        "COUNTERPARTY_ACCESS_LOG": "false",
        "COUNTERPARTY_RATE_LIMIT_PER_KEY": UNREACHABLE_RATE_LIMIT,
    }


def _search_path(text: str) -> str:
    return f"/v1/contacts?q={quote(text, safe='')}&limit={PAGE_SIZE}"


def _probes(
    terms: Sequence[Term], inspector: Inspector
) -> tuple[dict[str, list[latency.Probe]], dict[str, str]]:
    """The paths of every page scenario, and the first contact each deep page must show."""
    probes = {SEARCH: [latency.Probe(_search_path(t.text), t.text, t.category) for t in terms]}
    depth = inspector.active_contacts() // 2
    first_ids: dict[str, str] = {}
    for sort in ("name", "updated_at"):
        first = f"/v1/contacts?sort={sort}&limit={PAGE_SIZE}"
        deep = inspector.deep_page(sort, depth)
        deep_path = f"{first}&cursor={deep.cursor}"
        probes[f"list {sort} first"] = [latency.Probe(first, f"{sort} first")]
        probes[f"list {sort} deep"] = [latency.Probe(deep_path, f"{sort} deep ({depth:,})")]
        first_ids[deep_path] = deep.first_id
    return probes, first_ids


def _ceiling_and_checks(
    servers: Servers,
    real: Server,
    headers: Mapping[str, str],
    ids: Sequence[str],
    probes: Mapping[str, Sequence[latency.Probe]],
    workdir: Path,
) -> tuple[Server, int, dict[str, int]]:
    paths = [probe.path for scenario in probes.values() for probe in scenario]
    fixtures = fetch_fixtures(real, headers, ids, paths, workdir / f"fixtures-{real.workers}")
    ceiling = servers.start(
        "ceiling", CEILING, {"BENCH_FIXTURES": str(fixtures.path)}, real.workers
    )
    verify_ceiling(ceiling, fixtures)
    return ceiling, fixtures.contact_bytes, fixtures.page_bytes


def measure(
    servers: Servers,
    url: str,
    api_key: str,
    workers: int,
    terms: Sequence[Term],
    settings: Settings,
    workdir: Path,
    usage: Callable[[], tuple[int, dict[str, int]]] | None,
) -> Measures:
    """`usage` (bytes of the database holding data, in all and by part) enables the one-field
    PATCH measure."""
    inspector = Inspector(url)
    try:
        ids = inspector.contact_ids()
        ids_file = workdir / "ids.txt"
        ids_file.write_text("\n".join(ids) + "\n")
        probes, deep_first_ids = _probes(terms, inspector)
        headers = {"Authorization": f"Bearer {api_key}"}
        real = servers.start("real", APP, server_env(url), workers)
        for path, first_id in deep_first_ids.items():
            verify_deep_page(real, headers, path, first_id)
        ceiling, contact_bytes, page_bytes = _ceiling_and_checks(
            servers, real, headers, ids, probes, workdir
        )
        print(f"Ceiling contact: {contact_bytes:,} bytes of JSON", flush=True)
        before = inspector.write_counts()
        throughput = WrkRounds(workdir, ids_file, api_key, settings.seed)
        wrk_runs, wrk_warmups = interleave(
            [real, ceiling],
            wrk.SCENARIOS,
            settings.rounds,
            lambda s, server, r: throughput.run(
                s, server, r, settings.duration if r else settings.warmup
            ),
            settings.warmup > 0,
        )
        pages = LatencyRounds(headers, probes, settings.latency_requests, settings.seed)
        latency_runs, _ = interleave(
            [real, ceiling], LATENCY_SCENARIOS, settings.rounds, pages.run, settings.warmup > 0
        )
        after = inspector.write_counts()
        patches = [
            r for r in [*wrk_runs, *wrk_warmups] if r.scenario == "patch" and r.server == "real"
        ]
        sample = orjson.loads(get(real, f"/v1/contacts/{after.last_updated_id}", headers))
        writes = verify_writes(
            before,
            after,
            sum(r.result.requests - r.result.non_2xx for r in patches),
            len(patches),
            sample,
        )
        print(writes.message, flush=True)
        growth = None
        if usage is not None:
            rng = random.Random(settings.seed)
            growth = patch_growth(real, headers, ids, settings.growth_contacts, usage, rng)
        servers.stop_all()
    finally:
        inspector.close()
    return Measures(
        backend=inspector.engine.dialect.name,
        workers=workers,
        wrk=summarize(wrk_runs),
        wrk_runs=wrk_runs,
        pages=_latency_summaries(latency_runs),
        probes=probes,
        writes=writes,
        growth=growth,
        contact_bytes=contact_bytes,
        page_bytes=page_bytes,
    )


def _latency_summaries(runs: Sequence[latency.LatencyRun]) -> list[latency.LatencySummary]:
    grouped: dict[tuple[str, str], list[latency.LatencyRun]] = {}
    for run in runs:
        grouped.setdefault((run.scenario, run.server), []).append(run)
    return [latency.LatencySummary(s, server, found) for (s, server), found in grouped.items()]


def as_dict(measures: Measures) -> dict[str, Any]:
    return {
        "backend": measures.backend,
        "server_processes": measures.workers,
        "contact_json_bytes": measures.contact_bytes,
        "page_bytes": measures.page_bytes,
        "wrk": [summary.as_dict() for summary in measures.wrk],
        "wrk_runs": [run.as_dict() for run in measures.wrk_runs],
        "pages": [summary.as_dict() for summary in measures.pages],
        "page_runs": [run.as_dict() for s in measures.pages for run in s.runs],
        "write_check": measures.writes.as_dict(),
        "patch_growth": None if measures.growth is None else measures.growth.as_dict(),
    }
