"""IBAN and BIC, checked with schwifty.

schwifty rather than stdnum.iban/stdnum.bic: both check the IBAN checksum and each country's
IBAN structure, but schwifty also bundles a bank registry, which lets us propose the BIC of an
IBAN that arrives without one, and its exception classes match our reasons one to one. National
BBAN check digits are not checked: schwifty's per-bank German algorithms could reject a real
account, and the IBAN's own mod-97 check already catches typing errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from schwifty import BIC, IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    SchwiftyException,
)

from counterparty.domain.identifiers.result import CACHE_SIZE, Reason, Result, invalid, valid
from counterparty.domain.identifiers.rules import tidy

# BIC countries that legitimately go with another country's IBAN: these territories bank with
# their mother country's IBAN, while their banks' BICs carry the territory's own code.
IBAN_TERRITORIES: Mapping[str, frozenset[str]] = {
    "FR": frozenset({"BL", "GF", "GP", "MF", "MQ", "NC", "PF", "PM", "RE", "TF", "WF", "YT"}),
    "GB": frozenset({"GG", "IM", "JE"}),
}


def _reason(error: SchwiftyException) -> Reason:
    if isinstance(error, InvalidChecksumDigits | InvalidBBANChecksum):
        return "checksum"
    if isinstance(error, InvalidLength):
        return "length"
    if isinstance(error, InvalidCountryCode):
        return "component"
    return "format"


def _compact_iban(value: str) -> str:
    # Paper forms print "IBAN BE71 0961 …" and people copy the word along.
    compact = tidy(value)
    return compact[4:] if compact.startswith("IBAN") and compact[4:6].isalpha() else compact


@lru_cache(maxsize=CACHE_SIZE)
def normalize_iban(value: str) -> Result:
    compact = _compact_iban(value)
    try:
        iban = IBAN(compact)
    except SchwiftyException as error:
        return invalid(compact, "iban", _reason(error), "IBAN")
    return valid(iban.compact, "iban", iban.formatted)


@lru_cache(maxsize=CACHE_SIZE)
def normalize_bic(value: str, iban_country: str | None = None) -> Result:
    """Check a BIC; with `iban_country` (the IBAN's first two letters) also check that both
    belong to the same country."""
    compact = tidy(value)
    try:
        bic = BIC(compact)
    except SchwiftyException as error:
        return invalid(compact, "bic", _reason(error), "BIC")
    if iban_country is not None and not _same_country(bic.country_code, iban_country.upper()):
        return invalid(
            bic.compact,
            "bic",
            "country_mismatch",
            "BIC for this IBAN",
            f"the BIC's country {bic.country_code} differs from the IBAN's country "
            f"{iban_country.upper()}",
        )
    return valid(bic.compact, "bic", bic.formatted)


def _same_country(bic_country: str, iban_country: str) -> bool:
    return bic_country == iban_country or bic_country in IBAN_TERRITORIES.get(
        iban_country, frozenset()
    )


def bic_for_iban(iban: str) -> str | None:
    """The BIC of the IBAN's bank from schwifty's bundled registry, if the IBAN is valid and
    the bank is listed (about 44 countries)."""
    try:
        bic = IBAN(_compact_iban(iban)).bic
    except SchwiftyException:
        return None
    return None if bic is None else str(bic.compact)


__all__ = ["IBAN_TERRITORIES", "bic_for_iban", "normalize_bic", "normalize_iban"]
