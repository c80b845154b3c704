"""One-way hashes for secrets that vendor APIs make us accept (passwords); never reversible."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt parameters: about 16 MiB and tens of milliseconds per hash, the usual interactive
# login setting; a stolen table then costs an attacker the same per guess.
_N, _R, _P = 2**14, 8, 1


def hash_secret(plaintext: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(plaintext.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P)
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, digest)]
    return f"scrypt${_N}${_R}${_P}${encoded[0]}${encoded[1]}"


def verify_secret(plaintext: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        plaintext.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))
