"""On a phone: an agent refers a client, sends the referral and records the destination's acceptance."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.clients.tests.factories import make_client
from pulih.referrals.models import Referral
from pulih.referrals.tests.factories import make_provider
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agent_sends_a_referral_and_records_acceptance_on_a_phone(world: World, phone: Any) -> None:
    client = make_client(world, sharing=True)
    provider = make_provider(world, name="Puskesmas (ilustrasi) Sekernan")
    page = phone
    browser_login(page, "alice")
    page.goto(f"{page.base_url}/referrals/new/{client.pk}/")
    page.select_option("select[name=provider]", str(provider.pk))
    page.select_option("select[name=pathway]", "outpatient")
    page.select_option("select[name=urgency]", "soon")
    page.fill("textarea[name=reason]", "Skrining ASSIST: risiko sedang (ganja). Perlu asesmen rawat jalan.")
    screenshot(page, "referrals_form_phone")
    page.click("[data-testid=referral-send]")
    page.wait_for_selector("[data-testid=next-steps]")
    assert "Dikirim" in page.inner_text("[data-testid=state]")
    screenshot(page, "referrals_sent_phone")
    page.click("[data-testid=action-accept]")
    page.fill("input[name=counterpart_name]", "dr. Sari")
    page.fill("input[name=counterpart_role]", "Dokter penanggung jawab")
    screenshot(page, "referrals_accept_phone")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=referral-timeline]")
    assert "Disetujui" in page.inner_text("[data-testid=state]")
    assert "dr. Sari" in page.inner_text("[data-testid=referral-timeline]")
    screenshot(page, "referrals_accepted_phone")
    referral = Referral.objects.get()
    assert referral.state == "accepted" and referral.received_at is not None
    # No horizontal scrolling on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
