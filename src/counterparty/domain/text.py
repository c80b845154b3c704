"""Text folding shared by search, sorting and duplicate keys.

Folding is case- and accent-insensitive and knows the Turkish dotted and dotless I:
"İSTANBUL", "Istanbul" and "ıstanbul" all fold to "istanbul"; "Straße" folds to "strasse".
"""

from __future__ import annotations

import re
import unicodedata

_TURKISH_I = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
# C0 and C1 control characters, except tab, line feed and carriage return (text areas send
# line breaks as CR LF). PostgreSQL cannot store NUL in text at all; none belongs in a contact.
_CONTROLS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
_CONTROL = re.compile(f"[{_CONTROLS}]")
# The same rule as a JSON Schema pattern (ECMA-262), for documents that describe text fields.
WITHOUT_CONTROLS = f"^[^{_CONTROLS}]*$"
_SEPARATORS = re.compile(r"[\s.\-/]+")

MAX_DIGITS = 18


def fold(text: str) -> str:
    """Fold for comparison.

    >>> fold("Çağlar İŞLER Straße")
    'caglar isler strasse'
    """
    if text.isascii():  # most text: the same result, without Unicode normalisation
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_TURKISH_I).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compact(text: str) -> str:
    """Drop the spaces, dots, dashes and slashes that people type inside identifiers.

    >>> compact("BE 0403.019.261")
    'BE0403019261'
    """
    return _SEPARATORS.sub("", text)


def control_character(text: str) -> str | None:
    """The first control character in `text` that text may not hold, as U+XXXX, or None.

    >>> control_character("line\\nbreak"), control_character("nul\\x00")
    (None, 'U+0000')
    """
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def decimal_digits(text: str) -> bool:
    """Whether `text` is 1 to 18 ASCII decimal digits, the test to pass before `int(text)`:
    `str.isdigit` also says yes to "²", which `int` refuses, and to "٣", which it reads as 3;
    and `int` refuses more than 4,300 digits. Every count, number and index the service
    reads fits in 18 digits (below 2**63).

    >>> decimal_digits("042"), decimal_digits("²"), decimal_digits("٣"), decimal_digits("")
    (True, False, False, False)
    >>> decimal_digits("9" * 18), decimal_digits("9" * 19)
    (True, False)
    """
    return len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()
