"""One benchmark session: SQLite, then PostgreSQL if asked, then the report."""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench import wrk
from bench.database import Inspector, postgres_database
from bench.dataset.bodies import BATCH_SIZE
from bench.dataset.documents import GENERATOR_VERSION
from bench.dataset.terms import search_terms
from bench.details import print_growth_detail, print_load_detail, print_search_detail
from bench.loaded import REPO_ROOT, Loaded, postgres_loaded, sqlite_loaded, work_copy
from bench.measure import Measures, Settings, as_dict, measure
from bench.report import print_table
from bench.servers import Servers
from bench.storage import postgres_usage, sqlite_usage
from bench.targets import NO_GOALS, POSTGRES_GOALS, SQLITE_GOALS, Row, load_rows, measure_rows
from bench.targets import print_rows as print_target_rows


@dataclass(frozen=True)
class Options:
    contacts: int
    rounds: int
    duration: int
    warmup: int
    latency_requests: int
    growth_contacts: int
    load_connections: int
    seed: int
    reload: bool
    cache_dir: Path
    output: Path
    postgres: bool
    postgres_url: str
    postgres_contacts: int
    quick: bool

    def settings(self) -> Settings:
        return Settings(
            self.rounds,
            self.duration,
            self.warmup,
            self.latency_requests,
            self.growth_contacts,
            self.seed,
        )

    def as_dict(self) -> dict[str, Any]:
        # Paths are left out: results files must not carry machine-specific paths.
        return {k: v for k, v in asdict(self).items() if k not in ("cache_dir", "output")} | {
            "generator_version": GENERATOR_VERSION,
            "batch_size": BATCH_SIZE,
        }


@dataclass
class Section:
    title: str
    loaded: Loaded
    measures: list[Measures]
    rows: list[Row]


def _report(title: str, loaded: Loaded, measures: list[Measures], postgres: bool) -> Section:
    rows = load_rows(loaded, with_goals=not postgres)
    print_load_detail(loaded)
    for found in measures:
        print(f"\n## {title}, {found.workers} server process(es): details\n")
        print_table(found.wrk)
        print_search_detail(found)
        print_growth_detail(found)
        goals = SQLITE_GOALS if not postgres else POSTGRES_GOALS if found.workers == 1 else NO_GOALS
        measured = measure_rows(found, goals)
        print_target_rows(f"{title}, {found.workers} server process(es)", measured)
        rows += [
            Row(f"{r.measure} [{found.workers} process(es)]", *list(asdict(r).values())[1:])
            for r in measured
        ]
    return Section(title, loaded, measures, rows)


def _sqlite(options: Options, servers: Servers, scratch: Path) -> Section:
    print("\n# SQLite\n", flush=True)
    path, loaded = sqlite_loaded(
        servers,
        options.cache_dir,
        options.seed,
        options.contacts,
        options.load_connections,
        options.reload,
    )
    copy = work_copy(path, scratch)
    terms = search_terms(options.seed, options.contacts)
    found = measure(
        servers,
        f"sqlite:///{copy}",
        loaded.api_key,
        1,
        terms,
        options.settings(),
        scratch,
        lambda: sqlite_usage(copy),
    )
    return _report("SQLite", loaded, [found], postgres=False)


def _postgres(options: Options, servers: Servers, scratch: Path) -> Section:
    print("\n# PostgreSQL\n", flush=True)
    count = options.postgres_contacts
    with postgres_database(options.postgres_url) as url:
        loaded = postgres_loaded(
            servers, url, options.cache_dir, options.seed, count, options.load_connections
        )
        terms = search_terms(options.seed, count)
        inspector = Inspector(url)

        def usage() -> tuple[int, dict[str, int]]:
            return postgres_usage(inspector.engine)

        try:
            measured = [
                measure(
                    servers,
                    url,
                    loaded.api_key,
                    workers,
                    terms,
                    options.settings(),
                    scratch,
                    usage if workers == 1 else None,
                )
                for workers in (1, 2)
            ]
        finally:
            inspector.close()
    return _report("PostgreSQL", loaded, measured, postgres=True)


def run_session(options: Options, description: dict[str, Any]) -> int:
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    options.cache_dir.mkdir(parents=True, exist_ok=True)
    sections: list[Section] = []
    # The scratch directory sits beside the cache: copies stay on the same file system.
    with (
        tempfile.TemporaryDirectory(prefix="run-", dir=options.cache_dir) as scratch,
        Servers(REPO_ROOT, Path(scratch)) as servers,
    ):
        sections.append(_sqlite(options, servers, Path(scratch)))
        if options.postgres:
            sections.append(_postgres(options, servers, Path(scratch)))
    print("\n# Targets\n")
    for section in sections:
        print_target_rows(section.title, section.rows)
    errors = sum(
        sum(run.result.errors for run in found.wrk_runs)
        + sum(run.errors for page in found.pages for run in page.runs)
        for section in sections
        for found in section.measures
    )
    writes_ok = all(found.writes.ok for s in sections for found in s.measures)
    results = {
        "started_at": started_at,
        "options": options.as_dict(),
        "method": f"wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS} --latency --timeout {wrk.TIMEOUT}; "
        "pages over one keep-alive connection",
        "machine": description,
        "backends": [
            {
                "title": section.title,
                "loaded": section.loaded.as_dict(),
                "measures": [as_dict(found) for found in section.measures],
                "targets": [row.as_dict() for row in section.rows],
            }
            for section in sections
        ],
        "errors": errors,
        "ok": errors == 0 and writes_ok,
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(f"\nResults written to {options.output}")
    if errors:
        print(f"\n!!! {errors:,} requests failed: these numbers measure errors, not the API !!!")
    return 0 if results["ok"] else 1
