"""The web interface's list page with a search, on the benchmark's loaded SQLite database.

`make bench` must have loaded the database first (it stays in bench/cache/). On a copy of it,
a user of the benchmark's tenant signs in, and over one keep-alive connection the run asks,
for each of the benchmark's search terms, for the whole list page (`/app/contacts?q=…`), the
part that the search box replaces as one types (the same URL with `HX-Request: true`), and,
as the baseline of the same run, the API's page of 50 (`/v1/contacts?q=…&limit=50`). Each
figure is the time from sending to the last byte read on 127.0.0.1, so it holds the server's
whole work for the page; the rounds interleave the three.

    .venv/bin/python -m bench.ui_list [--contacts 1000000] [--rounds 3] [--requests 300]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx
import orjson

from bench import latency
from bench.cli import CACHE, SEED
from bench.database import TENANT_SLUG
from bench.dataset.terms import search_terms
from bench.latency import LatencySummary, Probe
from bench.loaded import cache_key
from bench.servers import Servers
from counterparty.db import Database
from counterparty.db.users import people_units
from counterparty.services.people_registry import PeopleServices

EMAIL = "bench@example.com"
PASSWORD = "a password for the benchmark only"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _add_user(url: str) -> None:
    database = Database(url)
    try:
        people = PeopleServices.over(people_units(database.lender))
        people.users.create_user(TENANT_SLUG, EMAIL, "viewer", PASSWORD)
    finally:
        database.dispose()


def _session_cookie(base_url: str) -> str:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        form = http.get("/app/sign-in")
        token = CSRF.search(form.text)
        assert token, form.text
        answer = http.post(
            "/app/sign-in", data={"csrf": token.group(1), "email": EMAIL, "password": PASSWORD}
        )
        assert answer.status_code == 303, answer.text
        return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.ui_list", description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="per scenario and round")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()

    key = cache_key(args.seed, args.contacts)
    cached, meta_path = CACHE / f"{key}.db", CACHE / f"{key}.json"
    if not cached.exists():
        raise SystemExit(f"no loaded database for {args.contacts:,} contacts: run make bench")
    api_key = orjson.loads(meta_path.read_bytes())["api_key"]
    terms = search_terms(args.seed, args.contacts)
    with tempfile.TemporaryDirectory(prefix="counterparty-ui-bench-") as scratch:
        work = Path(scratch)
        copy = work / "ui.db"
        shutil.copyfile(cached, copy)
        url = f"sqlite:///{copy}"
        _add_user(url)
        env = {"COUNTERPARTY_DATABASE_URL": url, "COUNTERPARTY_INSECURE_COOKIES": "true"}
        with Servers(work, work) as servers:
            server = servers.start("counterparty", "counterparty.app:app_from_environment", env)
            cookie = _session_cookie(server.url)
            scenarios = {
                "list page": (
                    {"Cookie": cookie},
                    [Probe("/app/contacts?" + urlencode({"q": t.text}), t.text) for t in terms],
                ),
                "list results (as one types)": (
                    {"Cookie": cookie, "HX-Request": "true"},
                    [Probe("/app/contacts?" + urlencode({"q": t.text}), t.text) for t in terms],
                ),
                "API q page of 50 (baseline)": (
                    {"Authorization": f"Bearer {api_key}"},
                    [
                        Probe("/v1/contacts?" + urlencode({"q": t.text, "limit": 50}), t.text)
                        for t in terms
                    ],
                ),
            }
            rng = random.Random(args.seed)
            for headers, probes in scenarios.values():  # warm-up: every probe once
                latency.run(server, headers, "warm-up", probes, len(probes), 0, rng)
            runs: dict[str, list[latency.LatencyRun]] = {name: [] for name in scenarios}
            for round_ in range(1, args.rounds + 1):
                order = list(scenarios) if round_ % 2 else list(reversed(scenarios))
                for name in order:
                    headers, probes = scenarios[name]
                    runs[name].append(
                        latency.run(server, headers, name, probes, args.requests, round_, rng)
                    )
    print(f"{args.contacts:,} contacts, {len(terms)} search terms, {args.rounds} rounds")
    print("| scenario | p50 ms (median of rounds) | p99 ms | errors |")
    print("| --- | --- | --- | --- |")
    baseline = LatencySummary("", "", runs["API q page of 50 (baseline)"]).median(50)
    for name, measured in runs.items():
        summary = LatencySummary(name, "counterparty", measured)
        errors = sum(run.errors for run in measured)
        ratio = summary.median(50) / baseline
        print(
            f"| {name} | {summary.median(50):.1f} ({ratio:.2f}× the API page) "
            f"| {summary.median(99):.1f} | {errors} |"
        )


if __name__ == "__main__":
    main()
