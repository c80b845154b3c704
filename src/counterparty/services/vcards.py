"""vCard 4.0 (RFC 6350): one card per contact and one per contact person, each person's
card RELATED to its company's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

LINE_OCTETS = 75  # longest content line before folding (section 3.2)


def escape(value: str) -> str:
    """A text value's special characters escaped (section 3.4).

    >>> escape("Acme; Sons, Ltd\\nGent")
    'Acme\\\\; Sons\\\\, Ltd\\\\nGent'
    """
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded so that no physical line passes LINE_OCTETS octets, never
    inside a UTF-8 sequence; lines end in CRLF."""
    encoded = line.encode()
    if len(encoded) <= LINE_OCTETS:
        return line + "\r\n"
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for character in line:
        width = len(character.encode())
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the fold's space counts
        current.append(character)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"


def _structured(*parts: Any) -> str:
    return ";".join(escape(part or "") for part in parts)


def _card(properties: Iterable[tuple[str, str | None]]) -> str:
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    lines += [f"{name}:{value}" for name, value in properties if value]
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def _text(value: Any) -> str | None:
    return escape(value) if isinstance(value, str) and value else None


def _contact_card(contact: Mapping[str, Any]) -> str:
    address = contact.get("address") or {}
    street = ", ".join(part for part in (address.get("street"), address.get("street2")) if part)
    has_address = any(address.get(member) for member in ("street", "city", "postal_code"))
    person = contact.get("kind") == "person"
    return _card(
        [
            ("KIND", "individual" if person else "org"),
            ("UID", f"urn:uuid:{contact['id']}"),
            ("FN", _text(contact.get("name"))),
            (
                "N",
                _structured(
                    contact.get("last_name"), contact.get("first_name"), "", contact.get("title")
                )
                if person
                else None,
            ),
            ("ORG", None if person else _text(contact.get("name"))),
            (
                "ADR;TYPE=work",
                _structured(
                    "",
                    address.get("box"),
                    street,
                    address.get("city"),
                    address.get("state"),
                    address.get("postal_code"),
                    address.get("country_code"),
                )
                if has_address
                else None,
            ),
            ("TEL;TYPE=work,voice", _text(contact.get("phone"))),
            ("TEL;TYPE=cell", _text(contact.get("mobile"))),
            ("TEL;TYPE=fax", _text(contact.get("fax"))),
            ("EMAIL;TYPE=work", _text(contact.get("email"))),
            ("URL", _text(contact.get("website"))),
            ("NOTE", _text(contact.get("notes"))),
        ]
    )


def _person_card(person: Mapping[str, Any], company: Mapping[str, Any]) -> str:
    joined = " ".join(part for part in (person.get("first_name"), person.get("last_name")) if part)
    # FN is required; a person known only by role or e-mail is shown by it.
    shown = person.get("name") or joined or person.get("email") or person.get("role")
    return _card(
        [
            ("KIND", "individual"),
            ("UID", f"urn:uuid:{person['id']}"),
            ("FN", escape(shown or "?")),
            ("N", _structured(person.get("last_name"), person.get("first_name"))),
            ("ORG", _text(company.get("name"))),
            ("ROLE", _text(person.get("role"))),
            ("TEL;TYPE=work,voice", _text(person.get("phone"))),
            ("TEL;TYPE=cell", _text(person.get("mobile"))),
            ("EMAIL;TYPE=work", _text(person.get("email"))),
            ("NOTE", _text(person.get("notes"))),
            ("RELATED;VALUE=uri", f"urn:uuid:{company['id']}"),
        ]
    )


def vcards(contacts: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    for contact in contacts:
        cards = [_contact_card(contact)]
        cards += [_person_card(person, contact) for person in contact.get("contact_persons", [])]
        yield "".join(cards).encode()
