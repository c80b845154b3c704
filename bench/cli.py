"""The benchmark: load contacts, start the real server and the ceiling, run wrk, report."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import orjson

from bench import load, wrk
from bench.checks import fetch_fixtures, verify_ceiling, verify_writes
from bench.data import SEARCH_TERMS
from bench.load import create_dataset, term_matches
from bench.report import Run, machine, print_machine, print_table, ratios, summarize
from bench.servers import Server, Servers, machine_cpu

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
SEED = 20261121


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench",
        description="Load contacts into a fresh SQLite database and measure the API with wrk "
        "against a bare Starlette ceiling served the same way.",
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds per scenario (3)")
    # Whole seconds: wrk reads durations as integers.
    parser.add_argument("--duration", type=int, help="seconds per wrk run (10)")
    parser.add_argument("--contacts", type=int, help="contacts to load (100000)")
    parser.add_argument(
        "--warmup", type=int, help="seconds of warm-up per scenario and server (3; 0: none)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated data")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 5000 contacts, 1 round of 2 s runs"
    )
    options = parser.parse_args(argv)
    defaults = (1, 2, 5_000, 1) if options.quick else (3, 10, 100_000, 3)
    for name, default in zip(("rounds", "duration", "contacts", "warmup"), defaults, strict=True):
        if getattr(options, name) is None:
            setattr(options, name, default)
    if options.rounds < 1 or options.duration <= 0 or options.contacts < 1 or options.warmup < 0:
        parser.error("--rounds, --duration and --contacts must be positive, --warmup not negative")
    return options


class Bench:
    """One benchmark session: its scratch directory, its servers and everything measured."""

    def __init__(self, options: argparse.Namespace, workdir: Path, api_key: str) -> None:
        self.options = options
        self.workdir = workdir
        self.api_key = api_key
        self.ids_file = workdir / "ids.txt"
        self.runs: list[Run] = []
        self.warmups: list[Run] = []
        self._scripts = 0

    def _script(self, scenario: str, server: Server, label: str) -> Path:
        self._scripts += 1
        path = self.workdir / f"{scenario}-{server.name}-{label}.lua"
        source = wrk.lua_script(
            scenario,
            self.ids_file,
            self.api_key,
            SEARCH_TERMS,
            seed=self.options.seed + self._scripts,
            nonce=f"{label}{self._scripts}",
        )
        path.write_text(source)
        return path

    def _run(self, scenario: str, server: Server, round_: int, seconds: int) -> Run:
        script = self._script(scenario, server, f"r{round_}")
        cpu_before, machine_before = server.cpu_seconds(), machine_cpu()
        result = wrk.run(server.url, script, seconds)
        cpu_after, machine_after = server.cpu_seconds(), machine_cpu()
        total = max(machine_after.total - machine_before.total, 1)
        run = Run(
            scenario=scenario,
            server=server.name,
            round=round_,
            result=result,
            server_cpu_seconds=cpu_after - cpu_before,
            machine_busy=1 - (machine_after.idle - machine_before.idle) / total,
            steal=(machine_after.steal - machine_before.steal) / total,
        )
        if result.errors:
            print(
                f"\n!!! {scenario} on {server.name}: {result.non_2xx} non-2xx responses and "
                f"{result.socket_errors} socket errors {result.socket_error_detail} !!!\n",
                flush=True,
            )
        return run

    def measure(self, servers: Sequence[Server]) -> None:
        options = self.options
        if options.warmup:
            print(f"Warm-up: {options.warmup:g} s per scenario and server", flush=True)
            for scenario in wrk.SCENARIOS:
                for server in servers:
                    self.warmups.append(self._run(scenario, server, 0, options.warmup))
        for round_ in range(1, options.rounds + 1):
            # Alternating which server goes first spreads slow drift of the machine evenly.
            order = list(servers) if round_ % 2 else list(reversed(servers))
            for scenario in wrk.SCENARIOS:
                for server in order:
                    run = self._run(scenario, server, round_, options.duration)
                    self.runs.append(run)
                    print(f"round {round_}/{options.rounds} {_progress(run)}", flush=True)


def _progress(run: Run) -> str:
    result = run.result
    return (
        f"{run.scenario:6} {run.server:7} {result.requests_per_second:9,.0f} req/s  "
        f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
        f"server CPU {run.server_cpu_us_per_request:6,.0f} µs/req  "
        f"machine busy {run.machine_busy:4.0%}  errors {result.errors}"
    )


def _on_sigterm(signum: int, _: FrameType | None) -> None:
    # Turn SIGTERM into an exception so that the servers and the scratch directory go away.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str]) -> int:
    options = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    description = machine(wrk.version())
    print_machine(description)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with tempfile.TemporaryDirectory(prefix="counterparty-bench-") as scratch:
            return _session(options, Path(scratch), description, started_at)
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped.", file=sys.stderr)
        return 130


def _session(
    options: argparse.Namespace, workdir: Path, description: dict[str, Any], started_at: str
) -> int:
    print(f"\nLoading {options.contacts:,} contacts into a fresh SQLite database…", flush=True)
    dataset = create_dataset(workdir, options.contacts, options.seed)
    rate = options.contacts / dataset.load_seconds
    print(
        f"Loaded in {dataset.load_seconds:.1f} s ({rate:,.0f} contacts/s) through "
        f"ContactService.create, {load.BATCH_SIZE:,} per transaction; database "
        f"{dataset.database_path.stat().st_size / 1e6:.0f} MB"
    )
    matches = term_matches(dataset.database_path, SEARCH_TERMS)
    print(
        "Search terms (active contacts matched): "
        + ", ".join(f"{t!r} {n:,}" for t, n in matches.items())
    )
    bench = Bench(options, workdir, dataset.api_key)
    bench.ids_file.write_text("\n".join(dataset.contact_ids) + "\n")
    with Servers(REPO_ROOT, workdir) as servers:
        real = servers.start(
            "real",
            "counterparty.app:app_from_environment",
            {"COUNTERPARTY_DATABASE_URL": dataset.database_url, "COUNTERPARTY_ACCESS_LOG": "false"},
        )
        fixtures = fetch_fixtures(real, dataset, SEARCH_TERMS, workdir / "fixtures")
        print(f"Ceiling contact: {fixtures.contact_bytes:,} bytes of JSON")
        ceiling = servers.start(
            "ceiling", "bench.ceiling:app_from_environment", {"BENCH_FIXTURES": str(fixtures.path)}
        )
        verify_ceiling(ceiling, fixtures)
        started = time.monotonic()
        bench.measure([real, ceiling])
        print(f"Measured for {time.monotonic() - started:.0f} s")
        writes = verify_writes(real, dataset, [*bench.warmups, *bench.runs])
        logs = {server.name: server.log_tail() for server in (real, ceiling)}
    summaries = summarize(bench.runs)
    errors = sum(run.result.errors for run in [*bench.warmups, *bench.runs])
    print()
    print_table(summaries)
    print(f"\n{writes.message}")
    results = {
        "started_at": started_at,
        # The output path is left out: results files must not carry machine-specific paths.
        "options": {k: v for k, v in vars(options).items() if k != "output"},
        "method": f"wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS} --latency --timeout {wrk.TIMEOUT}",
        "machine": description,
        "dataset": {
            "contacts": options.contacts,
            "load_seconds": round(dataset.load_seconds, 2),
            "contacts_per_transaction": load.BATCH_SIZE,
            "database_bytes": dataset.database_path.stat().st_size,
            "contact_json_bytes": fixtures.contact_bytes,
            "term_matches": matches,
        },
        "summaries": [summary.as_dict() for summary in summaries],
        "ratios_real_over_ceiling": ratios(summaries),
        "write_check": writes.as_dict(),
        "errors": errors,
        "ok": errors == 0 and writes.ok,
        "runs": [run.as_dict() for run in bench.runs],
        "warmups": [run.as_dict() for run in bench.warmups],
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(f"Results written to {options.output}")
    if errors:
        print(f"\n!!! {errors:,} requests failed: these numbers measure errors, not the API !!!")
        for name, tail in logs.items():
            print(f"--- last lines of the {name} server's log ---\n{tail}")
    return 0 if results["ok"] else 1
