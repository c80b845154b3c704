"""A loaded database: contacts loaded through the batch endpoint, with the load's measures.

On SQLite the loaded database is kept (bench/cache/, git-ignored) under a name made of the
generator's seed and version, the number of contacts and the schema's Alembic revision, with a
JSON file beside it that holds the API key and what was measured while loading (load rate,
server memory, the executemany baseline, size, term matches). Later runs reuse it and measure
on a copy. PostgreSQL is loaded into a database of its own in every run.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench import baseline, storage
from bench.baseline import Baseline
from bench.database import Inspector, prepare, schema_revision
from bench.dataset.bodies import bodies_file, read_bodies
from bench.dataset.documents import GENERATOR_VERSION
from bench.dataset.terms import search_terms
from bench.loader import Load, load
from bench.measure import APP, server_env
from bench.servers import Servers
from bench.storage import Storage

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Loaded:
    backend: str
    url: str
    api_key: str
    load: Load
    baseline: Baseline
    storage: Storage
    term_matches: dict[str, int]
    loaded_at: str
    commit: str
    cached: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "loaded_at": self.loaded_at,
            "commit": self.commit,
            "reused_from_cache": self.cached,
            "load": self.load.as_dict(),
            "baseline": self.baseline.as_dict(),
            "storage": self.storage.as_dict(),
            "term_matches": self.term_matches,
        }


def _commit() -> str:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return found.stdout.strip()


def _load_and_measure(
    servers: Servers, url: str, bodies: Path, connections: int, seed: int, count: int
) -> tuple[str, Load, dict[str, int]]:
    api_key = prepare(url)
    server = servers.start("load", APP, server_env(url))
    print(f"Loading {count:,} contacts over {connections} connection(s)…", flush=True)
    loaded = load(server, api_key, read_bodies(bodies), connections)
    servers.stop(server)
    print(
        f"Loaded {loaded.contacts:,} contacts in {loaded.seconds:.1f} s "
        f"({loaded.contacts_per_second:,.0f} contacts/s); server peak RSS "
        f"{loaded.server_peak_rss_bytes / 2**20:,.0f} MiB",
        flush=True,
    )
    inspector = Inspector(url)
    try:
        matches = inspector.term_matches(search_terms(seed, count))
    finally:
        inspector.close()
    return api_key, loaded, matches


def _measured_now(
    backend: str,
    url: str,
    api_key: str,
    loaded: Load,
    raw: Baseline,
    size: Storage,
    matches: dict[str, int],
) -> Loaded:
    moment = datetime.now(UTC).isoformat(timespec="seconds")
    return Loaded(backend, url, api_key, loaded, raw, size, matches, moment, _commit(), False)


def cache_key(seed: int, count: int) -> str:
    return f"sqlite-s{seed}-g{GENERATOR_VERSION}-n{count}-r{schema_revision()}"


def sqlite_loaded(
    servers: Servers, cache: Path, seed: int, count: int, connections: int, reload: bool
) -> tuple[Path, Loaded]:
    """The cached database for seed and count (made now if missing or `reload`)."""
    key = cache_key(seed, count)
    path, meta_path = cache / f"{key}.db", cache / f"{key}.json"
    if path.exists() and meta_path.exists() and not reload:
        meta = orjson.loads(meta_path.read_bytes())
        print(f"Reusing the loaded database {path.name} (made {meta['loaded_at']})", flush=True)
        return path, _from_meta(meta, f"sqlite:///{path}")
    cache.mkdir(parents=True, exist_ok=True)
    bodies = bodies_file(cache, seed, count)
    building = cache / f"{key}.building.db"
    for leftover in (building, *cache.glob(f"{key}.building.db-*")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{building}"
    api_key, loaded_now, matches = _load_and_measure(servers, url, bodies, connections, seed, count)
    size = storage.sqlite_storage(building)
    print("Baseline: executemany of the same rows…", flush=True)
    raw = baseline.sqlite_executemany(building, cache)
    result = _measured_now("sqlite", f"sqlite:///{path}", api_key, loaded_now, raw, size, matches)
    storage.checkpoint(building)
    # A WAL left beside the database this one replaces would be read as this one's.
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    building.rename(path)
    meta_path.write_bytes(
        orjson.dumps({**result.as_dict(), "api_key": api_key}, option=orjson.OPT_INDENT_2)
    )
    return path, result


def _from_meta(meta: dict[str, Any], url: str) -> Loaded:
    raw = meta["baseline"]
    size = meta["storage"]
    return Loaded(
        backend="sqlite",
        url=url,
        api_key=meta["api_key"],
        load=Load(**{k: v for k, v in meta["load"].items() if k != "contacts_per_second"}),
        baseline=Baseline(raw["rows"], raw["seconds"], raw["method"]),
        storage=Storage(**size),
        term_matches=meta["term_matches"],
        loaded_at=meta["loaded_at"],
        commit=meta["commit"],
        cached=True,
    )


def work_copy(path: Path, directory: Path) -> Path:
    """A copy to measure on: PATCHes change it, the cached database stays as loaded."""
    copy = directory / "measured.db"
    shutil.copyfile(path, copy)
    return copy


def postgres_loaded(
    servers: Servers, url: str, cache: Path, seed: int, count: int, connections: int
) -> Loaded:
    bodies = bodies_file(cache, seed, count)
    api_key, loaded_now, matches = _load_and_measure(servers, url, bodies, connections, seed, count)
    inspector = Inspector(url)
    try:
        size = storage.postgres_storage(inspector.engine)
    finally:
        inspector.close()
    print("Baseline: executemany of the same rows…", flush=True)
    raw = baseline.postgres_executemany(url)
    return _measured_now("postgresql", url, api_key, loaded_now, raw, size, matches)
