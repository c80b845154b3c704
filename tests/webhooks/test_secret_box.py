"""Signing secrets are encrypted at rest with a key from the settings or a key file made in
the data directory when first needed; a ciphertext opens only with its key and on its row."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from counterparty.db.secret_box import KEY_FILE, SecretKeyError, new_key, secret_box


def test_the_key_file_is_made_when_first_needed_and_shared(tmp_path: Path) -> None:
    first, second = secret_box(None, tmp_path), secret_box(None, tmp_path)
    assert not (tmp_path / KEY_FILE).exists()  # nothing touched a secret yet
    tenant, endpoint = uuid.uuid4(), uuid.uuid4()
    sealed = first.seal("whsec_c2VjcmV0", tenant, endpoint)
    assert (tmp_path / KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert b"c2VjcmV0" not in sealed
    assert second.open(sealed, tenant, endpoint) == "whsec_c2VjcmV0"
    with pytest.raises(SecretKeyError):
        second.open(sealed, tenant, uuid.uuid4())  # another row's ciphertext
    with pytest.raises(SecretKeyError):
        secret_box(new_key(), tmp_path).open(sealed, tenant, endpoint)  # another key


def test_a_configured_key_must_be_32_bytes(tmp_path: Path) -> None:
    with pytest.raises(SecretKeyError, match="32 bytes"):
        secret_box("too-short", tmp_path).load()
    assert not (tmp_path / KEY_FILE).exists()
