"""What a new user meets first: the README's first request, /docs offline, problem pages and
/v1/validate with the document they already have."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import httpx

from tests.conftest import TenantClient

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_first_request_shows_201_location_etag_and_reads_the_contact(
    api: TenantClient, base_url: str, tmp_path: Path
) -> None:
    block = re.search(r"## First request\n\n```sh\n(.*?)```", README.read_text(), re.S)
    assert block is not None
    script = block.group(1).replace("http://127.0.0.1:8000", base_url)
    script = script.replace("export KEY=cpk_...", f"export KEY={api.key}")
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    created, _, read = run.stdout.partition("HTTP/1.1 200")
    assert created.startswith("HTTP/1.1 201")
    assert re.search(r"(?im)^location: /v1/contacts/[0-9a-f-]{36}\r?$", created)
    assert re.search(r'(?im)^etag: "1"\r?$', created)
    assert '"name":"Acme Trading BV"' in read


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, _tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_load_no_external_resource(anonymous: httpx.Client) -> None:
    page = anonymous.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    parser = _Resources()
    parser.feed(page.text)
    assert parser.urls and not [url for url in parser.urls if "//" in url]
    assert "http" not in page.text.replace("/openapi.json", "")
    for url in parser.urls:
        asset = anonymous.get(url)
        assert asset.status_code == 200 and asset.content, url
    assert "validatorUrl: null" in page.text  # no badge fetched from the validator service
    licence = anonymous.get("/docs/assets/LICENSE")
    assert "Apache License" in licence.text
    assert anonymous.get("/docs/assets/../../pyproject.toml").status_code == 404


def test_problem_pages_describe_each_type_in_json_and_html(anonymous: httpx.Client) -> None:
    listed = anonymous.get("/problems/").json()
    assert listed and all(entry["when"] and entry["how_to_fix"] for entry in listed)
    page = anonymous.get("/problems/validation-failed")
    entry = page.json()
    assert entry["status"] == 422 and entry["code"] == "validation_failed"
    assert "Signature" not in str(entry) and "(detail" not in entry["description"]
    assert entry["example"]["type"] == "/problems/validation-failed"
    html = anonymous.get("/problems/validation-failed", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "How to fix it" in html.text and "<pre>" in html.text
    assert anonymous.get("/problems/no-such-thing").status_code == 404


def test_validate_takes_the_contact_document_too(api: TenantClient) -> None:
    contact = {
        "name": "Acme Trading BV",
        "vat_number": "BE 0403.019.261",
        "address": {"city": "Brussel", "country_code": "BE"},
        "bank_accounts": [{"iban": "BE71 0961 2345 6769", "currency": "EUR", "is_default": True}],
    }
    report = api.http.post("/v1/validate", json=contact)
    assert report.status_code == 200, report.text
    values = report.json()["values"]
    assert values["vat_number"] == "BE0403019261"
    assert values["bank_accounts/0/iban"] == "BE71096123456769"
    flat = api.http.post("/v1/validate", json={"vat_number": "BE0403019261", "country_code": "BE"})
    assert flat.status_code == 200 and flat.json()["values"]["vat_number"] == "BE0403019261"
    wrong = api.http.post("/v1/validate", json={**contact, "colour": "red"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["pointer"] == "/colour"
