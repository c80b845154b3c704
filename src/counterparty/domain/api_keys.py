"""API key format: `cpk_` + 32 random base62 characters + a 6-character CRC32 checksum.

The fixed prefix lets secret scanners find leaked keys; the checksum lets them confirm a
find offline. Only a SHA-256 hash of a key is stored; the key is random enough that a fast
hash is safe, unlike a password. The first 12 characters are kept to tell keys apart.
"""

from __future__ import annotations

import hashlib
import secrets
import string
import zlib

KEY_PREFIX = "cpk_"
KEY_PATTERN = r"cpk_[0-9A-Za-z]{38}"
DISPLAY_PREFIX_LENGTH = 12
MAX_PRESENTED_KEY_LENGTH = 256

_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
_BODY_LENGTH = 32
_CHECKSUM_LENGTH = 6


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, remainder = divmod(number, 62)
        digits.append(_ALPHABET[remainder])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), _CHECKSUM_LENGTH)


def generate_key() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_BODY_LENGTH))
    return KEY_PREFIX + body + _checksum(body)


def has_valid_checksum(key: str) -> bool:
    """True for a well-formed counterparty key (what a leak scanner would check)."""
    if not key.startswith(KEY_PREFIX) or len(key) != len(KEY_PREFIX) + 38:
        return False
    body, checksum = key[len(KEY_PREFIX) : -_CHECKSUM_LENGTH], key[-_CHECKSUM_LENGTH:]
    return all(ch in _ALPHABET for ch in body) and secrets.compare_digest(_checksum(body), checksum)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def display_prefix(key: str) -> str:
    return key[:DISPLAY_PREFIX_LENGTH]
