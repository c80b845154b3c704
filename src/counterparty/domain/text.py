"""Text folding shared by search, sorting and duplicate keys.

Folding is case- and accent-insensitive and knows the Turkish dotted and dotless I:
"İSTANBUL", "Istanbul" and "ıstanbul" all fold to "istanbul"; "Straße" folds to "strasse".
"""

from __future__ import annotations

import re
import unicodedata

_TURKISH_I = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
_SEPARATORS = re.compile(r"[\s.\-/]+")


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
