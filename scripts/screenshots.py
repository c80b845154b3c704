"""Take the README's screenshots of the web interface: `.venv/bin/python -m scripts.screenshots`.

Starts the service on a throw-away SQLite database, fills it with a few contacts, signs in with
Debian's Chromium (as the browser tests do) and writes docs/screenshots/*.png.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import sync_playwright
from tests.ui.browser.conftest import CHROMIUM, CHROMIUM_ARGS

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.db.users import people_units
from counterparty.services.people_registry import PeopleServices
from counterparty.services.registry import Services

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PASSWORD = "screenshots only, thrown away"
CONTACTS = [
    {"name": "Acme Trading BV", "vat_number": "NL004495445B01", "email": "invoices@acme.example",
     "phone": "+31 20 123 4567", "address": {"street": "Keizersgracht 1", "postal_code": "1015 CJ",
     "city": "Amsterdam", "country_code": "NL"}, "tags": ["wholesale"],
     "bank_accounts": [{"iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "is_default": True}],
     "payment_terms_days": 30, "language": "nl", "currency": "EUR",
     "contact_persons": [{"name": "Eva de Vries", "role": "Accounts payable",
                          "email": "eva@acme.example"}]},
    {"name": "Anadolu Gıda Ticaret A.Ş.", "tax_id": "0010061700", "tax_office": "Kadıköy",
     "address": {"city": "İstanbul", "country_code": "TR"}},
    {"name": "Brouwerij Het Anker NV", "vat_number": "BE0403019261", "is_supplier": True,
     "is_customer": False, "address": {"city": "Mechelen", "country_code": "BE"}},
    {"name": "Novák Stavby s.r.o.", "vat_number": "CZ27082440",
     "address": {"city": "Praha", "country_code": "CZ"}},
    {"name": "Ege Yazılım Ltd. Şti.", "address": {"city": "İzmir", "country_code": "TR"}},
    {"name": "Fjord Supplies AS", "vat_number": "DE123456789", "is_supplier": True,
     "address": {"city": "Hamburg", "country_code": "DE"}},
    {"kind": "person", "first_name": "Jan", "last_name": "Peeters",
     "email": "jan.peeters@example.be", "address": {"city": "Antwerpen", "country_code": "BE"}},
]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/demo.db", access_log=False,
                            insecure_cookies=True)  # fmt: skip
        database = Database(settings.database_url)
        database.migrate()
        services = Services.over(database.unit_of_work)
        services.tenancy.create_tenant("demo", "Demo")
        services.tenancy.update_tenant("demo", validation_policy="lenient")
        key = services.tenancy.create_key("demo", "erp").secret
        PeopleServices.over(people_units(database.lender)).users.create_user(
            "demo", "anna@example.com", "editor", PASSWORD
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, database), port=port, log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"})
        ids = [api.post("/v1/contacts", json=contact).json()["id"] for contact in CONTACTS]
        api.patch(f"/v1/contacts/{ids[0]}", json={"payment_terms_days": 14})
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 800})
            page.goto("/app/")
            page.get_by_label("Email").fill("anna@example.com")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/app/")
            page.screenshot(path=OUT / "contacts-list.png")
            page.goto(f"/app/contacts/{ids[0]}/edit")
            page.get_by_label("City").fill("Rotterdam")
            page.get_by_role("button", name="Save").click()
            page.wait_for_url("**done=saved")
            page.screenshot(path=OUT / "contact-page.png", full_page=True)
            browser.close()
        server.should_exit = True
        database.dispose()


if __name__ == "__main__":
    main()
