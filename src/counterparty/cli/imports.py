"""`counterparty import` and `counterparty export`: a contact book in and out from the
command line, through the same services as POST /v1/imports and GET /v1/contacts/export."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import click
import orjson
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from counterparty.cli.reporting import reports_errors
from counterparty.cli.reporting import services as open_services
from counterparty.dialects.presets import PRESETS
from counterparty.domain.import_jobs import ACTIONS
from counterparty.errors import ValidationFailed
from counterparty.services.batch_matching import MATCH_FIELDS
from counterparty.services.context import Actor
from counterparty.services.exports import EXPORT_FORMATS
from counterparty.services.import_files import FORMATS
from counterparty.services.import_options import import_options, parse_export_format
from counterparty.services.imports import ImportSummary, RowResult
from counterparty.web.list_query import parse_list_parameters

USAGE_ERROR = 2
tenant_option = click.option("--tenant", "slug", required=True, help="The tenant's slug")


def _format_hint(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return {".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix)


class _Report:
    """The per-row report written as the rows are decided: CSV, or JSON Lines for a
    `.jsonl` file name."""

    def __init__(self, out: IO[str], as_jsonl: bool) -> None:
        self._out, self._jsonl = out, as_jsonl
        self._csv = None if as_jsonl else csv.writer(out, lineterminator="\n")
        if self._csv:
            self._csv.writerow(["row", "action", "id", "column", "code", "detail"])

    def write(self, result: RowResult) -> None:
        contact = "" if result.contact_id is None else str(result.contact_id)
        if self._csv is None:
            line = {
                "row": result.row,
                "action": result.action,
                "id": contact or None,
                "errors": [vars(error) for error in result.errors],
            }
            self._out.write(orjson.dumps(line).decode() + "\n")
            return
        for error in result.errors or [None]:
            column, code, detail = (error.column, error.code, error.detail) if error else ("",) * 3
            self._csv.writerow([result.row, result.action, contact, column or "", code, detail])


def _summary(summary: ImportSummary) -> Table:
    title = f"import {summary.id}" + (" (dry run: nothing was written)" if summary.dry_run else "")
    table = Table(title=title)
    for heading in ("rows", *ACTIONS, "rows/s"):
        table.add_column(heading, justify="right")
    counts = [str(summary.counts[action]) for action in ACTIONS]
    table.add_row(str(summary.rows), *counts, f"{summary.rows_per_second:,.0f}")
    return table


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@tenant_option
@click.option("--format", "file_format", type=click.Choice(FORMATS), help="Default: by suffix")
@click.option("--match-on", type=click.Choice(MATCH_FIELDS), help="Upsert by this field")
@click.option("--dry-run", is_flag=True, help="Validate and match every row, write nothing")
@click.option("--empty-clears", is_flag=True, help="An empty cell clears its field")
@click.option(
    "--map", "mapping_file", type=click.File("rb"), help="JSON: file column -> field path"
)
@click.option("--preset", type=click.Choice(sorted(PRESETS)), help="A vendor's field names")
@click.option("--encoding", help="A CSV's encoding (default UTF-8)")
@click.option("--delimiter", help="A CSV's delimiter: , ; tab | (default: detected)")
@click.option("--sheet", help="An XLSX sheet (default: the first)")
@click.option(
    "--report",
    "report_file",
    type=click.File("w", encoding="utf-8"),
    help="Write the per-row report here (CSV; JSON Lines for a .jsonl name)",
)
@click.option(
    "--resume",
    "resume",
    type=click.UUID,
    help="Continue the interrupted import with this id (FILE must be its file; its options apply)",
)
@reports_errors
def import_command(
    file: Path,
    slug: str,
    file_format: str | None,
    mapping_file: IO[bytes] | None,
    report_file: IO[str] | None,
    resume: UUID | None,
    **flags: Any,
) -> None:
    """Import contacts from FILE (CSV, XLSX or JSON Lines). Exit code 0 when every row
    succeeded, 1 when some failed (the report says which), 2 on a usage error."""
    given = {
        name: ("true" if value is True else value)
        for name, value in flags.items()
        if value not in (None, False)
    }
    if file_format:
        given["format"] = file_format
    if mapping_file is not None:
        given["mapping"] = mapping_file.read().decode()
    services = open_services()
    actor = Actor(services.tenancy.get_tenant(slug), None, "cli")
    if resume is not None:
        given = dict(services.imports.jobs.get(actor, resume).options)
    console = Console(stderr=True)
    failed: list[RowResult] = []
    report = _Report(report_file, report_file.name.endswith(".jsonl")) if report_file else None

    def note(result: RowResult) -> None:
        if report:
            report.write(result)
        if result.action == "failed" and len(failed) < 20:
            failed.append(result)

    with file.open("rb") as binary:
        try:
            options = import_options(given, _format_hint(file), PRESETS)
            with _progress(console, file) as advance:

                def batch_done(summary: ImportSummary) -> None:
                    if not shown:
                        console.print(f"import {summary.id}")
                        shown.append(summary.id)
                    advance(summary, binary)

                shown: list[UUID] = []
                summary = services.imports.run(
                    actor, binary, options, note, batch_done,
                    given=given, file_name=file.name, resume=resume,
                )  # fmt: skip
        except ValidationFailed as error:
            details = "; ".join(found.detail for found in error.errors) or error.detail
            click.echo(f"error: {details}", err=True)
            sys.exit(USAGE_ERROR)
    console.print(_summary(summary))
    for result in failed:
        for found in result.errors:
            console.print(f"row {result.row}: {found.column or '-'}: {found.code}: {found.detail}")
    if summary.status == "cancelled":  # over HTTP: POST /v1/imports/{id}/cancel
        console.print(f"import {summary.id} was cancelled; the rows above are written")
    sys.exit(1 if summary.counts["failed"] or summary.status != "succeeded" else 0)


class _progress:
    """A progress bar of the file read so far, with rows, rows/s and the time left."""

    def __init__(self, console: Console, file: Path) -> None:
        self._size = os.path.getsize(file)
        self._bar = Progress(
            TextColumn("{task.fields[rows]:>10,} rows"),
            BarColumn(),
            TextColumn("{task.fields[speed]:>8,.0f} rows/s"),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self._task = self._bar.add_task("import", total=self._size, rows=0, speed=0.0)

    def __enter__(self) -> Callable[[ImportSummary, IO[bytes]], None]:
        self._bar.start()

        def advance(summary: ImportSummary, binary: IO[bytes]) -> None:
            done = binary.tell() if not binary.closed else self._size
            speed = summary.rows_per_second
            self._bar.update(self._task, completed=done, rows=summary.rows, speed=speed)

        return advance

    def __exit__(self, *_: object) -> None:
        self._bar.stop()


@click.command("export")
@tenant_option
@click.option("--format", "export_format", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--output", type=click.File("wb"), default="-", help="Default: standard output")
@click.option("--q", help="Free text, as the list's q")
@click.option("--kind", type=click.Choice(["company", "person"]))
@click.option("--archived", type=click.Choice(["false", "true", "all"]))
@click.option("--country-code")
@click.option("--tag")
@click.option("--external-ref")
@click.option("--is-customer", type=click.Choice(["true", "false"]))
@click.option("--is-supplier", type=click.Choice(["true", "false"]))
@click.option("--updated-since", help="ISO 8601 date-time")
@click.option("--check-status", type=click.Choice(["invalid", "pending", "unverified", "valid"]))
@click.option("--sort", default="number", show_default=True)
@reports_errors
def export_command(slug: str, export_format: str, output: IO[bytes], **filters: str | None) -> None:
    """Export the tenant's contacts (the filters of GET /v1/contacts) to standard output."""
    query, _ = parse_list_parameters({k: v for k, v in filters.items() if v is not None})
    services = open_services()
    actor = Actor(services.tenancy.get_tenant(slug), None, "cli")
    for chunk in services.exports.chunks(actor, query, parse_export_format(export_format)):
        output.write(chunk)
    output.flush()


def register(group: click.Group) -> None:
    group.add_command(import_command)
    group.add_command(export_command)
