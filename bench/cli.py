"""The benchmark's command line: what to measure, and how long."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from sqlalchemy import create_engine, text

from bench import wrk
from bench.report import machine, print_machine
from bench.session import Options, run_session

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results" / "latest.json"
CACHE = BENCH / "cache"
SEED = 20261121
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# rounds, seconds per wrk run, seconds of warm-up, contacts, requests per page scenario and
# round, contacts changed 32 times each for the PATCH growth, PostgreSQL contacts
FULL = (3, 10, 3, 1_000_000, 500, 64, 1_000_000)
QUICK = (1, 2, 1, 20_000, 100, 16, 10_000)
_NAMES = (
    "rounds", "duration", "warmup", "contacts", "latency_requests", "growth_contacts",
    "postgres_contacts",
)  # fmt: skip


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="bench",
        description="Load contacts through the batch endpoint and measure the API against a "
        "bare Starlette ceiling serving the same bytes, and loading against executemany.",
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: 20,000 contacts, "
                        "1 round of 2 s runs, PostgreSQL with 10,000")  # fmt: skip
    parser.add_argument("--contacts", type=int, help="contacts to load (1,000,000)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per scenario (3)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (10)")
    parser.add_argument("--warmup", type=int, help="seconds of wrk warm-up (3; 0: no warm-up)")
    parser.add_argument(
        "--latency-requests", type=int, help="requests per page scenario, server and round (500)"
    )
    parser.add_argument(
        "--growth-contacts", type=int, help="contacts PATCHed 32 times each for the growth (64)"
    )
    parser.add_argument(
        "--load-connections", type=int, default=2, help="client connections while loading (2)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated data")
    parser.add_argument("--reload", action="store_true", help="load again, replacing the cache")
    parser.add_argument("--cache-dir", type=Path, default=CACHE, help="loaded databases")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    parser.add_argument(
        "--postgres", action="store_true", help="also measure PostgreSQL, 1 and 2 processes"
    )
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="where to create a database")
    parser.add_argument("--postgres-contacts", type=int, help="contacts to load into PostgreSQL")
    args = parser.parse_args(argv)
    for name, default in zip(_NAMES, QUICK if args.quick else FULL, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    if min(args.rounds, args.duration, args.contacts, args.latency_requests,
           args.growth_contacts, args.postgres_contacts, args.load_connections) < 1:  # fmt: skip
        parser.error("counts and durations must be positive")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    return Options(**{k: v for k, v in vars(args).items() if k != "quick"}, quick=args.quick)


def _postgres_version(url: str) -> str:
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()


def _on_sigterm(signum: int, _: FrameType | None) -> None:
    # Turn SIGTERM into an exception so that the servers and the scratch directory go away.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str]) -> int:
    options = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    description = machine(
        wrk.version(), _postgres_version(options.postgres_url) if options.postgres else None
    )
    print_machine(description)
    try:
        return run_session(options, description)
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped.", file=sys.stderr)
        return 130
