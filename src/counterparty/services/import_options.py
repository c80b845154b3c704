"""Import and export options from text (query parameters, form fields, command-line
options): every bad one is reported at once, before a file is read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from counterparty.errors import FieldError, ValidationFailed
from counterparty.services.batch_matching import MATCH_FIELDS
from counterparty.services.exports import EXPORT_FORMATS, ExportFormat
from counterparty.services.import_files import FORMATS, codec
from counterparty.services.imports import ImportOptions, Preset

OPTIONS = (
    "format", "match_on", "dry_run", "empty_clears", "mapping", "preset", "encoding",
    "delimiter", "sheet",
)  # fmt: skip
DELIMITER_NAMES = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def _invalid(errors: list[FieldError]) -> ValidationFailed:
    return ValidationFailed(f"{errors[0].parameter}: {errors[0].detail}", errors=errors)


def parse_mapping(raw: str) -> dict[str, str | None]:
    """A mapping as JSON text: {"file column": "canonical.path" or null to ignore it}."""
    try:
        mapping = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        detail = f"not JSON: {error}"
        raise _invalid([FieldError("invalid_json", detail, parameter="mapping")]) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(value, str | None) for value in mapping.values()
    ):
        detail = 'a JSON object of column -> field path or null, e.g. {"Firma": "name"}'
        raise _invalid([FieldError("invalid_type", detail, parameter="mapping")])
    return mapping


def import_options(
    given: Mapping[str, str], hint: str | None, presets: Mapping[str, Preset]
) -> ImportOptions:
    """The options (`only=failed` is an option of an import's results, not of the import)."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    def fail(name: str, code: str, detail: str) -> None:
        errors.append(FieldError(code, detail, parameter=name))

    def choice(name: str, choices: Any) -> str | None:
        raw = given.get(name)
        if raw is not None and raw not in choices:
            fail(name, "invalid_choice", "one of " + ", ".join(choices))
            return None
        return raw

    unknown = [name for name in given if name not in OPTIONS]
    for name in unknown:
        fail(name, "unknown_parameter", f"'{name}' is not an import option")
    values["format"] = choice("format", FORMATS) or hint or "csv"
    values["match_on"] = choice("match_on", MATCH_FIELDS)
    for name in ("dry_run", "empty_clears"):
        values[name] = choice(name, ("true", "false")) == "true"
    if (preset := choice("preset", sorted(presets))) is not None:
        values["preset"] = presets[preset]
    if (raw := given.get("mapping")) is not None:
        try:
            values["mapping"] = parse_mapping(raw)
        except ValidationFailed as error:
            errors += error.errors
    if preset is not None and raw is not None:
        fail("mapping", "conflict", "a preset names the columns: send mapping or preset")
    if (delimiter := given.get("delimiter")) is not None:
        values["delimiter"] = DELIMITER_NAMES.get(delimiter, delimiter)
    values["encoding"], values["sheet"] = given.get("encoding"), given.get("sheet")
    if values["encoding"] is not None:
        try:  # whatever the format: an option the service cannot honour is refused, not ignored
            codec(values["encoding"])
        except ValidationFailed as error:
            errors += error.errors
    if errors:
        raise _invalid(errors)
    return ImportOptions(**values)


def parse_export_format(raw: str | None) -> ExportFormat:
    for candidate in EXPORT_FORMATS:
        if raw == candidate:
            return candidate
    detail = "one of " + ", ".join(EXPORT_FORMATS)
    raise _invalid(
        [FieldError("invalid_choice" if raw else "required", detail, parameter="format")]
    )
