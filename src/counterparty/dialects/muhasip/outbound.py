"""A canonical contact -> Muhasip's `result` object, in the `{"status": true}` envelope."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pycountry
from starlette.responses import Response

from counterparty.dialects.base import get_path
from counterparty.dialects.muhasip.inbound import canonical_form
from counterparty.dialects.muhasip.table import (
    CONTACT_FIELDS,
    COUNTRY,
    DOMESTIC,
    IBAN,
    IBANS,
    KIND,
    NAMESPACE,
    PEOPLE,
    PERSON_FIELDS,
    RESULT_ORDER,
    STRING_KINDS,
    VARIABLES,
)
from counterparty.domain.contact import Contact
from counterparty.web.http import json_response


def ok(result: Any, status: int = 200) -> Response:
    return json_response({"status": True, "result": result}, status)


def render(contact: Contact, tenant_id: UUID) -> dict[str, Any]:
    document = contact.model_dump(mode="json")
    extension: Mapping[str, Any] = document["extensions"].get(NAMESPACE) or {}
    shown = _Shown(extension.get("asGiven") or {}, contact.address.country_code)
    country = contact.address.country_code
    result: dict[str, Any] = {
        # server members (read-only)
        "_id": document["id"],
        "companiesId": str(tenant_id),
        "employees": False,  # contacts of this API are never employees
        "contactsType": contact.kind,
        "countriesCode": country,
        "statesCode": None,  # null in Muhasip's own example
        "isAbroad": country is not None and country != DOMESTIC,
        "default": False,  # the tenant's default contact is not modelled
        "createdDate": _mongo_date(contact.created_at),
        "__v": contact.version,
    }
    for spec in CONTACT_FIELDS:
        value = get_path(document, spec.canonical)
        if spec.kind in STRING_KINDS:
            result[spec.name] = shown(spec.name, spec.kind, value)
        elif spec.kind == KIND:
            result[spec.name] = value == "person"
        elif spec.kind == IBANS:
            ibans = [account["iban"] for account in value if account["iban"]]
            result[spec.name] = [
                shown(f"ibans.{index}", IBAN, iban) for index, iban in enumerate(ibans)
            ]
        elif spec.kind == PEOPLE:
            layouts = extension.get("peopleVariables") or {}
            result[spec.name] = [
                _person(person, f"contactPeoples.{index}", shown, layouts.get(person["id"]))
                for index, person in enumerate(value)
            ]
        elif spec.kind == VARIABLES:
            result[spec.name] = variables(value, extension.get("variables"))
        else:
            result[spec.name] = value
    return {name: result[name] for name in RESULT_ORDER}


def _person(
    person: Mapping[str, Any], at: str, shown: _Shown, layout: list[dict[str, Any]] | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        spec.name: shown(f"{at}.{spec.name}", spec.kind, person[spec.canonical])
        for spec in PERSON_FIELDS
        if spec.kind in STRING_KINDS
    }
    item["_id"] = person["id"]
    item["variables"] = variables(person["custom_fields"], layout)
    return item


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

    def __call__(self, path: str, kind: str, value: Any) -> Any:
        original = self.given.get(path)
        if isinstance(original, str) and canonical_form(kind, original, self.region) == value:
            return original
        return country_name(value) if kind == COUNTRY else value


def country_name(code: str | None) -> str | None:
    if code is None:
        return None
    found = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found is not None else code


def _mongo_date(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and Z, as JavaScript's Date.toJSON() writes it."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")
