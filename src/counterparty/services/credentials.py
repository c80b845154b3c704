"""Verified API keys, remembered per process so that a request needs no key lookup."""

from __future__ import annotations

from dataclasses import dataclass

from counterparty.domain.tenancy import ApiKey, Principal

DEFAULT_CAPACITY = 10_000


@dataclass(frozen=True, slots=True)
class Verified:
    """A key found valid, with its tenant's epoch at that moment: while the epoch is the
    same, nothing that could invalidate the key (a revocation, new settings) has happened."""

    principal: Principal
    key: ApiKey
    epoch: int


class CredentialCache:
    """Bounded map from key hash to verification; the oldest entry goes first when full."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._entries: dict[str, Verified] = {}

    def get(self, key_hash: str) -> Verified | None:
        return self._entries.get(key_hash)

    def put(self, key_hash: str, verified: Verified) -> None:
        self._entries.pop(key_hash, None)
        if len(self._entries) >= self._capacity:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key_hash] = verified

    def drop(self, key_hash: str) -> None:
        self._entries.pop(key_hash, None)
