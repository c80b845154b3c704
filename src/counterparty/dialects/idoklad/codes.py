"""iDoklad's code lists as data: CountryId and CurrencyId to ISO codes (their source, and the
ids ISO lacks, in docs/dialects.md under "Code lists"). Each row holds ten ids in order; "--"
marks an iDoklad country with no ISO 3166-1 code. Every ISO 3166-1 country appears exactly
once, so the table also maps back.
"""

from __future__ import annotations

from counterparty.domain.fields import country_codes, currency_codes

_COUNTRIES = """
    SK CZ AF AL AQ DZ AS AD AO AG  # 1-10
    AZ AR AU AT BS BH BD AM BB BE  # 11-20
    BM BT BO BA BW BV BR BZ IO SB  # 21-30
    VG -- BN BG MM BI BY KH CM CA  # 31-40
    CV KY CF LK TD CL CN TW CX CC  # 41-50
    CO KM YT CG CD CK CR HR CU CY  # 51-60
    BJ DK DM DO EC SV GQ ET ER EE  # 61-70
    FO FK GS FJ FI AX FR GF PF TF  # 71-80
    DJ GA GE GM PS DE GH GI KI GR  # 81-90
    GL GD GP GU GT GN GY HT HM VA  # 91-100
    HN HK HU IS IN ID IR IQ IE IL  # 101-110
    IT CI JM JP KZ JO KE KP KR KW  # 111-120
    KG LA LB LS LV LR LY LI LT LU  # 121-130
    MO MG MW MY MV ML MT MQ MR MU  # 131-140
    MX MC MN MD ME MS MA MZ OM NA  # 141-150
    NR NP NL -- AW NC VU NZ NI NE  # 151-160
    NG NU NF NO MP UM FM MH PW PK  # 161-170
    PA PG PY PE PH PN PL PT GW TL  # 171-180
    PR QA RE RO RU RW BL SH KN AI  # 181-190
    LC MF PM VC SM ST SA SN RS SC  # 191-200
    SL SG VN SI SO ZA ZW ES EH SD  # 201-210
    SR SJ SZ SE CH SY TJ TH TG TK  # 211-220
    TO TT AE TN TR TM TC TV UG UA  # 221-230
    MK EG GB GG JE IM TZ US VI BF  # 231-240
    UY UZ VE WF WS YE ZM BQ CW SS  # 241-250
    SX                             # 251
"""

# CurrencyId -> ISO 4217. Codes the canonical model does not accept (LVL, LTL and HRK are no
# longer current; BGN too in recent ISO 4217 data) map to None: those ids are kept in
# extensions.idoklad instead.
_CURRENCIES = """
    CZK EUR BGN DKK HUF LVL LTL PLN RON GBP  # 1-10
    USD AUD BRL CNY PHP HKD HRK INR IDR ILS  # 11-20
    JPY ZAR KRW CAD MYR MXN NOK NZD RUB SGD  # 21-30
    SEK CHF THB TRY                          # 31-34
"""


def _ids(table: str, known: frozenset[str]) -> dict[int, str | None]:
    codes = [code for line in table.splitlines() for code in line.split("#", 1)[0].split()]
    return {number: (code if code in known else None) for number, code in enumerate(codes, 1)}


COUNTRY_CODES: dict[int, str | None] = _ids(_COUNTRIES, country_codes())
CURRENCY_CODES: dict[int, str | None] = _ids(_CURRENCIES, currency_codes())
COUNTRY_IDS: dict[str, int] = {code: id_ for id_, code in COUNTRY_CODES.items() if code}
CURRENCY_IDS: dict[str, int] = {code: id_ for id_, code in CURRENCY_CODES.items() if code}
CZECHIA = 2
