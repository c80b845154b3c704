"""What a client typed, kept where the canonical model stores another form of it.

A dialect whose vendor reads back what was written keeps the typed text under
`extensions.<vendor>.typed` (`{vendor member: text}`) when the canonical form differs (an E.164
phone, a compact VAT number), and shows it again while it still normalises to the stored
value; after a change elsewhere the canonical value shows. `stored_forms` reads a document's
texts together (an identifier depends on the address country); `canonical_form` reads one text
in a given country, and `typed_text` is what shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from counterparty.dialects.base import get_path
from counterparty.dialects.fields import Format
from counterparty.domain import identifiers
from counterparty.domain.fields import country_code_for
from counterparty.domain.identifiers import (
    BankAccountIdentifiers,
    IdentifierInput,
    check_identifiers,
)

TYPED = "typed"
ACCOUNT = "bank_accounts."  # paths of the account a vendor shows (its default one)
IDENTIFIERS = ("email", "phone", "mobile", "fax", "tax_id", "vat_number", "registration_number")


def stored_forms(
    document: Mapping[str, Any],
    account: Mapping[str, Any] | None,
    texts: Mapping[str, tuple[str, str]],
) -> dict[str, Any]:
    """For each vendor member -> (canonical path, text): what the core stores for that text
    next to the other values of `document` (the core's own normalisers decide: identifiers and
    phone numbers depend on the address country), plain text trimmed, "" as null."""
    by_path = dict(texts.values())

    def value(path: str) -> str | None:
        found = by_path[path] if path in by_path else (
            get_path(account or {}, path.removeprefix(ACCOUNT)) if path.startswith(ACCOUNT)
            else get_path(document, path)
        )  # fmt: skip
        return (found.strip() or None) if isinstance(found, str) else None

    data = IdentifierInput(
        country_code=get_path(document, "address.country_code"),
        **{path: value(path) for path in IDENTIFIERS},
        bank_accounts=(BankAccountIdentifiers(value(ACCOUNT + "iban"), value(ACCOUNT + "bic")),),
    )
    checked = check_identifiers(data).values
    stored = {path: getattr(checked, path) for path in IDENTIFIERS}
    stored[ACCOUNT + "iban"] = checked.bank_accounts[0].iban
    stored[ACCOUNT + "bic"] = checked.bank_accounts[0].bic
    return {
        key: stored[path] if path in stored else (text.strip() or None)
        for key, (path, text) in texts.items()
    }


# The formats whose stored form one normaliser gives from the text and the address country; the
# other identifiers (a VAT number's prefix, a BIC next to its IBAN) need the document:
# `stored_forms`. Text of any other format is stored trimmed.
_NORMALIZERS: Final[dict[str, Callable[[str, str | None], identifiers.Result]]] = {
    "phone": identifiers.normalize_phone,
    "email": lambda text, _: identifiers.normalize_email(text),
    "tax_id": identifiers.normalize_tax_id,
    "iban": lambda text, _: identifiers.normalize_iban(text),
}


def canonical_form(kind: Format | None, text: str, region: str | None) -> str | None:
    """How the canonical model stores one text of a format, read in the `region` country (""
    is null; identifiers in the compact form the lenient policy stores, by the normalisers the
    core itself uses; a country name as its ISO code).

    >>> canonical_form("country", " Türkiye ", None), canonical_form(None, "  ", None)
    ('TR', None)
    """
    text = text.strip()
    if not text:
        return None
    if kind == "country":
        return country_code_for(text)
    normalizer = _NORMALIZERS.get(kind or "")
    return normalizer(text, region).compact if normalizer else text


def typed_text(typed: Any, kind: Format | None, stored: Any, region: str | None) -> str | None:
    """The text a client typed, while it still stands for the `stored` value (None after a
    change elsewhere, or when nothing was typed).

    >>> typed_text("0532 123 45 67", "phone", "+905321234567", "TR")
    '0532 123 45 67'
    >>> typed_text("0532 123 45 67", "phone", "+905329999999", "TR") is None
    True
    """
    if isinstance(typed, str) and canonical_form(kind, typed, region) == stored:
        return typed
    return None
