"""Identifiers that pass the service's own checks: VAT and register numbers, IBANs, phones.

Under the default strict policy the service refuses invalid identifiers, so random digits
will not do. Each generator builds a random stem, completes it with candidate check digits
(or computes them) and keeps the first candidate the service's normaliser calls valid.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence

from schwifty import IBAN

from counterparty.domain.identifiers import normalize_iban, normalize_phone, normalize_vat
from counterparty.domain.identifiers.result import Result

Rng = random.Random
ATTEMPTS = 200

BANK_CODES = {
    "NL": ("ABNA", "INGB", "RABO", "SNSB", "TRIO"),
    "DE": ("37040044", "50010517", "10070000", "20050550", "70150000"),
    "BE": ("001", "068", "363", "735"),
    "FR": ("3000400001", "3000300050", "1020700001"),
    "AT": ("12000", "20111", "32000"),
    "GB": ("NWBK601613", "BARC200000", "MIDL400515"),
    "ES": ("21000418", "00491500", "00810200"),
    "IT": ("0306909606", "0200801633", "0503401600"),
}
ACCOUNT_DIGITS = {"NL": 10, "DE": 10, "BE": 7, "FR": 11, "AT": 11, "GB": 8, "ES": 10, "IT": 12}


def digits(rng: Rng, count: int) -> str:
    return "".join(rng.choices(string.digits, k=count))


def letters(rng: Rng, count: int) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=count))


def _first_valid(
    rng: Rng, candidates: Callable[[Rng], Sequence[str]], check: Callable[[str], Result]
) -> str:
    for _ in range(ATTEMPTS):
        for candidate in candidates(rng):
            if check(candidate).status == "valid":
                return candidate
    raise RuntimeError(f"no valid identifier in {ATTEMPTS} attempts, e.g. {candidates(rng)[0]}")


def _vat_candidates(rng: Rng, country: str) -> list[str]:
    every = string.digits
    if country == "NL":
        stem = f"NL{digits(rng, 8)}"
        return [f"{stem}{d}B01" for d in every]
    if country == "DE":
        stem = f"DE{digits(rng, 8)}"
        return [stem + d for d in every]
    if country == "AT":
        stem = f"ATU{digits(rng, 7)}"
        return [stem + d for d in every]
    if country == "IT":
        stem = f"IT{digits(rng, 7)}{rng.randrange(1, 101):03d}"
        return [stem + d for d in every]
    if country == "ES":
        stem = f"ES{rng.choice('ABCDEFGHJ')}{digits(rng, 7)}"
        return [stem + c for c in every + "ABCDEFGHIJ"]
    if country == "BE":
        first = f"0{rng.randrange(2_000_000, 9_999_999)}"
        return [f"BE{first}{97 - int(first) % 97:02d}"]
    if country == "FR":
        # The two-digit key is computed from the SIREN, whose last digit is a Luhn digit.
        sirens = [f"{rng.randrange(10_000_000, 99_999_999)}{d}" for d in every]
        return [f"FR{(12 + 3 * (int(s) % 97)) % 97:02d}{s}" for s in sirens]
    if country == "GB":
        stem = digits(rng, 7)
        total = sum(int(d) * weight for d, weight in zip(stem, range(8, 1, -1), strict=True))
        return [f"GB{stem}{-total % 97:02d}"]
    raise ValueError(f"no VAT numbers for {country}")


def vat_number(rng: Rng, country: str) -> str:
    return _first_valid(rng, lambda r: _vat_candidates(r, country), normalize_vat)


def registration_number(rng: Rng, country: str, vat: str) -> str | None:
    """The company register number, where the country has one we can make."""
    if country == "NL":
        return digits(rng, 8)  # KvK
    if country == "BE":
        return vat[2:]  # the enterprise number is the VAT number
    if country == "FR":
        return vat[4:]  # SIREN
    if country == "AT":
        return f"FN {rng.randrange(100_000, 999_999)}{rng.choice('abdfghikmpstvwxy')}"
    if country == "DE":
        return f"HRB {rng.randrange(1_000, 250_000)}"  # the service leaves these unverified
    if country == "GB":
        return f"{rng.randrange(1_000_000, 15_000_000):08d}"
    return None


def iban(rng: Rng, country: str) -> str:
    def candidates(r: Rng) -> list[str]:
        generated = IBAN.generate(
            country,
            bank_code=r.choice(BANK_CODES[country]),
            account_code=digits(r, ACCOUNT_DIGITS[country]).lstrip("0") or "1",
        )
        return [str(generated)]

    return _first_valid(rng, candidates, normalize_iban)


def phone(rng: Rng, calling_code: str, area_codes: Sequence[str], length: int) -> str:
    """A valid number as people type it: calling code, area code, subscriber number;
    `length` is the number of digits after the calling code."""

    def candidates(r: Rng) -> list[str]:
        area = r.choice(area_codes)
        return [f"{calling_code} {area} {digits(r, length - len(area))}"]

    return _first_valid(rng, candidates, normalize_phone)
