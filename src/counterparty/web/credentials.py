"""Where clients put their API key: Bearer token, HTTP Basic, or a query parameter."""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """(user, password) from an `Authorization: Basic` header, if well-formed."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, separator, password = decoded.partition(":")
    return (user, password) if separator else None
