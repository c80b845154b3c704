"""Each dialect's OpenAPI 3.1 document, generated from its field table and its operations.

Every member carries the page's type, length, pattern and nullability; every operation the
dialect serves is listed with the vendor's auth scheme and error shape. The document is served
at /compat/<vendor>/openapi.json and checked by schemathesis in the tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from counterparty.dialects.fields import WRITES, VendorField, Verb
from counterparty.domain.text import WITHOUT_CONTROLS
from counterparty.web.routing import Operation

# Whitespace Python's strip() removes that is not a control character (those are refused):
# for the patterns of query options a dialect reads stripped.
SPACE = r"[\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
Answer = Literal["record", "page", "none", "token", "metadata", "count"]
Schema = dict[str, Any]
_TYPES: dict[str, Schema] = {
    "text": {"type": "string", "pattern": WITHOUT_CONTROLS},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "scalar": {"type": ["string", "number", "boolean"]},
    "date": {"type": "string"},
    "datetime": {"type": "string"},
    "guid": {"type": "string", "format": "uuid"},
    "list": {"type": "array"},
    "object": {"type": "object"},
}


def error_schema(message: str, problems: str) -> Schema:
    """An error body: a `message` member, and `problems` listing messages by field."""
    listed = {"type": "array", "items": {"type": "string"}}
    return {
        "type": "object",
        "properties": {
            message: {"type": "string"},
            problems: {"type": "object", "additionalProperties": listed},
        },
        "required": [message],
    }


def member(
    row: VendorField,
    *,
    reading: bool,
    verb: Verb | None = None,
    widen: Callable[[VendorField, Schema], Schema] | None = None,
) -> Schema:
    """The JSON schema of one member, as answered (`reading`) or as a request may send it."""
    schema = dict(_TYPES[row.type])
    if row.type == "integer" and row.bits:
        schema.update(minimum=-(2 ** (row.bits - 1)), maximum=2 ** (row.bits - 1) - 1)
    if row.type == "decimal" and row.bounds and not reading:
        schema.update(minimum=row.bounds[0], maximum=row.bounds[1])
    if row.decimals is not None and not reading:
        schema["multipleOf"] = 10**-row.decimals
    if row.type == "integer" and row.bounds and not reading:
        low = max(row.bounds[0], 1) if verb in row.required else row.bounds[0]  # 0 is "none"
        schema.update(minimum=low, maximum=row.bounds[1])
    if row.type == "list" and row.members:
        schema["items"] = record(row.members, reading=reading, verb=verb, widen=widen)
    elif row.type == "list":
        item = VendorField(row.name, row.items or "text", row.canonical, bits=row.bits,
                           nullable=False, required=WRITES)  # fmt: skip
        schema["items"] = member(item, reading=reading, verb=verb, widen=widen)
    if row.type == "object" and row.members:
        schema = record(row.members, reading=reading, verb=verb, widen=widen)
    if not reading and row.type in ("date", "datetime"):
        schema["format"] = "date" if row.type == "date" else "date-time"
    # required, or text that may be left out but never blanked
    needed = not reading and (verb in row.required or not row.blank)
    if not reading and row.type == "text":
        if row.max_length is not None:
            schema["maxLength"] = row.max_length
        if row.pattern is not None:  # checked once trimmed; blank text is no value
            schema["pattern"] = rf"^\s*(?:{row.pattern}){'' if needed else '?'}\s*$"
    if needed and row.type == "text" and row.pattern is None:
        schema.update(minLength=1, pattern=r"\S")  # a value, not blank text
    if row.type == "text" and schema.get("pattern", WITHOUT_CONTROLS) != WITHOUT_CONTROLS:
        schema["allOf"] = [{"pattern": WITHOUT_CONTROLS}]  # and no control characters
    if not reading and widen is not None:
        schema = widen(row, schema)
    if (row.nullable and reading) or (not reading and not needed):
        kind = schema.get("type")
        schema = {**schema, "type": [kind, "null"]} if isinstance(kind, str) else {
            "anyOf": [schema, {"type": "null"}]}  # fmt: skip
    return schema


def record(
    table: Iterable[VendorField],
    *,
    reading: bool,
    verb: Verb | None = None,
    widen: Callable[[VendorField, Schema], Schema] | None = None,
) -> Schema:
    """An answer (every member present) or a request body of `verb` (its required members)."""
    rows = [row for row in table if reading or (not row.read_only and verb in row.writes)]
    schema: Schema = {
        "type": "object",
        "properties": {
            row.name: member(row, reading=reading, verb=verb, widen=widen) for row in rows
        },
    }
    required = [row.name for row in rows if (reading and not row.omitted) or verb in row.required]
    if required:
        schema["required"] = required
    conditions = [row for row in rows if row.required_if and not reading and verb != "PATCH"]
    if conditions:  # Laravel's required_if, as JSON Schema's if/then
        schema["allOf"] = [
            {"if": {"properties": {row.required_if[0]: {"const": row.required_if[1]}},
                    "required": [row.required_if[0]]},
             "then": {"properties": {row.name: {"type": "string", "pattern": r"\S"}},
                      "required": [row.name]}}
            for row in conditions if row.required_if
        ]  # fmt: skip
    return schema


@dataclass(frozen=True)
class Published:
    """What a dialect publishes besides its operations: the shapes around its records."""

    title: str
    table: tuple[VendorField, ...]
    security: Schema
    error: Schema
    answers: Mapping[str, Answer]  # operation id -> what its success answers with
    envelope: Callable[[Schema], Schema] = lambda entity: entity  # one record as answered
    page: Callable[[Schema], Schema] = lambda entity: {"type": "array", "items": entity}
    media: tuple[str, ...] = ("application/json",)
    # how a request member's schema widens with the dialect's conversions (Json.NET's)
    widen: Callable[[VendorField, Schema], Schema] | None = None
    extra: Mapping[str, Schema] = field(default_factory=dict)  # e.g. the token answer
    closed: bool = False  # whether the vendor refuses members it does not have
    # whether the answers' read-only members, which a client may send back, are type-checked
    # (else any value is ignored)
    read_only_checked: bool = False
    annotations: str | None = None  # a pattern of member names the vendor ignores ("^@")


def closed(schema: Schema, ignored: Mapping[str, Schema] | None = None) -> Schema:
    """A request schema that allows no other members, at every depth; `ignored` members (the
    answers' read-only ones, which a client may send back) are allowed at the top, as their
    schema says."""
    if "properties" in schema:
        properties = {name: closed(value) for name, value in schema["properties"].items()}
        schema = {**schema, "properties": {**(ignored or {}), **properties},
                  "additionalProperties": False}  # fmt: skip
    if "items" in schema:
        schema = {**schema, "items": closed(schema["items"])}
    if "anyOf" in schema:
        schema = {**schema, "anyOf": [closed(option) for option in schema["anyOf"]]}
    return schema


def _body(operation: Operation, published: Published) -> Schema | None:
    if operation.method not in ("POST", "PUT", "PATCH"):
        return None
    if published.answers.get(operation.operation_id) == "token":
        form = published.extra["token_request"]
        return {"required": True, "content": {operation.body_media_types[0]: {"schema": form}}}
    verb: Verb = operation.method  # type: ignore[assignment]
    schema = record(published.table, reading=False, verb=verb, widen=published.widen)
    if published.closed:
        kept = published.read_only_checked
        schema = closed(schema, {
            row.name: member(replace(row, read_only=False), reading=False, verb=verb) if kept
            else {} for row in published.table if row.read_only})  # fmt: skip
        if published.annotations:
            schema["patternProperties"] = {published.annotations: {}}
    media = [kind for kind in operation.body_media_types if kind.endswith("json")]
    return {"required": True, "content": {kind: {"schema": schema} for kind in media}}


def _success(operation: Operation, published: Published) -> Schema:
    answer = published.answers.get(operation.operation_id, "record")
    entity = {"$ref": "#/components/schemas/Record"}
    if answer == "none" or operation.status == 204:
        return {"description": operation.response_description}
    schemas = {
        "record": published.envelope(entity),
        "page": published.page(entity),
        "token": published.extra.get("token", {}),
        "metadata": {"type": "string"},
        "count": {"type": "string", "pattern": "^[0-9]+$"},
    }
    media = {"metadata": "application/xml", "count": "text/plain"}.get(answer, "application/json")
    return {
        "description": operation.response_description,
        "content": {media: {"schema": schemas[answer]}},
    }


def document(published: Published, operations: Iterable[Operation], version: str) -> Schema:
    """The OpenAPI 3.1 document of a dialect (its catch-all routes left out)."""
    paths: dict[str, Any] = {}
    error = {"$ref": "#/components/schemas/Error"}
    for operation in operations:
        if operation.tag == "routing" or "{path:path}" in operation.path:
            continue
        responses = {str(operation.status): _success(operation, published)}
        for status in sorted({*operation.errors, 401, 429, 500} - {operation.status}):
            responses[str(status)] = {
                "description": "The vendor's error shape",
                "content": {"application/json": {"schema": error}},
            }
        entry: Schema = {
            "operationId": operation.operation_id,
            "summary": operation.summary,
            "responses": responses,
        }
        parameters = [
            {"name": p.name, "in": p.where, "required": p.required or p.where == "path",
             "schema": p.schema, **({"description": p.description} if p.description else {})}
            for p in operation.parameters
        ]  # fmt: skip
        if parameters:
            entry["parameters"] = parameters
        if body := _body(operation, published):
            entry["requestBody"] = body
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", operation.path)  # no router convertors
        paths.setdefault(path, {})[operation.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": published.title, "version": version},
        "paths": paths,
        "components": {
            "schemas": {"Record": record(published.table, reading=True), "Error": published.error},
            "securitySchemes": {"vendor": published.security},
        },
        "security": [{"vendor": []}],
    }
