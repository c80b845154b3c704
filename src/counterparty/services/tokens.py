"""Opaque, tamper-proof tokens (cursors) signed with a tenant's own secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson

from counterparty.errors import InvalidCursor

_SIGNATURE_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(secret: bytes, payload: list[Any]) -> str:
    data = orjson.dumps(payload)
    signature = hmac.new(secret, data, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return f"{_b64(data)}.{_b64(signature)}"


def unseal(secret: bytes, token: str) -> list[Any]:
    """The payload of a token this tenant was given; anything else is an InvalidCursor.
    A token of another tenant fails too, because each tenant signs with its own secret."""
    try:
        encoded_data, encoded_signature = token.split(".")
        data, signature = _unb64(encoded_data), _unb64(encoded_signature)
    except ValueError:
        raise InvalidCursor("the cursor is not one this service issued") from None
    expected = hmac.new(secret, data, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    if not hmac.compare_digest(signature, expected):
        raise InvalidCursor("the cursor is not one this service issued")
    payload = orjson.loads(data)
    if not isinstance(payload, list):
        raise InvalidCursor("the cursor is not one this service issued")
    return payload
