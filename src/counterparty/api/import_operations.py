"""Imports (upload, status, results, resume, cancel) and GET /v1/contacts/export, declared
once for the router and OpenAPI."""

from __future__ import annotations

from pydantic import BaseModel, Field

from counterparty.api import import_jobs as jobs
from counterparty.api import imports as handlers
from counterparty.api.parameters import LIST_PARAMETERS
from counterparty.services.batch_matching import MATCH_FIELDS
from counterparty.services.exports import EXPORT_FORMATS, MEDIA_TYPES
from counterparty.services.import_files import ENCODINGS, FORMATS
from counterparty.web.routing import Operation, Parameter

BOOLEAN = {"type": "string", "enum": ["true", "false"], "default": "false"}
PRESETS = ["faturaentegrator", "idoklad", "muhasip", "odyssee", "wacs"]


class ImportUpload(BaseModel):
    """A multipart upload: the file, and any option as a field of its own."""

    file: bytes = Field(description="The CSV, XLSX or JSON Lines file")
    mapping: str | None = Field(None, description="As the `mapping` query parameter")


IMPORT_PARAMETERS = (
    Parameter(
        "format",
        "query",
        {"type": "string", "enum": list(FORMATS)},
        "Default: from the Content-Type or the file name, else csv",
    ),
    Parameter(
        "match_on",
        "query",
        {"type": "string", "enum": list(MATCH_FIELDS)},
        "Upsert: a row that finds a contact by this field updates it (a merge: empty cells "
        "change nothing), one that finds none creates one. Without it every row creates.",
    ),
    Parameter("dry_run", "query", BOOLEAN, "Validate and match every row, write nothing"),
    Parameter("empty_clears", "query", BOOLEAN, "An empty cell clears its field"),
    Parameter(
        "mapping",
        "query",
        {"type": "string"},
        "JSON object: file column -> canonical field path, or null to ignore the column, "
        'e.g. {"Firma Unvanı": "name", "Vergi No": "tax_id"}',
    ),
    Parameter(
        "preset",
        "query",
        {"type": "string", "enum": PRESETS},
        "Read a vendor's own field names and value conventions (docs/import-export.md)",
    ),
    Parameter(
        "encoding",
        "query",
        {"type": "string", "enum": list(ENCODINGS)},
        "A CSV's encoding (default UTF-8, with or without a BOM)",
    ),
    Parameter(
        "delimiter",
        "query",
        {"type": "string", "enum": [",", ";", "tab", "|"]},
        "A CSV's delimiter (default: detected from the header: `,`, `;` or tab)",
    ),
    Parameter("sheet", "query", {"type": "string"}, "An XLSX sheet (default: the first)"),
)
IMPORT_ID = Parameter("import_id", "path", {"type": "string", "format": "uuid"})
EXPORT_FILTERS = tuple(p for p in LIST_PARAMETERS if p.name not in ("limit", "cursor"))

