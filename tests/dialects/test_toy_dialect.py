"""The worked example of docs/dialects.md, "How to add a vendor": a toy sixth dialect of three
fields, built only from the contract (a table, the shared checker, a family, `patched`, a
published document), served over real HTTP next to the real service."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from counterparty.config import Settings
from counterparty.db import Database
from counterparty.dialects import laravel
from counterparty.dialects.base import (
    Dialect,
    dialect_actor,
    edit_numbered,
    get_path,
    numbered,
    set_path,
)
from counterparty.dialects.checking import check
from counterparty.dialects.fields import Rule, VendorField, vendor_names
from counterparty.dialects.openapi import Published
from counterparty.domain.contact import Contact
from counterparty.domain.text import decimal_digits
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.web.credentials import bearer_token
from counterparty.web.http import json_response, read_json
from counterparty.web.routing import Operation, Parameter, Surface, routes
from counterparty.web.state import Limits, services
from tests.conftest import running_server
from tests.dialects.conftest import ContactReads

# --- table: the vendor's fields, data only ---------------------------------------------------
TABLE = (
    VendorField("id", "integer", "number", read_only=True, nullable=False),
    VendorField("company", "text", "name", 200, required=("POST",), blank=False),
    VendorField("mail", "text", "email", 254, format="email"),
    VendorField("town", "text", "address.city", 300),  # longer than the canonical 200
    VendorField("kind", "text", Rule("kind"), pattern="firm|person"),  # a many-to-one rule
)
WRITABLE = tuple(row for row in TABLE if not row.read_only)


# --- inbound and outbound: derived from the table, plus the one rule it names -----------------
def inbound(body: dict[str, Any], verb: str) -> dict[str, Any]:
    problems = check(WRITABLE, body, "POST" if verb == "POST" else "PATCH")
    if problems:
        raise laravel.invalid({p.name: [laravel.message(p, {})] for p in problems})
    patch: dict[str, Any] = {}
    for row in WRITABLE:
        if row.name in body and isinstance(row.canonical, str):
            set_path(patch, row.canonical, body[row.name])
    if "kind" in body:  # the rule named in the table
        patch["kind"] = {"firm": "company", "person": "person", None: None}[body["kind"]]
    return patch


def outbound(contact: Contact) -> dict[str, Any]:
    document = contact.model_dump(mode="json")
    rules = {"kind": "firm" if contact.kind == "company" else "person"}
    return {row.name: get_path(document, row.canonical) if isinstance(row.canonical, str)
            else rules[row.name] for row in TABLE}  # fmt: skip


# --- errors, auth, routes -------------------------------------------------------------------
NAMES = vendor_names(TABLE)


def render_error(error: Exception, request: Request) -> Response:
    return laravel.render_error(error, request, NAMES, lambda _: (), "/compat/toy/")


def authenticate(request: Request) -> Actor:
    return dialect_actor(request, bearer_token(request), "toy")


async def create(request: Request, actor: Actor) -> Response:
    body = await read_json(request, 65536)
    contact = services(request).contacts.create(actor, inbound(body, "POST"))
    return json_response(outbound(contact), 201)


async def show(request: Request, actor: Actor) -> Response:
    return json_response(outbound(_contact(request, actor)))


def _number(request: Request) -> int:
    raw = request.path_params["number"]
    return int(raw) if decimal_digits(raw) else 0  # no contact has number 0


def _not_found(number: int) -> NotFound:
    return NotFound(f"No customer {number}.")


def _contact(request: Request, actor: Actor) -> Contact:
    return numbered(request, actor, _number(request), _not_found)


async def change(request: Request, actor: Actor) -> Response:
    body = await read_json(request, 65536)
    patch = inbound(body, "PATCH")  # checked before the write
    contact = edit_numbered(request, actor, _number(request), lambda _: patch, _not_found)
    return json_response(outbound(contact))


NUMBER = Parameter("number", "path", {"type": "integer", "minimum": 1})
OPERATIONS = (
    Operation("POST", "/customers", create, "toyCreate", "Create", status=201,
              errors=(400, 415, 422)),
    Operation("GET", "/customers/{number}", show, "toyShow", "Show", errors=(404,),
              parameters=(NUMBER,)),
    Operation("PATCH", "/customers/{number}", change, "toyChange", "Change",
              errors=(400, 404, 415, 422), parameters=(NUMBER,)),
)  # fmt: skip
TOY = Dialect(
    name="toy",
    title="Toy CRM",
    surface=Surface(authenticate, render_error, OPERATIONS),
    published=Published(
        "Toy CRM", TABLE, {"type": "http", "scheme": "bearer"}, laravel.ERROR_SCHEMA, {}
    ),
)


@pytest.fixture(scope="module")
def toy(services: Services, database: Database, settings: Settings) -> Iterator[httpx.Client]:
    app = Starlette(routes=routes(TOY.surface, prefix=TOY.prefix))
    app.state.services = services
    app.state.limits = Limits(max_body_bytes=settings.max_body_bytes)
    slug = f"toy-{secrets.token_hex(4)}"
    services.tenancy.create_tenant(slug)
    key = services.tenancy.create_key(slug, "toy").secret
    with (
        running_server(app) as url,
        httpx.Client(
            base_url=f"{url}/compat/toy", headers={"Authorization": f"Bearer {key}"}, timeout=30
        ) as client,
    ):
        yield client


def test_the_toy_dialect_round_trips_through_the_shared_pieces(
    toy: httpx.Client, contact_reads: ContactReads
) -> None:
    created = toy.post("/customers", json={"company": "Toy BV", "mail": "a@toy.example",
                                           "kind": "firm"})  # fmt: skip
    assert created.status_code == 201, created.text
    record = created.json()
    assert record == {"id": record["id"], "company": "Toy BV", "mail": "a@toy.example",
                      "town": None, "kind": "firm"}  # fmt: skip
    with contact_reads.counting() as counted:
        changed = toy.patch(f"/customers/{record['id']}", json={"town": "Gent"})
    assert changed.json()["town"] == "Gent" and len(counted.reads) == 1
    assert toy.get(f"/customers/{record['id']}").json() == changed.json()


def test_the_toy_dialect_errors_come_from_the_table_and_the_family(toy: httpx.Client) -> None:
    refused = toy.post("/customers", json={"mail": "x" * 300, "kind": "robot"})
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"company", "mail", "kind"}
    too_long = toy.post("/customers", json={"company": "Toy", "town": "t" * 301})
    assert too_long.json()["errors"] == {"town": ["The town field must not be greater "
                                                  "than 300 characters."]}  # fmt: skip
    canonical = toy.post("/customers", json={"company": "Toy", "town": "t" * 250})
    assert canonical.status_code == 422  # the canonical model's 200, named by the inverse
    assert list(canonical.json()["errors"]) == ["town"]
    for number in ("999999", "x"):
        missing = toy.get(f"/customers/{number}")
        assert missing.status_code == 404 and set(missing.json()) == {"message"}


def test_the_toy_dialect_publishes_its_document() -> None:
    document = TOY.document()
    validate(document)
    body = document["paths"]["/customers"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    assert schema["required"] == ["company"]
    assert schema["properties"]["mail"]["maxLength"] == 254
