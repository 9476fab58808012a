"""On a phone: the DPO registers an access request, verifies identity and reads the export."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.clients.tests.factories import make_client
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dpo_answers_an_access_request_on_a_phone(world: World, phone: Any) -> None:
    client = make_client(world, name="Siti Aminah")
    page = phone
    browser_login(page, "dina")
    page.goto(f"{page.base_url}/privacy/")
    page.click("[data-testid=new-request]")
    page.fill("input[name=client_code]", client.code)
    page.select_option("select[name=kind]", "access")
    page.fill("input[name=channel]", "Langsung di unit")
    screenshot(page, "privacy_request_form_phone")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=verify]")
    assert client.code in page.inner_text("[data-testid=client-code]")
    page.fill("input[name=note]", "KTP dilihat oleh koordinator")
    page.click("[data-testid=verify]")
    page.wait_for_selector("[data-testid=export]")
    screenshot(page, "privacy_request_phone")
    page.click("[data-testid=export]")
    page.wait_for_selector("[data-testid=history]")
    text = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "Siti Aminah" in text and "client_registered" in page.inner_text("[data-testid=history]")
    screenshot(page, "privacy_export_phone")
