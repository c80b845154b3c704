"""Identifiers that pass the service's strict checks, with their check digits computed.

The service refuses an invalid VAT number, tax number, register number, IBAN or phone number,
so random digits will not do. Each number is a random stem completed with the check digits its
scheme defines (python-stdnum computes the ones it knows). Nothing here asks the service's own
validators: tests/bench/ does, over thousands of generated contacts, through the API.
"""

from __future__ import annotations

import random
import string

from stdnum import luhn
from stdnum.at import uid
from stdnum.iso7064 import mod_11_10
from stdnum.tr import tckimlik, vkn

from bench.dataset.model import City, Country

Rng = random.Random

IBAN_BANKS = {
    "NL": ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "KNAB"),
    "BE": ("001", "068", "363", "735", "737", "751"),
    "DE": ("37040044", "50010517", "10070000", "20050550", "70150000", "76050101"),
    "FR": ("30004", "30003", "10207", "20041", "30002"),
    "AT": ("12000", "20111", "32000", "14000"),
    "GB": ("NWBK601613", "BARC200000", "MIDL400515", "LOYD309634"),
    "TR": ("00010", "00012", "00015", "00046", "00062", "00064", "00067", "00111"),
    "CZ": ("0100", "0300", "0800", "2010", "0600", "5500", "2700"),
    "SK": ("0900", "0200", "1100", "7500", "5600", "8330"),
}
# Dutch postcodes leave out F, I, O, Q, U and Y (and the British ones some of them).
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_CZECHOSLOVAK_ACCOUNT_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)


def digits(rng: Rng, count: int) -> str:
    return "".join(rng.choices(string.digits, k=count))


def letters(rng: Rng, count: int) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=count))


def _leading(rng: Rng, count: int, first: str = "123456789") -> str:
    """`count` digits whose first is one of `first`."""
    return rng.choice(first) + digits(rng, count - 1)


def ico(rng: Rng, first: str) -> str:
    """A Czech or Slovak IČO: seven digits and a weighted mod-11 check digit."""
    stem = _leading(rng, 7, first)
    total = sum(int(d) * w for d, w in zip(stem, range(8, 1, -1), strict=True))
    return stem + str((11 - total % 11) % 10)


def slovak_dic(rng: Rng) -> str:
    """A Slovak company's DIČ: ten digits starting 202, divisible by 11 (so that SK + DIČ is a
    valid IČ DPH)."""
    number = 2_020_000_000 + rng.randrange(10_000_000)
    number -= number % 11
    return str(number if number >= 2_020_000_000 else number + 11)


def vkn_number(rng: Rng) -> str:
    """A Turkish tax number (vergi kimlik numarası) of a company."""
    stem = digits(rng, 9)
    return stem + vkn.calc_check_digit(stem)


def tckn_number(rng: Rng) -> str:
    """A Turkish identity number (T.C. kimlik no), the tax number of a person."""
    stem = _leading(rng, 9)
    return stem + tckimlik.calc_check_digits(stem)


def _dutch_vat(rng: Rng) -> str:
    while True:
        stem = _leading(rng, 8)
        check = sum(int(d) * (9 - i) for i, d in enumerate(stem)) % 11
        if check < 10:
            return f"NL{stem}{check}B01"


def _belgian_vat(rng: Rng) -> str:
    first = f"0{rng.randrange(2_000_000, 9_999_999)}"
    return f"BE{first}{97 - int(first) % 97:02d}"


def _french_vat(rng: Rng) -> str:
    stem = _leading(rng, 8)
    siren = stem + luhn.calc_check_digit(stem)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _british_vat(rng: Rng) -> str:
    stem = _leading(rng, 7)
    total = sum(int(d) * weight for d, weight in zip(stem, range(8, 1, -1), strict=True))
    return f"GB{stem}{-total % 97:02d}"


def company_vat(rng: Rng, country: str) -> str:
    """A VAT number with its country prefix, for the countries that are not Czech or Slovak
    (whose VAT number is built from the IČO or DIČ)."""
    if country == "NL":
        return _dutch_vat(rng)
    if country == "BE":
        return _belgian_vat(rng)
    if country == "DE":
        stem = _leading(rng, 8)
        return f"DE{stem}{mod_11_10.calc_check_digit(stem)}"
    if country == "FR":
        return _french_vat(rng)
    if country == "AT":
        stem = digits(rng, 7)
        return f"ATU{stem}{uid.calc_check_digit('U' + stem)}"
    if country == "GB":
        return _british_vat(rng)
    raise ValueError(f"no VAT numbers for {country}")


def registration_number(rng: Rng, country: str, vat: str) -> str:
    """The company register number of the non-Czechoslovak countries."""
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
    raise ValueError(f"no register numbers for {country}")


def _czechoslovak_account(rng: Rng) -> str:
    """A ten-digit account number whose weighted digit sum is divisible by 11."""
    while True:
        number = _leading(rng, 10)
        total = sum(int(d) * w for d, w in zip(number, _CZECHOSLOVAK_ACCOUNT_WEIGHTS, strict=True))
        if total % 11 == 0:
            return number


def _french_rib(rng: Rng, bank: str) -> str:
    branch, account = digits(rng, 5), digits(rng, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return f"{bank}{branch}{account}{key:02d}"


def _bban(rng: Rng, country: str) -> str:
    bank = rng.choice(IBAN_BANKS[country])
    if country == "BE":
        first = bank + digits(rng, 7)
        return f"{first}{int(first) % 97 or 97:02d}"
    if country == "FR":
        return _french_rib(rng, bank)
    if country in ("CZ", "SK"):
        return f"{bank}000000{_czechoslovak_account(rng)}"
    if country == "TR":
        return f"{bank}0{digits(rng, 16)}"
    account_digits = {"NL": 10, "DE": 10, "AT": 11, "GB": 8}[country]
    return bank + digits(rng, account_digits)


def iban(rng: Rng, country: str) -> str:
    """An IBAN, printed in groups of four as people copy it from invoices."""
    bban = _bban(rng, country)
    numeric = "".join(str(int(ch, 36)) for ch in f"{bban}{country}00")
    compact = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def phone(rng: Rng, country: Country, city: City, mobile: bool) -> str:
    """A number in a range the country's numbering plan assigns, as people type it."""
    if mobile:
        prefix = rng.choice(country.mobile_prefixes)
        rest = digits(rng, country.mobile_length - len(prefix))
    else:
        prefix = city.area_code
        rest = _leading(rng, country.national_length - len(prefix), country.subscriber_first)
    return f"{country.calling_code} {prefix} {rest}"


def postal_code(rng: Rng, country: Country, city: City) -> str:
    prefix = iter(city.postal_prefix)
    out = []
    for symbol in country.postal_format:
        if symbol == "#":
            out.append(next(prefix, None) or rng.choice(string.digits))
        elif symbol == "@":
            out.append(rng.choice(_POSTCODE_LETTERS))
        else:
            out.append(symbol)
    return "".join(out)