IMPORT_OPERATIONS = (
    Operation(
        "POST",
        "/v1/imports",
        handlers.import_contacts,
        "importContacts",
        "Import a contact book: CSV, XLSX or JSON Lines, as a job with a per-row report",
        tag="imports",
        description="Send the file as the body (options as query parameters) or as the "
        "`file` part of a multipart form (options as query parameters or form fields). The "
        "file is kept and checked (a file that cannot be read as a whole is a 422 and is not "
        "kept), then the import is queued: the answer is 202 with its status, and Location "
        "is where to follow it (GET /v1/imports/{import_id}). The server's import worker runs "
        "it (dry runs too); its rows are then at GET /v1/imports/{import_id}/results. Each "
        "row is written as an item of POST /v1/contacts/batch would be: the same validation, "
        "checks and history (entry point `import`, request id = the import's id), in batches "
        "that each commit on their own, so one bad row never stops the others. Columns are "
        "canonical field paths (`address.city`, `bank_accounts.0.iban`, `tags` separated by "
        "`;`). With `match_on`, importing the same file again leaves every row `unchanged`. "
        "Uploads above COUNTERPARTY_MAX_IMPORT_BYTES (1 GiB by default) are a 413 before "
        "they are stored.",
        body=ImportUpload,
        body_media_types=("multipart/form-data",),
        file_media_types=("text/csv", "application/jsonl", MEDIA_TYPES["xlsx"]),
        status=202,
        response=jobs.ImportStatus,
        response_description="Accepted: the import is queued",
        response_headers=("Location",),
        errors=(400, 413, 422),
        parameters=IMPORT_PARAMETERS,
    ),
    Operation(
        "GET",
        "/v1/imports",
        jobs.list_imports,
        "listImports",
        "The tenant's imports, newest first",
        tag="imports",
        response=jobs.ImportList,
    ),
    Operation(
        "GET",
        "/v1/imports/{import_id}",
        jobs.get_import,
        "getImport",
        "One import: its status, counts per action, rows done, rows/s and time left",
        tag="imports",
        description="Each batch of rows commits with its results and the import's progress, "
        "so what this shows is exactly what is stored. An import whose server stopped is "
        "`interrupted`; one whose process died shows as `interrupted` after 60 s without a "
        "sign of life.",
        response=jobs.ImportStatus,
        errors=(404,),
        parameters=(IMPORT_ID,),
    ),
    Operation(
        "GET",
        "/v1/imports/{import_id}/results",
        jobs.import_results,
        "getImportResults",
        "The per-row report of an import, streamed: JSON Lines or CSV",
        tag="imports",
        response_description="One line per row (CSV: per row and error), in row order",
        response_media_types=tuple(jobs.RESULT_FORMATS.values()),
        errors=(404, 422),
        parameters=(
            IMPORT_ID,
            Parameter("format", "query", {"type": "string", "enum": ["jsonl", "csv"]}),
            Parameter("only", "query", {"type": "string", "enum": ["failed"]}),
        ),
    ),
    Operation(
        "POST",
        "/v1/imports/{import_id}/resume",
        jobs.resume_import,
        "resumeImport",
        "Continue an interrupted import after its last committed row",
        tag="imports",
        description="The import is queued again with its kept file and its options; it "
        "skips the rows up to its last committed row and adds to the same counts and "
        "results, so the end result equals an uninterrupted run. Only an interrupted import "
        "whose file this server still has resumes (else 409; an import started from the "
        "command line resumes there).",
        status=202,
        response=jobs.ImportStatus,
        response_description="Accepted: the import is queued again",
        response_headers=("Location",),
        errors=(404, 409),
        parameters=(IMPORT_ID,),
    ),
    Operation(
        "POST",
        "/v1/imports/{import_id}/cancel",
        jobs.cancel_import,
        "cancelImport",
        "Cancel an import: at once when queued or interrupted, else after its current batch",
        tag="imports",
        description="A queued or interrupted import is `cancelled` at once and its file "
        "deleted. A running one gets `cancel_requested` and stops after the batch it is "
        "writing (the batches before stay written), then shows `cancelled`. An import that "
        "ended (succeeded, failed, cancelled) is a 409.",
        status=202,
        response=jobs.ImportStatus,
        response_description="Accepted: the import is cancelled, or stops after its batch",
        response_headers=("Location",),
        errors=(404, 409),
        parameters=(IMPORT_ID,),
    ),
    Operation(
        "GET",
        "/v1/contacts/export",
        handlers.export_contacts,
        "exportContacts",
        "Export the contacts the list filters select: CSV, XLSX, JSON Lines or vCard",
        description="Streamed in pages, ordered by number unless `sort` says otherwise. CSV "
        "and XLSX have exactly the import's columns (export, import into an empty tenant and "
        "export again gives the same file); JSON Lines has the stored contacts; vCard 4.0 "
        "has a card per contact and per contact person, RELATED to its company.",
        response_description="The file",
        response_media_types=tuple(MEDIA_TYPES.values()),
        errors=(400, 422),
        parameters=(
            Parameter(
                "format", "query", {"type": "string", "enum": list(EXPORT_FORMATS)}, required=True
            ),
            *EXPORT_FILTERS,
        ),
    ),
)
