"""Exporting the contacts a list query selects, streamed: keyset pages of PAGE_SIZE, one
short read transaction each, so memory stays flat and no transaction stays open while a
slow client reads. Formats: CSV (exactly the import's columns), XLSX, JSON Lines (the stored
documents) and vCard 4.0."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import IO, Any, Literal

import orjson

from counterparty.services.context import Actor
from counterparty.services.import_columns import column_order, flatten
from counterparty.services.listing import ContactQuery, sort_value
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions
from counterparty.services.vcards import vcards

ExportFormat = Literal["csv", "xlsx", "jsonl", "vcf"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "jsonl", "vcf")
MEDIA_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/jsonl",
    "vcf": "text/vcard; charset=utf-8",
}
PAGE_SIZE = 1000
SPILL_BYTES = 1 << 20


class ExportService:
    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions

    def documents(self, actor: Actor, query: ContactQuery) -> Iterator[bytes]:
        """Every selected contact's stored JSON, in the query's order."""
        page_query = replace(query, limit=PAGE_SIZE, offset=0)
        while True:
            positioned = page_query

            def work(uow: UnitOfWork, positioned: ContactQuery = positioned) -> list[Any]:
                return uow.contacts.search(actor.tenant_id, positioned)

            found = self._tx.read(work, actor)
            page = found[:PAGE_SIZE]
            for listed in page:
                yield listed.document
            if len(found) <= PAGE_SIZE:
                return
            last = page[-1]
            page_query = replace(page_query, after=(sort_value(last, query.sort), last.id))

    def chunks(
        self, actor: Actor, query: ContactQuery, export_format: ExportFormat
    ) -> Iterator[bytes]:
        """The export as pieces to send one after the other."""

        def select() -> Iterator[bytes]:
            return self.documents(actor, query)

        if export_format == "jsonl":
            return (document + b"\n" for document in select())
        if export_format == "vcf":
            return vcards(orjson.loads(document) for document in select())
        if export_format == "csv":
            return csv_chunks(select)
        return _file_chunks(lambda out: write_xlsx(select, out))


def _columns(select: Callable[[], Iterator[bytes]]) -> list[str]:
    """Every column the selection needs; a first pass keeps only the column names."""
    seen: set[str] = set()
    for document in select():
        seen.update(flatten(orjson.loads(document)))
    return column_order(seen)


def csv_chunks(select: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
    columns = _columns(select)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for document in select():
        cells = flatten(orjson.loads(document))
        writer.writerow([cells.get(column, "") for column in columns])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_xlsx(select: Callable[[], Iterator[bytes]], out: IO[bytes]) -> None:
    """The CSV's columns and cells in one sheet, written in openpyxl's streaming mode."""
    from openpyxl import Workbook  # only exports need it

    columns = _columns(select)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("contacts")
    sheet.append(columns)
    for document in select():
        cells = flatten(orjson.loads(document))
        sheet.append([cells.get(column) for column in columns])
    workbook.save(out)


def _file_chunks(write: Callable[[IO[bytes]], None]) -> Iterator[bytes]:
    """A format written to a file first (a workbook is a zip), then sent from it."""
    with tempfile.SpooledTemporaryFile(SPILL_BYTES) as spool:
        write(spool)
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk
