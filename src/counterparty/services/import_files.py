"""Reading an import file row by row: CSV, XLSX and JSON Lines, each with flat memory.

Rows are numbered as a spreadsheet user counts them: the header is row 1 (a CSV cell that
spans lines is still one row); in JSON Lines the line number. Blank rows are skipped but
counted. Everything that makes a whole file unreadable (an encoding it is not in, a missing
header, no first sheet) is found before the first row is read, so such a file changes
nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any, Literal

import orjson

from counterparty.errors import FieldError, ValidationFailed

Format = Literal["csv", "xlsx", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "jsonl")
# What CSV files from the seed vendors' countries come in; UTF-8 may start with a BOM.
ENCODINGS = ("utf-8", "windows-1254", "windows-1250", "windows-1252", "iso-8859-9")
DELIMITERS = (",", ";", "\t")
CHUNK = 1 << 20
MAX_CELL = 1 << 20  # characters in one CSV cell; a longer one is a broken file

Row = tuple[int, list[str]]  # row number, cells as text
Line = tuple[int, Any]  # line number, parsed JSON (or the error that line is)


def unreadable(
    detail: str, code: str = "unreadable_file", parameter: str | None = "file"
) -> ValidationFailed:
    return ValidationFailed(detail, errors=[FieldError(code, detail, parameter=parameter)])


def codec(encoding: str | None) -> str:
    """The codec to read a CSV with: UTF-8 (a BOM skipped) unless one of ENCODINGS is named."""
    name = (encoding or "utf-8").strip().lower()
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = ""
    if canonical not in {codecs.lookup(known).name for known in ENCODINGS}:
        raise unreadable(
            f"encoding '{encoding}' is not supported; use one of {', '.join(ENCODINGS)}",
            "invalid_choice",
            "encoding",
        )
    return "utf-8-sig" if canonical == "utf-8" else canonical


def _check_decodes(binary: IO[bytes], encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, line = 0, 1
    while chunk := binary.read(CHUNK):
        try:
            line += decoder.decode(chunk).count("\n")
        except UnicodeDecodeError as error:
            line += chunk[: error.start].count(b"\n")
            shown = "UTF-8" if encoding == "utf-8-sig" else encoding
            raise unreadable(
                f"the file is not {shown} (byte {offset + error.start + 1}, near line {line}); "
                "name its encoding with `encoding`",
                "invalid_encoding",
            ) from None
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise unreadable("the file ends inside a character", "invalid_encoding") from None
    binary.seek(0)


class _Borrowed(io.BufferedIOBase):
    """The caller's file, read through. The text reader over it may be dropped before the
    file is done with (a check reads the header only): closing this leaves the file open,
    for its owner to close."""

    def __init__(self, binary: IO[bytes]) -> None:
        super().__init__()
        self._binary = binary

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._binary.read(-1 if size is None else size)

    def read1(self, size: int = -1) -> bytes:
        return self._binary.read(size)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._binary.seek(offset, whence)

    def tell(self) -> int:
        return self._binary.tell()


def last_line(binary: IO[bytes]) -> int:
    """The number of the file's last line (a pass over its bytes, then back to its start)."""
    lines, last = 0, b"\n"
    while chunk := binary.read(CHUNK):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    binary.seek(0)
    return lines + (last != b"\n")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header uses most of: `;`, `,` or tab (`,` on a tie or none)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def csv_rows(
    binary: IO[bytes], encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[str], Iterator[Row]]:
    """The header and the rows of a CSV file."""
    name = codec(encoding)
    if delimiter is not None and delimiter not in (*DELIMITERS, "|"):
        raise unreadable("delimiter is one of ',', ';', tab or '|'", "invalid_choice", "delimiter")
    _check_decodes(binary, name)
    text = io.TextIOWrapper(_Borrowed(binary), encoding=name, newline="")  # type: ignore[type-var]
    first = text.readline()
    if not first.strip():
        raise unreadable("the file has no header row (row 1 names the columns)", "no_header")
    chosen = delimiter or sniff_delimiter(first)
    text.seek(0)
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(text, delimiter=chosen)
    headers = [cell.strip() for cell in next(reader)]

    def rows() -> Iterator[Row]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except csv.Error as error:
            raise unreadable(f"row {number + 1}: {error}", "malformed_csv") from None

    return headers, rows()


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def xlsx_rows(
    binary: IO[bytes], sheet: str | None = None
) -> tuple[list[str], Iterator[Row], int | None]:
    """The header and rows of an XLSX workbook's first sheet (or `sheet`), read in
    openpyxl's streaming (read-only) mode, and its last row number when the sheet declares
    its dimension (Excel does; streaming writers may not)."""
    from openpyxl import load_workbook  # only imports need it

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise unreadable(f"the file is not an XLSX workbook ({error})") from None
    if sheet is not None and sheet not in workbook.sheetnames:
        raise unreadable(
            f"no sheet '{sheet}'; the workbook has {', '.join(workbook.sheetnames)}",
            "invalid_choice",
            "sheet",
        )
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    values = worksheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None or not any(cell is not None for cell in first):
        raise unreadable("the sheet has no header row (row 1 names the columns)", "no_header")
    headers = [_xlsx_text(cell).strip() for cell in first]
    while headers and not headers[-1]:
        headers.pop()

    def rows() -> Iterator[Row]:
        try:
            for number, cells in enumerate(values, start=2):
                texts = [_xlsx_text(cell) for cell in cells]
                if any(text.strip() for text in texts):
                    yield number, texts
        finally:
            workbook.close()

    declared = worksheet.max_row
    return headers, rows(), declared if isinstance(declared, int) else None


def jsonl_lines(binary: IO[bytes]) -> Iterator[Line]:
    """Each non-blank line parsed; a line that is not JSON is its own error."""
    _check_decodes(binary, "utf-8-sig")
    first = True
    for number, raw in enumerate(binary, start=1):
        line = raw[3:] if first and raw.startswith(codecs.BOM_UTF8) else raw
        first = False
        if not line.strip():
            continue
        try:
            yield number, orjson.loads(line)
        except orjson.JSONDecodeError as error:
            yield number, unreadable(f"line {number} is not JSON: {error}", "invalid_json", None)
