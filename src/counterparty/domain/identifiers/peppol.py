"""Peppol participant ids (`peppol_id`): `<scheme>:<value>` with a scheme from the EAS list.

Stored form: the four-digit scheme, a colon, and the value. Where the value is a number we
know, it is checked and stored in that number's compact form; in particular the value of 0208
is the bare 10-digit Belgian enterprise number ("0208:BE0403019261" becomes "0208:0403019261"),
because that is how Belgian companies are registered on Peppol. The values of the VAT schemes
(99xx) keep their country prefix, like `vat_number` ("9925:BE0403019261").

A Peppol lookup matches the registered id exactly, so where we found no statement of a scheme's
value convention (prefix or not, separators or not) the value is checked but stored as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from stdnum import ean, lei
from stdnum.au import abn
from stdnum.de import leitweg
from stdnum.exceptions import InvalidLength
from stdnum.is_ import kennitala
from stdnum.it import codicefiscale, iva
from stdnum.us import ein

from counterparty.domain.identifiers.eas import (
    DEPRECATED_SCHEMES,
    EAS_SCHEMES,
    VAT_SCHEME_COUNTRIES,
)
from counterparty.domain.identifiers.result import CACHE_SIZE, Result, invalid, unverified
from counterparty.domain.identifiers.rules import Digits, Rule
from counterparty.domain.identifiers.tax import (
    BE_ENTERPRISE,
    DK_CVR,
    FR_SIREN,
    FR_SIRET,
    NL_KVK,
    NO_ORGNR,
    SE_ORGNR,
    belgian_enterprise_number,
)
from counterparty.domain.identifiers.vat import normalize_vat


class _Gln:
    """A GLN is a 13-digit EAN; stdnum.ean alone also accepts 8, 12 and 14 digits."""

    def compact(self, number: str) -> str:
        return ean.compact(number)

    def validate(self, number: str) -> str:
        if len(self.compact(number)) != 13:
            raise InvalidLength()
        return ean.validate(number)


# Value rules for schemes whose values we can check. Other listed schemes are `unverified`.
VALUE_RULES: Mapping[str, Rule] = {
    "0002": FR_SIREN,
    "0007": SE_ORGNR,
    "0009": FR_SIRET,
    "0060": Rule("duns", "D-U-N-S number (9 digits)", Digits(9)),
    "0088": Rule("gln", "GLN (13-digit EAN location number)", _Gln()),
    "0106": NL_KVK,
    "0151": Rule("au.abn", "Australian Business Number", abn),
    "0184": DK_CVR,
    "0190": Rule("nl.oin", "Dutch OIN (20 digits)", Digits(20)),
    "0192": NO_ORGNR,
    "0196": Rule("is.kennitala", "Icelandic kennitala", kennitala),
    "0199": Rule("lei", "LEI (Legal Entity Identifier)", lei),
    "0204": Rule("de.leitweg", "German Leitweg-ID", leitweg, pre_tidy=False),
    "0208": BE_ENTERPRISE,
    "0210": Rule("it.codicefiscale", "Italian codice fiscale", codicefiscale),
    "0211": Rule("it.iva", "Italian partita IVA", iva),
    "9959": Rule("us.ein", "US Employer Identification Number", ein),
}

# Checked, but stored as typed: we found no statement whether their values carry the country
# prefix (DK…, IT…, TR…) or the EIN's dash.
KEEP_AS_TYPED = frozenset({"0184", "0211", "9952", "9959"})

_ACTOR_ID_PREFIX = "iso6523-actorid-upis::"


@lru_cache(maxsize=CACHE_SIZE)
def normalize_peppol_id(value: str) -> Result:
    """Check `<scheme>:<value>`; the `iso6523-actorid-upis::` prefix of full ids is dropped."""
    text = "".join(value.split())
    if text.lower().startswith(_ACTOR_ID_PREFIX):
        text = text[len(_ACTOR_ID_PREFIX) :]
    scheme, colon, number = text.partition(":")
    if not colon or not number:
        return invalid(text, "peppol", "format", "Peppol id", "write it as <scheme>:<value>")
    if not (len(scheme) == 4 and scheme.isascii() and scheme.isdigit()):
        return invalid(
            text, "peppol", "format", "Peppol id", "the scheme must be a four-digit EAS code"
        )
    if scheme in DEPRECATED_SCHEMES:
        replacement = DEPRECATED_SCHEMES[scheme]
        detail = f"scheme {scheme} was withdrawn from the EAS list, use {replacement}"
        return invalid(text, "peppol", "unknown_scheme", "Peppol id", detail)
    if scheme not in EAS_SCHEMES:
        detail = f"{scheme} is not in the Peppol EAS code list"
        return invalid(text, "peppol", "unknown_scheme", "Peppol id", detail)
    checked = _check_value(scheme, number)
    stored = number if scheme in KEEP_AS_TYPED or not checked.is_valid else checked.compact
    compact = f"{scheme}:{stored}"
    return Result(
        compact, compact, checked.status, f"peppol:{scheme}", checked.reason, checked.message
    )


def _check_value(scheme: str, number: str) -> Result:
    if scheme in VAT_SCHEME_COUNTRIES:
        return normalize_vat(number, VAT_SCHEME_COUNTRIES[scheme])
    rule = VALUE_RULES.get(scheme)
    if rule is None:
        return unverified(
            number,
            "no_rule",
            f"the values of scheme {scheme} ({EAS_SCHEMES[scheme]}) are not checked",
        )
    return rule.check(number)


def suggest_peppol_id(
    country: str | None, registration_number: str | None, vat_number: str | None
) -> str | None:
    """`0208:<enterprise number>` for a Belgian party: Belgian companies must be reachable on
    Peppol since 2026 and register under 0208 with their enterprise number."""
    number = belgian_enterprise_number(country, registration_number, vat_number)
    return None if number is None else f"0208:{number}"


__all__ = [
    "KEEP_AS_TYPED",
    "VALUE_RULES",
    "normalize_peppol_id",
    "suggest_peppol_id",
]
