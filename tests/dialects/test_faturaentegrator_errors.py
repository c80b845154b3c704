"""Fatura Entegratör error bodies for failures that are hard to provoke over HTTP."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from starlette.requests import Request

from counterparty import errors
from counterparty.dialects.faturaentegrator import DIALECT
from counterparty.errors import FieldError


def request(method: str = "POST", path: str = "/compat/faturaentegrator/api/customers") -> Request:
    return Request(
        {"type": "http", "method": method, "path": path, "headers": [], "query_string": b""}
    )


def render(error: Exception, method: str = "POST", path: str | None = None) -> tuple[int, Any]:
    response = DIALECT.surface.render_error(
        error, request(method, path or "/compat/faturaentegrator/api/customers")
    )
    assert response.media_type == "application/json"
    return response.status_code, orjson.loads(bytes(response.body))


@pytest.mark.parametrize(
    ("pointer", "field"),
    [
        ("/kind", "type"),
        ("/tax_id", "tax_number"),
        ("/name", "title"),
        ("/first_name", "name"),
        ("/last_name", "surname"),
        ("/address/state", "city"),
        ("/address/city", "district"),
        ("/address/street", "address"),
        ("/address/postal_code", "postcode"),
        ("/address/country_code", "country"),
        ("/bank_accounts/0/iban", "iban"),
        ("/extensions/faturaentegrator/title", "title"),
        ("/phone", "phone"),
        ("/tags/0", "tags.0"),  # not a vendor field: the canonical path is the best name left
    ],
)
def test_canonical_field_errors_use_the_vendor_names(pointer: str, field: str) -> None:
    error = errors.ValidationFailed("bad", errors=[FieldError("too_long", "too long", pointer)])
    status, body = render(error)
    assert status == 422
    message = f"The {field.replace('_', ' ')} field is invalid: too long"
    assert body == {"message": message, "errors": {field: [message]}}


def test_several_canonical_errors_are_counted_in_the_message() -> None:
    error = errors.ValidationFailed(
        "bad",
        errors=[
            FieldError("invalid", "a", "/address/city"),
            FieldError("invalid", "b", "/address/city"),
            FieldError("invalid", "c", "/email"),
        ],
    )
    status, body = render(error)
    assert status == 422
    assert body["errors"] == {
        "district": ["The district field is invalid: a", "The district field is invalid: b"],
        "email": ["The email field is invalid: c"],
    }
    assert body["message"] == "The district field is invalid: a (and 2 more errors)"


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (errors.Unauthenticated("a valid API key is required"), 401, "Unauthenticated."),
        (errors.NotFound("nothing here"), 404, "nothing here"),
        (errors.MalformedRequest("the body is not valid JSON"), 400, "the body is not valid JSON"),
        (
            errors.UnsupportedMediaType("send JSON", accepted=("application/json",)),
            415,
            "send JSON",
        ),
        (errors.PayloadTooLarge("too big", limit_bytes=10), 413, "too big"),
        (errors.ContactInUse("parent of 1", referenced_by=("1",)), 409, "parent of 1"),
        (errors.DuplicateValue("taken", pointer="/external_ref"), 409, "taken"),
        (errors.Conflict("conflict"), 409, "conflict"),
        (errors.TransientFailure("busy"), 503, "Service Unavailable"),
        (RuntimeError("secret internals"), 500, "Server Error"),
    ],
)
def test_other_failures_are_a_message(error: Exception, status: int, message: str) -> None:
    assert render(error) == (status, {"message": message})


def test_unauthenticated_names_the_scheme_and_405_lists_the_methods() -> None:
    response = DIALECT.surface.render_error(errors.Unauthenticated("no"), request())
    assert response.headers["www-authenticate"] == "Bearer"
    response = DIALECT.surface.render_error(
        errors.MethodNotAllowed("no"), request("POST", "/compat/faturaentegrator/api/customers/3")
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PUT, PATCH, DELETE"
