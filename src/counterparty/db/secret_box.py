"""Secrets stored encrypted: webhook signing secrets, with a key kept outside the database.

AES-256-GCM from `cryptography` (the Python Cryptographic Authority's library, which wraps
OpenSSL): authenticated encryption, so a changed ciphertext fails to open instead of giving
garbage, and each secret is bound to its row (the tenant and endpoint ids are the associated
data), so a ciphertext copied to another row does not open either. A stored value is a version
byte, the 12-byte nonce and the ciphertext.

The key is COUNTERPARTY_SECRET_KEY (32 bytes in URL-safe base64) or, when that is unset, the
key in `secret.key` of the data directory, generated there on the first start. Several servers
on one PostgreSQL database must share the key: set COUNTERPARTY_SECRET_KEY on each.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_FILE = "secret.key"
_VERSION = b"\x01"
_NONCE_BYTES = 12


class SecretKeyError(ValueError):
    """The configured key is unusable, or a stored secret does not open with it."""


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise SecretKeyError(
            "the secret key must be 32 bytes in URL-safe base64 (44 characters); "
            "`counterparty webhooks secret-key` prints a new one"
        )
    return key


class SecretBox:
    """Seals and opens secrets; the key is read when first needed (or by `load`), so that a
    process that never touches a secret never creates a key file."""

    def __init__(self, key: str | Callable[[], str]) -> None:
        self._key = key

    @cached_property
    def _aead(self) -> AESGCM:
        return AESGCM(_decode_key(self._key if isinstance(self._key, str) else self._key()))

    def load(self) -> None:
        """Read (or make) the key now: a server checks it when it starts."""
        assert self._aead is not None

    def seal(self, plaintext: str, *owners: UUID) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), _associated(owners))
        return _VERSION + nonce + sealed

    def open(self, stored: bytes, *owners: UUID) -> str:
        stored = bytes(stored)
        if stored[:1] != _VERSION:
            raise SecretKeyError("a stored secret is in an unknown format")
        nonce, sealed = stored[1 : 1 + _NONCE_BYTES], stored[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, sealed, _associated(owners)).decode()
        except InvalidTag:
            raise SecretKeyError(
                "a stored secret does not open with this secret key (was "
                "COUNTERPARTY_SECRET_KEY or the data directory's secret.key changed?)"
            ) from None


def _associated(owners: tuple[UUID, ...]) -> bytes:
    return b"".join(owner.bytes for owner in owners)


def data_directory(database_url: str, configured: str | None) -> Path:
    """COUNTERPARTY_DATA_DIR if set; else the SQLite database's directory; else (PostgreSQL)
    `$XDG_DATA_HOME/counterparty` (by default ~/.local/share/counterparty)."""
    if configured:
        return Path(configured)
    if database_url.startswith("sqlite") and ":memory:" not in database_url:
        path = database_url.split(":///", 1)[-1].split("?", 1)[0]
        if path:
            return Path(path).resolve().parent
    shared = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(shared) / "counterparty"


def secret_box(configured_key: str | None, directory: Path) -> SecretBox:
    """The box of the configured key, or of the data directory's key (made on first use)."""
    if configured_key:
        return SecretBox(configured_key)
    return SecretBox(lambda: _stored_key(directory))


def _stored_key(directory: Path) -> str:
    """The data directory's key, made if there is none. Processes starting together agree on
    one: it is written to a temporary file and linked into place, which fails for all but the
    first."""
    path = directory / KEY_FILE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key() + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text()
