"""Legal forms, which a company's name key leaves out: "ABC Ticaret A.Ş." and "ABC TİCARET
ANONİM ŞİRKETİ" are the same company's name.

The forms are cleanco's terms (hundreds of forms of many countries) and ours, for what it
misses in our users' languages (most of Turkish). Both are tokenised as names are (`words`),
so "A.Ş.", "A.S." and "AŞ" are one form. A form is removed only from the end of a name, and
repeatedly ("Foo GmbH & Co. KG"), but never the whole name ("AG" stays "ag").
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleanco.clean import get_unique_terms

from counterparty.domain.text import fold

# Forms cleanco does not know, in the folded spelling our users type them.
OUR_FORMS = (
    # Turkey
    "a.ş.",
    "anonim şirketi",
    "ltd. şti.",
    "limited şirketi",
    "şti.",
    "şirketi",
    "koll. şti.",
    "kollektif şirketi",
    "kom. şti.",
    "komandit şirketi",
    "ltd. şti",
    # Belgium and the Netherlands
    "b.v.",
    "bv",
    "n.v.",
    "c.v.",
    "commv",
    "comm. v.",
    "v.o.f.",
    "b.v.b.a.",
    "c.v.b.a.",
    "s.r.l.",
    "s.a.",
    "s.p.r.l.",
    "asbl",
    "v.z.w.",
    # Czechia and Slovakia
    "s.r.o.",
    "spol. s r.o.",
    "spol. s.r.o.",
    "a.s.",
    "v.o.s.",
    "k.s.",
    "z.s.",
    "s.p.",
    "družstvo",
    # Germany
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "ug",
    "ug (haftungsbeschränkt)",
    "gmbh & co. kg",
    "e.k.",
    "e.v.",
    # Everywhere
    "sarl",
    "sas",
    "ltd",
    "llc",
    "inc",
    "plc",
)
# cleanco's terms that are ordinary words at the end of our users' names more often than
# legal forms ("Foo Private", "Istanbul VAT"): kept in the name.
NOT_FORMS = frozenset({"private", "uk", "vat", "ok", "at", "et", "da", "ep", "ay"})
# Common Turkish abbreviations, spelt out so that "San. ve Tic." matches "Sanayi ve Ticaret".
_ABBREVIATIONS = {"san": "sanayi", "tic": "ticaret", "ins": "insaat", "paz": "pazarlama"}
_NOT_WORD = re.compile(r"[\W_]+")


def words(text: str) -> list[str]:
    """The folded words of a name; letters standing alone ("A.Ş.", "B V") make one word.

    >>> words("A.B.C. Ticaret A.Ş.")
    ['abc', 'ticaret', 'as']
    """
    found: list[str] = []
    single = False
    for word in _NOT_WORD.split(fold(text)):
        if not word:
            continue
        if len(word) == 1 and single:
            found[-1] += word
        else:
            found.append(_ABBREVIATIONS.get(word, word))
        single = len(word) == 1
    return found


def _forms() -> frozenset[tuple[str, ...]]:
    terms = {term for term in get_unique_terms() if term.strip() not in NOT_FORMS}
    return frozenset(tuple(tokens) for term in (*terms, *OUR_FORMS) if (tokens := words(term)))


FORMS = _forms()
_LONGEST = max(len(form) for form in FORMS)


def without_legal_forms(tokens: list[str]) -> list[str]:
    """The words before the legal forms that end a name.

    >>> without_legal_forms(words("Foo GmbH & Co. KG"))
    ['foo']
    >>> without_legal_forms(words("AG"))
    ['ag']
    """
    end = len(tokens)
    found = True
    while found:
        found = False
        for length in range(min(_LONGEST, end - 1), 0, -1):
            if tuple(tokens[end - length : end]) in FORMS:
                end -= length
                found = True
                break
    return tokens[:end]


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A company's name without case, accents, punctuation and legal form.

    >>> name_key("ABC Ticaret A.Ş.") == name_key("ABC TİCARET ANONİM ŞİRKETİ") == "abc ticaret"
    True
    >>> name_key("Demir İnşaat Ltd. Şti."), name_key("Novák spol. s r.o.")
    ('demir insaat', 'novak')
    """
    return " ".join(without_legal_forms(words(name)))
