"""The .NET DataContract XML shape of ASP.NET Web API bodies (iDoklad documents it), and the
negotiation between it and JSON (`read_request`, `answer`).

Reading: the root element's children by local name, `i:nil="true"` as null, nested objects as
dicts; what a member holds is converted by the table row's type, so the same checks as for JSON
follow. Writing: the root in the models' namespace, the base-model members (`Id`, `Links`) in
their own, the others in alphabetical order (DataContract's default), `i:nil` for nulls.
Parsing goes through defusedxml: no entity expansion, no external resources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml.ElementTree import ParseError, fromstring
from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.fields import VendorField
from counterparty.errors import MalformedRequest
from counterparty.web.http import json_response, media_type, read_body, read_json
from counterparty.web.state import limits

XML_TYPES = ("application/xml", "text/xml")
INSTANCE = "http://www.w3.org/2001/XMLSchema-instance"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
BASE_MEMBERS = ("Id", "Links")


def wants_xml(accept: str) -> bool:
    """Whether an Accept header prefers XML to JSON (the first of them it names)."""
    for part in accept.split(","):
        kind = part.split(";", 1)[0].strip().lower()
        if kind in XML_TYPES:
            return True
        if kind in ("application/json", "text/json", "*/*"):
            return False
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _value(element: Element, row: VendorField | None) -> Any:
    if element.get(f"{{{INSTANCE}}}nil") == "true":
        return None
    if row is not None and row.type == "object":
        return _members(element, row.members)
    text = element.text or ""
    kind = row.type if row is not None else "text"
    try:
        if kind == "integer":
            return int(text.strip())
        if kind == "decimal":
            return float(text.strip())
    except ValueError:
        return text  # the checks refuse it as they refuse a JSON string
    if kind == "boolean" and text.strip() in ("true", "false"):
        return text.strip() == "true"
    return text


def _members(element: Element, table: Sequence[VendorField]) -> dict[str, Any]:
    rows = {row.name: row for row in table}
    return {
        _local(child.tag): _value(child, rows.get(_local(child.tag)))
        for child in element
        if _local(child.tag) not in BASE_MEMBERS
    }


def read(body: bytes, table: Sequence[VendorField]) -> dict[str, Any]:
    """A DataContract body as the dict a JSON body of the same members would be."""
    try:
        root = fromstring(body)
    except (ParseError, ValueError) as problem:
        raise MalformedRequest(f"the body is not readable XML: {problem}") from None
    return _members(root, table)


def _write(parent: Element, name: str, value: Any, namespace: str, base: str) -> None:
    element = SubElement(parent, f"{{{base if name in BASE_MEMBERS else namespace}}}{name}")
    if value is None:
        element.set(f"{{{INSTANCE}}}nil", "true")
    elif isinstance(value, Mapping):
        _fill(element, value, namespace, base)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def _fill(element: Element, members: Mapping[str, Any], namespace: str, base: str) -> None:
    for name in BASE_MEMBERS:
        if name == "Links":
            SubElement(element, f"{{{base}}}Links")
        elif name in members:
            _write(element, name, members[name], namespace, base)
    for name in sorted(set(members) - set(BASE_MEMBERS)):
        _write(element, name, members[name], namespace, base)


def write(root: str, members: Mapping[str, Any], namespace: str, base: str) -> bytes:
    """A DataContract document: `<root>` in `namespace`, `Id`/`Links` in `base`."""
    element = Element(f"{{{namespace}}}{root}")
    _fill(element, members, namespace, base)
    document: bytes = tostring(element, encoding="utf-8", xml_declaration=False)
    return document


async def read_request(
    request: Request, table: Sequence[VendorField], json_types: Sequence[str]
) -> Any:
    """A request body as JSON (one of `json_types`), or as DataContract XML, as ASP.NET's
    formatters read them: the same dict either way."""
    most = limits(request).max_body_bytes
    if media_type(request) in XML_TYPES:
        return read(await read_body(request, most), table)
    return await read_json(request, most, (*json_types, *XML_TYPES))


def answer(
    request: Request, root: str, members: Mapping[str, Any], namespace: str, base: str
) -> Response:
    """A record as JSON, or as a DataContract document when the request's Accept prefers XML."""
    if wants_xml(request.headers.get("accept", "")):
        return Response(write(root, members, namespace, base), media_type="application/xml")
    return json_response(members)
