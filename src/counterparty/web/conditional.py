"""Conditional requests (RFC 9110 §13): strong ETags from versions, If-Match, If-None-Match."""

from __future__ import annotations

import re

from starlette.requests import Request

from counterparty.domain.text import decimal_digits
from counterparty.services.writes import IfMatch

_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')
# Versions are stored as 32-bit integers: a larger one names no version that can exist.
MAX_VERSION = 2**31 - 1


def etag(version: int) -> str:
    return f'"{version}"'


def _versions(header: str) -> IfMatch:
    """The versions a list of entity tags names. Weak tags never match a strong comparison,
    and tags we did not issue match nothing, so both fall out of the set."""
    if header.strip() == "*":
        return "*"
    versions = set()
    for weak, opaque in _ENTITY_TAG.findall(header):
        if not weak and decimal_digits(opaque) and len(opaque) <= 10 and int(opaque) <= MAX_VERSION:
            versions.add(int(opaque))
    return frozenset(versions)


def if_match(request: Request) -> IfMatch | None:
    header = request.headers.get("if-match")
    return None if header is None else _versions(header)


def not_modified(request: Request, version: int) -> bool:
    """If-None-Match uses the weak comparison: W/"3" and "3" both match version 3."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return any(opaque == str(version) for _, opaque in _ENTITY_TAG.findall(header))
