"""Import benchmark: `python -m bench.imports` (`--rows N`, default 100,000).

In one process, against a fresh SQLite database (or `--database-url`):
1. a generated CSV of `--rows` companies (name, external_ref, a valid Belgian VAT number,
   e-mail, phone, address, tags) imported through `ImportService` (what the CLI and the API
   run), with `match_on=external_ref`: rows/s with full validation;
2. the same file again: every row `unchanged`; rows/s;
3. an export of them all to CSV: rows/s;
4. the JSON Lines export imported back (every value already in its stored form): rows/s;
and the process's peak RSS. Rows/s are wall-clock figures of the whole run.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

from counterparty.db import Database
from counterparty.services.context import Actor
from counterparty.services.imports import ImportOptions
from counterparty.services.listing import ContactQuery
from counterparty.services.registry import Services

HEADER = [
    "external_ref", "name", "vat_number", "email", "phone", "address.street",
    "address.postal_code", "address.city", "address.country_code", "tags",
]  # fmt: skip


def belgian_vat(index: int) -> str:
    """A valid Belgian enterprise number (the check is 97 - the first eight digits mod 97)."""
    base = 2_000_000 + index  # eight digits, the first a 0
    return f"BE{base:08d}{97 - base % 97:02d}"


def write_file(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for index in range(rows):
            writer.writerow(
                [
                    f"ERP-{index:07d}",
                    f"Company {index:07d} NV",
                    belgian_vat(index),
                    f"info{index}@example.com",
                    f"+32 2 {500 + index % 400} {index % 100:02d} {index % 97:02d}",
                    f"Kerkstraat {index % 300 + 1}",
                    f"{1000 + index % 8000}",
                    "Gent",
                    "BE",
                    "customer;imported",
                ]
            )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        source = directory / "contacts.csv"
        write_file(source, args.rows)
        database = Database(args.database_url or f"sqlite:///{directory / 'bench.db'}")
        database.migrate()
        services = Services.over(database.unit_of_work)
        services.tenancy.create_tenant("bench")
        actor = Actor(services.tenancy.get_tenant("bench"), None, "cli")
        options = ImportOptions(match_on="external_ref")
        results = {}
        for label in ("import", "re-import"):
            with source.open("rb") as binary:
                summary = services.imports.run(actor, binary, options)
            results[label] = summary
            print(
                f"{label:10} {summary.rows:>9,} rows {summary.seconds:7.1f} s "
                f"{summary.rows_per_second:>9,.0f} rows/s {summary.counts}"
            )
        started = time.monotonic()
        sink = io.BytesIO()
        for chunk in services.exports.chunks(actor, ContactQuery(sort="number"), "csv"):
            sink.write(chunk)
        seconds = time.monotonic() - started
        exported = sink.getvalue().count(b"\n") - 1
        print(
            f"{'export':10} {exported:>9,} rows {seconds:7.1f} s {exported / seconds:>9,.0f} rows/s"
        )
        # The export's JSON Lines imported back: every value in its stored form, all unchanged.
        lines = io.BytesIO(b"".join(services.exports.chunks(actor, ContactQuery(), "jsonl")))
        jsonl = ImportOptions(format="jsonl", match_on="external_ref")
        summary = services.imports.run(actor, lines, jsonl)
        print(
            f"{'round trip':10} {summary.rows:>9,} rows {summary.seconds:7.1f} s "
            f"{summary.rows_per_second:>9,.0f} rows/s {summary.counts} (the JSON Lines export)"
        )
        print(f"peak RSS {peak_rss_mb():,.0f} MB; python {sys.version.split()[0]}")
        database.dispose()


if __name__ == "__main__":
    main()
