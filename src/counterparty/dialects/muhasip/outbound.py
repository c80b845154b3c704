"""A canonical contact -> Muhasip's `result` object, in the `{"status": true}` envelope."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from starlette.responses import Response

from counterparty.dialects.base import Convert, to_vendor
from counterparty.dialects.fields import Format
from counterparty.dialects.muhasip.table import DOMESTIC, NAMESPACE, PERSON, TABLE
from counterparty.dialects.typed import typed_text
from counterparty.domain.contact import Contact
from counterparty.domain.identifiers import normalize_country
from counterparty.web.http import json_response


def ok(result: Any, status: int = 200) -> Response:
    return json_response({"status": True, "result": result}, status)


def render(contact: Contact, tenant_id: UUID) -> dict[str, Any]:
    """The table's rows, in its order: the one-to-one ones read from their canonical path
    (text as the client typed it, while it still denotes the stored value), the rules below."""
    document = contact.model_dump(mode="json")
    extension: Mapping[str, Any] = document["extensions"].get(NAMESPACE) or {}
    shown = _Shown(extension.get("asGiven") or {}, contact.address.country_code)
    country = contact.address.country_code
    layouts = extension.get("peopleVariables") or {}
    ibans = [account["iban"] for account in document["bank_accounts"] if account["iban"]]
    rules: dict[str, Any] = {
        "companiesId": str(tenant_id),
        "employees": False,  # contacts of this API are never employees
        "statesCode": None,  # null in Muhasip's own example
        "isAbroad": country is not None and country != DOMESTIC,
        "person": contact.kind == "person",
        "default": False,  # the tenant's default contact is not modelled
        "ibans": [shown(f"ibans.{index}", "iban", iban) for index, iban in enumerate(ibans)],
        "contactPeoples": [
            _person(person, f"contactPeoples.{index}", shown, layouts.get(person["id"]))
            for index, person in enumerate(document["contact_persons"])
        ],
        "createdDate": _mongo_date(contact.created_at),
        "variables": variables(document["custom_fields"], extension.get("variables")),
    }
    return to_vendor(TABLE, document, rules, shown.copied())


def _person(
    person: Mapping[str, Any], at: str, shown: _Shown, layout: list[dict[str, Any]] | None
) -> dict[str, Any]:
    rules = {"variables": variables(person["custom_fields"], layout)}
    return to_vendor(PERSON, person, rules, shown.copied(f"{at}."))


def variables(values: Mapping[str, Any], layout: list[dict[str, Any]] | None) -> list[Any]:
    """custom_fields -> [{key, title?, value}] in the order written; fields added elsewhere
    (the native API) follow, sorted, under their canonical key."""
    found: list[dict[str, Any]] = []
    covered: set[str] = set()
    for entry in layout or []:
        name = entry["field"]
        if name in values or entry.get("null"):
            item = {"key": entry["key"]}
            if "title" in entry:
                item["title"] = entry["title"]
            item["value"] = values.get(name)
            found.append(item)
            covered.add(name)
    found += [{"key": key, "value": values[key]} for key in sorted(values) if key not in covered]
    return found


class _Shown:
    """A stored value as Muhasip shows it: the client's own spelling while it still denotes
    the stored value, the canonical value otherwise (countries: the ISO short name)."""

    def __init__(self, given: Mapping[str, Any], region: str | None) -> None:
        self.given, self.region = given, region

    def __call__(self, path: str, kind: Format | None, value: Any) -> Any:
        typed = typed_text(self.given.get(path), kind, value, self.region)
        if typed is not None:
            return typed
        return _country_name(value) if kind == "country" and value else value

    def copied(self, at: str = "") -> Convert:
        """A one-to-one row as shown: a text through this, other values as stored."""
        return lambda row, value: (
            self(at + row.name, row.format, value) if row.type == "text" else value
        )


def _country_name(code: str) -> str:
    """The ISO 3166 short name of a stored code ("Belgium")."""
    return normalize_country(code).formatted


def _mongo_date(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and Z, as JavaScript's Date.toJSON() writes it."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")
