"""Languages of the web interface: gettext catalogs (Babel), negotiation, locale formatting.

The catalogs are the `.po` files under translations/; they are compiled in memory when the
process starts, so there is no build step and no compiled file to keep in step.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from counterparty.domain.fields import country_codes
from counterparty.domain.text import fold

# Each language named in itself, as the switcher shows it.
LANGUAGES: Mapping[str, str] = {
    "en": "English",
    "tr": "Türkçe",
    "cs": "Čeština",
    "nl": "Nederlands",
}
DEFAULT_LANGUAGE = "en"
CATALOGS = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()  # the messages are written in English
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def negotiate(accept_language: str | None, chosen: str | None) -> str:
    """The remembered choice, else the best match for Accept-Language, else English."""
    if chosen is not None and chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.strip().lower()))
    for negative_quality, _, tag in sorted(ranked):
        if negative_quality < 0 and (primary := tag.split("-")[0]) in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name in `language`) of every ISO 3166 country, sorted by name."""
    names = _locale(language).territories
    known = [(code, names.get(code, code)) for code in country_codes()]
    return tuple(sorted(known, key=lambda item: fold(item[1])))


def country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    return str(_locale(language).territories.get(code, code))


def language_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    return str(_locale(language).languages.get(code, code))


def moment(value: datetime | None, language: str) -> str:
    """A date and time in the page's language, in UTC (said so)."""
    if value is None:
        return ""
    return f"{format_datetime(value.astimezone(UTC), 'medium', tzinfo=UTC, locale=language)} UTC"


def day(value: date | None, language: str) -> str:
    return "" if value is None else str(format_date(value, "long", locale=language))


def number(value: int | float | Decimal | None, language: str) -> str:
    if value is None:
        return ""
    return str(format_decimal(value, locale=language))
