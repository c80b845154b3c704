"""Passwords of people who sign in: argon2id hashes.

The cost is OWASP's recommended argon2id setting (19 MiB, 2 passes, 1 lane): about 50 ms on
one core, so a sign-in does not hold a small server's CPUs, while each guess against a stolen
table costs the same. The parameters travel in each hash, so raising them later keeps old
hashes verifiable."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing cost grows with length: refuse a megabyte of "password"

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def _dummy_hash() -> str:
    """Verified when the e-mail is unknown, so that a wrong address costs as long as a wrong
    password and the answer time does not tell which addresses have accounts."""
    return _hasher.hash(secrets.token_urlsafe(16))


def generate_password() -> str:
    """A one-time password for the CLI to print: 128 bits, 22 URL-safe characters."""
    return secrets.token_urlsafe(16)


def password_problem(password: str) -> str | None:
    """Why a new password cannot be used, or None."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether `password` matches; always costs one verification, even without a hash."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        matches = _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None
