from __future__ import annotations

from typing import Any

import pytest

from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_demo_agent_signs_in_on_a_phone_in_indonesian(world: World, phone: Any) -> None:
    phone.goto(phone.base_url + "/accounts/login/")
    assert phone.locator("h1").inner_text() == "Masuk ke Pulih"
    screenshot(phone, "login-phone")
    browser_login(phone, "alice")
    assert "Selamat datang" in phone.locator("[data-testid=home-title]").inner_text()
    assert phone.viewport_size == {"width": 360, "height": 740}
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "home-agent-phone")
    phone.click("summary")
    screenshot(phone, "menu-agent-phone")
    phone.click("[data-testid=logout]")
    phone.wait_for_selector("text=Anda telah keluar.")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_published_demo_agent_account_signs_in_on_a_phone(regions: None, phone: Any) -> None:
    from pulih.accounts import demo as accounts_demo
    from pulih.core.demo import DEMO_PASSWORD
    from pulih.organisations import demo as organisations_demo

    for module in (organisations_demo, accounts_demo):
        module.load(lambda _msg: None)
    browser_login(phone, "agen.kayuaro", DEMO_PASSWORD)
    assert "Selamat datang" in phone.locator("[data-testid=home-title]").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "home-demo-agent-phone")
