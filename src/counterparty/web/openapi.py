"""The OpenAPI 3.1 document, built from the same Operation declarations as the router."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from counterparty.web.routing import Operation

REF_TEMPLATE = "#/components/schemas/{model}"
FILE = {"type": "string", "format": "binary"}

STATUS_TEXT = {
    204: "Done; nothing to show (an erased contact that had been deleted)",
    304: "Not modified: the representation matches If-None-Match",
    400: "Malformed request: unreadable JSON, a bad header, a control character in a query "
    "parameter or a tampered cursor",
    401: "Missing, unknown or revoked API key",
    404: "No such resource for this tenant",
    409: "Conflict with the current state",
    412: "If-Match does not match the current version",
    413: "Request body larger than the limit",
    415: "Unsupported Content-Type",
    422: "Invalid field or parameter values; see `errors`",
    428: "If-Match is required for this write",
    429: "The API key's rate limit is used up, or this address failed to authenticate too "
    "often; see Retry-After",
    500: "Unexpected server error",
}


def build_document(
    *,
    title: str,
    version: str,
    description: str,
    operations: Iterable[Operation],
    error_model: type[BaseModel],
    error_media_type: str,
    headers: Mapping[str, dict[str, Any]],
    security_scheme: dict[str, Any],
    extra_models: Sequence[type[BaseModel]] = (),
) -> dict[str, Any]:
    operations = list(operations)
    wanted: list[tuple[type[BaseModel], Any]] = [(error_model, "serialization")]
    wanted += [(model, "serialization") for model in extra_models]
    for operation in operations:
        if operation.body is not None:
            wanted.append((operation.body, "validation"))
        if operation.response is not None:
            wanted.append((operation.response, "serialization"))
    unique = list(dict.fromkeys(wanted))
    refs, definitions = models_json_schema(unique, ref_template=REF_TEMPLATE)

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return refs[(model, mode)]  # type: ignore[index]

    paths: dict[str, dict[str, Any]] = {}
    for operation in operations:
        responses: dict[str, Any] = {}
        success: dict[str, Any] = {"description": operation.response_description}
        if operation.response is not None:
            success["content"] = {
                "application/json": {"schema": ref(operation.response, "serialization")}
            }
        for media in operation.response_media_types:
            success.setdefault("content", {})[media] = {"schema": FILE}
        if operation.response_headers:
            success["headers"] = {name: headers[name] for name in operation.response_headers}
        responses[str(operation.status)] = success
        # Any operation refuses a control character in a query parameter (400).
        for status in sorted({400, 401, 429, 500, *operation.errors}):
            if status in (204, 304):  # answers without a body
                responses[str(status)] = {"description": STATUS_TEXT[status]}
                continue
            responses[str(status)] = {
                "description": STATUS_TEXT[status],
                "content": {error_media_type: {"schema": ref(error_model, "serialization")}},
            }
        entry: dict[str, Any] = {
            "operationId": operation.operation_id,
            "summary": operation.summary,
            "tags": [operation.tag],
            "responses": responses,
        }
        if operation.description:
            entry["description"] = operation.description
        if operation.parameters:
            entry["parameters"] = [
                {
                    "name": parameter.name,
                    "in": parameter.where,
                    "required": parameter.required or parameter.where == "path",
                    "schema": parameter.schema,
                    **({"description": parameter.description} if parameter.description else {}),
                }
                for parameter in operation.parameters
            ]
        content = {media: {"schema": FILE} for media in operation.file_media_types}
        if operation.body is not None:
            schema = ref(operation.body, "validation")
            content |= {media: {"schema": schema} for media in operation.body_media_types}
        if content:
            entry["requestBody"] = {"required": operation.body_required, "content": content}
        paths.setdefault(operation.path, {})[operation.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"apiKey": security_scheme},
        },
        "security": [{"apiKey": []}],
    }


# Swagger UI is served by the service itself (the files of the swagger-ui-py package, which
# ships swagger-ui-dist with its Apache-2.0 licence): /docs works without internet access.
DOCS_ASSETS = "/docs/assets/"
SWAGGER_FILES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "LICENSE": "text/plain",
}
SWAGGER_UI = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="icon" href="{assets}favicon-32x32.png">
  <link rel="stylesheet" href="{assets}swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{assets}swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({{url: "{spec_url}", dom_id: "#swagger-ui", validatorUrl: null}});
  </script>
</body>
</html>
"""


def docs_page(title: str, spec_url: str) -> str:
    """Interactive documentation; every file it loads comes from this service."""
    return SWAGGER_UI.format(title=title, spec_url=spec_url, assets=DOCS_ASSETS)


@cache
def swagger_asset(name: str) -> tuple[bytes, str] | None:
    """The content and media type of one Swagger UI file, or None for any other name."""
    if name not in SWAGGER_FILES:
        return None
    return (files("swagger_ui") / "static" / name).read_bytes(), SWAGGER_FILES[name]
