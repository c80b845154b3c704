"""National tax numbers (`tax_id`) and company register numbers (`registration_number`).

The rule is chosen by country: the contact's address country, else the prefix of its VAT
number. A country may list several rules (one for companies, one for people); the first that
accepts the value wins. A country without a rule here is not an error: the value is kept,
compacted, and reported `unverified`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from stdnum.at import businessid, tin
from stdnum.be import nn
from stdnum.be import vat as be_vat
from stdnum.ch import uid
from stdnum.cz import dic
from stdnum.de import idnr, stnr
from stdnum.dk import cvr
from stdnum.es import nif as es_nif
from stdnum.fi import ytunnus
from stdnum.fr import nif as fr_nif
from stdnum.fr import siren, siret
from stdnum.gb import utr
from stdnum.it import codicefiscale
from stdnum.nl import bsn, btw
from stdnum.no import orgnr as no_orgnr
from stdnum.pl import nip, pesel, regon
from stdnum.se import orgnr as se_orgnr
from stdnum.tr import tckimlik, vkn

from counterparty.domain.identifiers.result import CACHE_SIZE, Result, unverified
from counterparty.domain.identifiers.rules import (
    Digits,
    Ico,
    LowerCaseSuffix,
    Rule,
    first_valid,
    tidy,
)
from counterparty.domain.identifiers.vat import normalize_vat, vat_prefix


def _dotted_enterprise_number(number: str) -> str:
    """The KBO/BCE display form, 0403.019.261 (python-stdnum 2.2 has no be.vat.format)."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


BE_ENTERPRISE = Rule(
    "be.vat", "Belgian enterprise number", be_vat, display=_dotted_enterprise_number
)
NL_KVK = Rule("nl.kvk", "Dutch KvK number (8 digits)", Digits(8))  # python-stdnum has no nl.kvk
CZ_ICO = Rule("cz.ico", "Czech IČO", Ico())
SK_ICO = Rule("sk.ico", "Slovak IČO", Ico())
FR_SIREN = Rule("fr.siren", "French SIREN number", siren)
FR_SIRET = Rule("fr.siret", "French SIRET number", siret)
NO_ORGNR = Rule("no.orgnr", "Norwegian organisation number", no_orgnr)
SE_ORGNR = Rule("se.orgnr", "Swedish organisation number", se_orgnr)
DK_CVR = Rule("dk.cvr", "Danish CVR number", cvr)

# tax_id: the national tax number, by ISO country code.
TAX_ID_RULES: Mapping[str, tuple[Rule, ...]] = {
    "AT": (Rule("at.tin", "Austrian tax number (Abgabenkontonummer)", tin),),
    "BE": (BE_ENTERPRISE, Rule("be.nn", "Belgian national number", nn)),
    "CZ": (Rule("cz.dic", "Czech DIČ", dic),),
    "DE": (
        Rule("de.idnr", "German tax identification number (IdNr)", idnr),
        Rule("de.stnr", "German tax number (Steuernummer)", stnr),
    ),
    "ES": (Rule("es.nif", "Spanish NIF", es_nif),),
    "FR": (Rule("fr.nif", "French tax number (NIF)", fr_nif), FR_SIREN),
    "GB": (Rule("gb.utr", "UK Unique Taxpayer Reference", utr),),
    "IT": (Rule("it.codicefiscale", "Italian codice fiscale", codicefiscale),),
    "NL": (
        Rule("nl.bsn", "Dutch BSN or RSIN", bsn),
        Rule("nl.btw", "Dutch VAT number (btw)", btw),
    ),
    "PL": (Rule("pl.nip", "Polish NIP", nip), Rule("pl.pesel", "Polish PESEL", pesel)),
    # The Slovak DIČ is 10 digits. IČ DPH numbers (SK + DIČ) are divisible by 11, but we found
    # no source saying every DIČ is, so a DIČ gets a format check only.
    "SK": (Rule("sk.dic", "Slovak DIČ (10 digits)", Digits(10)),),
    "TR": (
        Rule("tr.vkn", "Turkish tax number (VKN)", vkn),
        Rule("tr.tckimlik", "Turkish identity number (T.C. kimlik no)", tckimlik),
    ),
}

# registration_number: the company register number, by ISO country code. Germany is missing on
# purpose: stdnum.de.handelsregisternummer needs the court name ("Aachen HRB 44123"), which the
# compact form of this field loses, so German numbers stay unverified.
REGISTRATION_RULES: Mapping[str, tuple[Rule, ...]] = {
    "AT": (
        Rule("at.businessid", "Austrian company register number (FN)", LowerCaseSuffix(businessid)),
    ),
    "BE": (BE_ENTERPRISE,),
    "CH": (Rule("ch.uid", "Swiss UID", uid),),
    "CZ": (CZ_ICO,),
    "DK": (DK_CVR,),
    "FI": (Rule("fi.ytunnus", "Finnish business id (Y-tunnus)", ytunnus),),
    "FR": (FR_SIREN, FR_SIRET),
    "NL": (NL_KVK,),
    "NO": (NO_ORGNR,),
    "PL": (Rule("pl.regon", "Polish REGON", regon),),
    "SE": (SE_ORGNR,),
    "SK": (SK_ICO,),
}


@lru_cache(maxsize=CACHE_SIZE)
def normalize_tax_id(value: str, country: str | None) -> Result:
    """Check a national tax number against the rules of `country` (ISO alpha-2)."""
    return _by_country(value, country, TAX_ID_RULES, "tax number")


@lru_cache(maxsize=CACHE_SIZE)
def normalize_registration_number(value: str, country: str | None) -> Result:
    """Check a company register number against the rules of `country` (ISO alpha-2)."""
    return _by_country(value, country, REGISTRATION_RULES, "company register number")


def _by_country(
    value: str, country: str | None, table: Mapping[str, tuple[Rule, ...]], what: str
) -> Result:
    compact = tidy(value)
    if country is None:
        return unverified(compact, "no_country", f"no country is known to check the {what}")
    country = country.upper()
    rules = table.get(country)
    if not rules:
        return unverified(compact, "no_rule", f"no rule is known for a {what} in {country}")
    return first_valid(_without_own_prefix(compact, country), rules)


def _without_own_prefix(compact: str, country: str) -> str:
    """People paste the VAT form ("CZ25123891") into national fields; drop the prefix when
    digits follow it. Letters after it may be the number itself (a codice fiscale)."""
    rest = compact.removeprefix(vat_prefix(country))
    return rest if rest != compact and rest[:1].isdigit() else compact


def belgian_enterprise_number(
    country: str | None, registration_number: str | None, vat_number: str | None
) -> str | None:
    """The valid 10-digit enterprise number of a Belgian party, from its registration number or
    else its BE VAT number (in Belgium both are the same number), or None."""
    if registration_number and country and country.upper() == "BE":
        registered = BE_ENTERPRISE.check(registration_number)
        if registered.is_valid:
            return registered.compact
    if vat_number:
        vat = normalize_vat(vat_number, country)
        if vat.is_valid and vat.compact.startswith("BE"):
            return vat.compact[2:]
    return None


__all__ = [
    "BE_ENTERPRISE",
    "REGISTRATION_RULES",
    "TAX_ID_RULES",
    "belgian_enterprise_number",
    "normalize_registration_number",
    "normalize_tax_id",
]
