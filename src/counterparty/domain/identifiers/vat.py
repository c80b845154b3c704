"""VAT numbers (`vat_number`): always stored with their country prefix, e.g. BE0403019261.

EU prefixes are checked with stdnum.eu.vat; other countries python-stdnum knows (GB, CH, NO,
TR, …) with the country's own module, as stdnum.vatin picks it.
"""

from __future__ import annotations

from functools import cache, lru_cache

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.util import get_cc_module

from counterparty.domain.identifiers.iso_codes import is_country_code
from counterparty.domain.identifiers.result import (
    CACHE_SIZE,
    Result,
    invalid,
    progress,
    reason_of,
    unverified,
    valid,
)
from counterparty.domain.identifiers.rules import tidy

# The prefixes VIES knows: the member states, Greece as EL (not GR), Northern Ireland as XI.
# EU is the prefix of non-EU sellers registered for the One-Stop-Shop.
EU_VAT_PREFIXES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "EU",
})  # fmt: skip

# VAT prefixes that are not the ISO code of the country that issues them.
_PREFIX_TO_COUNTRY = {"EL": "GR", "XI": "GB"}
_COUNTRY_TO_PREFIX = {"GR": "EL"}


def vat_prefix(country: str) -> str:
    """The VAT prefix for an ISO country code (Greece: EL)."""
    country = country.upper()
    return _COUNTRY_TO_PREFIX.get(country, country)


def country_of_vat(vat_number: str) -> str | None:
    """The ISO country of a prefixed VAT number (EL → GR, XI → GB), or None."""
    prefix = tidy(vat_number)[:2]
    if prefix == "EU":
        return None
    country = _PREFIX_TO_COUNTRY.get(prefix, prefix)
    return country if is_country_code(country) else None


@lru_cache(maxsize=CACHE_SIZE)
def normalize_vat(value: str, country: str | None = None) -> Result:
    """Check a VAT number; `country` (ISO alpha-2) supplies a missing prefix.

    The prefix is added only when the prefixed number is valid; otherwise the value is kept as
    typed (compacted) and reported with the reason the prefixed form failed.
    """
    compact = tidy(value)
    if compact[:2] == "GR":  # python-stdnum accepts GR, but VIES and invoices use EL
        compact = "EL" + compact[2:]
    prefix = compact[:2]
    if _is_prefix(prefix) and _has_rule(prefix):
        return _check(compact)
    if _is_prefix(prefix) and (prefix in _PREFIX_TO_COUNTRY or is_country_code(prefix)):
        return unverified(compact, "no_rule", f"no rule is known for VAT numbers of {prefix}")
    # No country prefix (letters that are no country may start the number itself).
    if country is None:
        return unverified(compact, "no_country", "no country prefix and no country is known")
    prefix = vat_prefix(country)
    if not (_is_prefix(prefix) and _has_rule(prefix)):
        return unverified(compact, "no_rule", f"no rule is known for VAT numbers of {prefix}")
    result = _check(prefix + compact)
    if result.is_valid or result.reason is None:
        return result
    return invalid(compact, result.scheme, result.reason, _label(prefix))


def _is_prefix(text: str) -> bool:
    return len(text) == 2 and text.isascii() and text.isalpha()


@cache
def _has_rule(prefix: str) -> bool:
    """Whether a check exists; `prefix` must be two letters, since python-stdnum imports a
    module named after it."""
    if prefix in EU_VAT_PREFIXES:
        return True
    return get_cc_module(prefix.lower(), "vat") is not None


def _check(compact: str) -> Result:
    prefix = compact[:2]
    scheme = "eu.vat" if prefix in EU_VAT_PREFIXES else f"{prefix.lower()}.vat"
    try:
        number = eu_vat.validate(compact) if prefix in EU_VAT_PREFIXES else _non_eu(compact)
    except ValidationError as error:
        return invalid(compact, scheme, reason_of(error), _label(prefix))
    return valid(number, scheme, _format(number))


def _non_eu(compact: str) -> str:
    """Like stdnum.vatin.validate, but keeps the telling error.

    Most countries' modules take the number after the prefix; some (Swiss CHE…) the whole.
    stdnum.vatin tries both and raises the second error, so a Turkish number with a wrong check
    digit came back as "format" (the TR prefix is not a digit) rather than "checksum". The
    attempt that got further (past the format and length checks) is the one that matched;
    max() keeps the first of equals.
    """
    module = get_cc_module(compact[:2].lower(), "vat")
    if module is None:
        raise InvalidComponent()
    try:
        return compact[:2] + module.validate(compact[2:])
    except ValidationError as after_prefix:
        try:
            return module.validate(compact)
        except ValidationError as whole:
            raise max((after_prefix, whole), key=lambda error: progress(reason_of(error))) from None


def _format(number: str) -> str:
    """Prefix, a space, and the country module's display form where python-stdnum has one."""
    prefix, rest = number[:2], number[2:]
    country = _PREFIX_TO_COUNTRY.get(prefix, prefix).lower()
    module = get_cc_module(country, "vat") if prefix != "EU" else None
    display = getattr(module, "format", None)
    if display is None:
        return number
    # Country modules strip their own ISO prefix but not EL or XI, and some (Swiss CHE…) need it.
    shown = str(display(rest if prefix in _PREFIX_TO_COUNTRY else number))
    return shown if shown.startswith(prefix) else f"{prefix} {shown}"


def _label(prefix: str) -> str:
    return f"{prefix} VAT number"


__all__ = ["EU_VAT_PREFIXES", "country_of_vat", "normalize_vat", "vat_prefix"]
