"""Webhook benchmark: `python -m bench.webhooks` (`--quick` for a smoke run).

1. The write path: PATCHes of one tenant without endpoints against one with an endpoint
   (its events go to the outbox), interleaved, through the same `ContactService.patch` the
   API calls; PATCH/s and CPU µs per PATCH, and the ratio (target: ≥ 0.90).
2. Delivery from a backlog: `--backlog` events (100,000) in the outbox, then one deliverer
   (the production code, `concurrency` sends at a time) to one fast local receiver in its own
   process, until every event is delivered; events/s (target: ≥ 1,000).

Everything runs on 127.0.0.1 against a fresh SQLite database (or `--database-url`).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from uuid import UUID

from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.services.webhooks import WebhookService
from counterparty.webhook_setup import deliverer, webhook_service

SECRET_KEY = "cPyoLdSUVKJWpkmJbbBdqdxgtOtjVUzzcv9ihr4Vlww="
ANSWER = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"


def receive(port: int) -> None:
    """A receiver that answers 204 at once, on kept-alive connections (its own process)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.lower().split(b"\r\n")
                        if line.startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                writer.write(ANSWER)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


def tenant_with_contacts(services: Services, slug: str, count: int) -> tuple[Actor, list[UUID]]:
    actor = Actor(services.tenancy.create_tenant(slug), None, "bench")
    ids: list[UUID] = []
    for start in range(0, count, 1000):
        size = min(1000, count - start)
        result = services.batch.apply(actor, [{"name": f"{slug} {start + n}"} for n in range(size)])
        ids += [item.contact.id for item in result.results if item.contact is not None]
    return actor, ids


def patches_per_second(
    services: Services, actor: Actor, ids: Sequence[UUID], count: int
) -> tuple[float, float]:
    rng = random.Random(len(ids))
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        services.contacts.patch(actor, rng.choice(ids), {"notes": f"patch {n} {rng.random()}"})
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return count / wall, cpu / count * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.webhooks", description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=1000, help="contacts per PATCH tenant")
    parser.add_argument("--patches", type=int, default=2000, help="PATCHes per round and tenant")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes")
    options = parser.parse_args(argv)
    if options.quick:
        options.contacts, options.patches, options.rounds, options.backlog = 50, 50, 2, 500
    with tempfile.TemporaryDirectory() as scratch:
        url = options.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        settings = Settings(
            database_url=url,
            secret_key=SECRET_KEY,
            webhook_allow_private=True,
            webhook_concurrency=options.concurrency,
            data_dir=scratch,
        )
        database = Database(url)
        database.migrate()
        services = Services.over(database.unit_of_work)
        hooks = webhook_service(settings, database)
        port = 18000 + random.randrange(1000)
        receiver = multiprocessing.Process(target=receive, args=(port,), daemon=True)
        receiver.start()
        try:
            run(options, services, hooks, settings, database, f"http://127.0.0.1:{port}/")
        finally:
            receiver.terminate()
            receiver.join()
            database.dispose()
    return 0


def run(
    options: argparse.Namespace,
    services: Services,
    hooks: WebhookService,
    settings: Settings,
    database: Database,
    receiver_url: str,
) -> None:
    quiet, quiet_ids = tenant_with_contacts(services, "quiet", options.contacts)
    heard, heard_ids = tenant_with_contacts(services, "heard", options.contacts)
    hooks.create(heard, {"url": receiver_url})
    rates: dict[str, list[float]] = {"none": [], "one": []}
    cpu: dict[str, list[float]] = {"none": [], "one": []}
    for _ in range(options.rounds):
        for name, actor, ids in (("none", quiet, quiet_ids), ("one", heard, heard_ids)):
            rate, micros = patches_per_second(services, actor, ids, options.patches)
            rates[name].append(rate)
            cpu[name].append(micros)
    for name in ("none", "one"):
        print(
            f"PATCH, {name} endpoint(s): {statistics.median(rates[name]):,.0f}/s median "
            f"({min(rates[name]):,.0f}-{max(rates[name]):,.0f}), "
            f"{statistics.median(cpu[name]):,.0f} CPU µs per PATCH"
        )
    ratio = statistics.median(rates["one"]) / statistics.median(rates["none"])
    print(f"PATCH with one endpoint / without: {ratio:.2f} (target ≥ 0.90)")

    sender = deliverer(settings, database)
    sender.run_once()  # the PATCH rounds' own events first, not timed
    while sender.run_once():
        pass
    backlog, _ = tenant_with_contacts(services, "backlog", 0)
    hooks.create(backlog, {"url": receiver_url})
    for start in range(0, options.backlog, 1000):
        size = min(1000, options.backlog - start)
        services.batch.apply(backlog, [{"name": f"backlog {start + n}"} for n in range(size)])
    started = time.perf_counter()
    delivered = 0
    while made := sender.run_once():
        delivered += made
    elapsed = time.perf_counter() - started
    sender.close()
    print(
        f"delivery from a backlog of {options.backlog:,}: {delivered:,} attempts in "
        f"{elapsed:.1f} s = {delivered / elapsed:,.0f} events/s (target ≥ 1,000)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
