"""The agent's whole client journey on a phone (acceptance point 12)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pulih.clients.models import Client, ConsentKind, EpisodeStatus, SessionKind
from pulih.clients.tests.factories import make_client
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World


def _months_back(today: date, n: int) -> date:
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 10)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agent_takes_a_client_from_outreach_to_completion_on_a_phone(world: World, phone: Any) -> None:
    from pulih.referrals.tests.factories import make_provider
    from pulih.screening.loading import load_shipped_instruments

    load_shipped_instruments()
    provider = make_provider(world)
    peer = make_client(world, name="Teman Kelompok")
    page = phone
    browser_login(page, "alice")

    # Outreach: anonymous, then the person consents and is registered.
    page.goto(page.base_url + "/clients/outreach/new/")
    page.select_option("select[name=channel]", "family")
    page.select_option("select[name=outcome]", "follow_up")
    page.click("[data-testid=submit-register]")
    page.wait_for_url("**/clients/register/?outreach=*")
    page.check("input[name=consent_data]")
    page.check("input[name=consent_services]")
    page.fill("input[name=name]", "Rudi (uji)")
    page.select_option("select[name=sex]", "m")
    page.fill("input[name=birth_year]", "1994")
    page.fill("input[name=rw]", "04")
    page.select_option("select[name=referral_source]", "family")
    screenshot(page, "clients-register")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=client-code]")
    client = Client.objects.exclude(pk=peer.pk).get()
    assert client.code in page.inner_text("[data-testid=client-code]")
    assert "Rudi (uji)" in page.inner_text("[data-testid=client-name]")

    # Consent to share with a referral destination.
    page.click("[data-testid=qa-consent]")
    page.select_option("select[name=kind]", ConsentKind.SHARING)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=consents]")
    assert client.consents.filter(kind=ConsentKind.SHARING, withdrawn_at__isnull=True).exists()

    # ASSIST screening through the screening app's interviewer flow.
    page.click("[data-testid=qa-screening]")
    page.click("[data-testid=screening-begin]")
    for _ in range(120):
        if not page.query_selector("[data-testid=screening-step]"):
            break
        groups = page.eval_on_selector_all(
            "[data-testid=screening-step] input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
        )
        for index, group in enumerate(groups):
            # Checklists: "yes" for one substance class (cannabis), "no" elsewhere;
            # questions: the first option ("never" / "no").
            options = page.locator(f"input[type=radio][name='{group}']")
            (options.last if len(groups) > 1 and index == 2 else options.first).check()
        page.click("[data-testid=screening-next]")
        page.wait_for_load_state()
    page.click("[data-testid=screening-finish]")
    page.wait_for_selector("[data-testid=screening-pathway]")
    screenshot(page, "clients-journey-screening")
    client.refresh_from_db()
    assert client.episodes.get().status == EpisodeStatus.SCREENED

    # Intervention plan.
    page.goto(page.base_url + f"/clients/{client.pk}/")
    page.click("[data-testid=qa-plan]")
    page.fill("textarea[name=goals]", "Berhenti memakai, kembali bekerja")
    page.select_option("select[name=modality]", "group")
    page.fill("input[name=frequency]", "Setiap minggu")
    page.fill("input[name=review_on]", "2030-01-31")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=timeline]")

    # A group session: one record, two clients.
    page.click("[data-testid=qa-session]")
    page.select_option("select[name=kind]", SessionKind.GROUP)
    page.fill("input[name=topic]", "Dukungan sebaya")
    page.check(f"input[name=clients][value='{peer.pk}']")
    screenshot(page, "clients-journey-group-session")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=home-title], h1")
    session = client.sessions.get()
    assert set(session.clients.all()) == {client, peer}

    # Referral through the referrals app (needs the sharing consent given above).
    page.goto(page.base_url + f"/clients/{client.pk}/")
    page.click("[data-testid=qa-referral]")
    page.select_option("select[name=provider]", str(provider.pk))
    page.select_option("select[name=pathway]", index=1)
    page.fill("textarea[name=reason]", "Perlu pemeriksaan medis")
    page.click("[data-testid=referral-send]")
    page.wait_for_selector("[data-testid=state]")
    assert client.referrals.exists()

    # Three consecutive months of negative urine tests → completion letter.
    today = date.today()
    for n in (2, 1, 0):
        page.goto(page.base_url + f"/clients/{client.pk}/urine-tests/new/")
        page.fill("input[name=tested_on]", (_months_back(today, n) if n else today).isoformat())
        page.select_option("select[name=method]", "kit")
        page.fill("input[name=substances]", "MET, THC")
        page.select_option("select[name=result]", "negative")
        page.click("[data-testid=submit]")
        page.wait_for_selector("[data-testid=timeline]")
    screenshot(page, "clients-journey-client-page")
    page.click("[data-testid=completion-letter]")
    page.wait_for_selector("[data-testid=completion-letter]")
    letter = page.inner_text("[data-testid=completion-letter]")
    assert "Rudi (uji)" in letter and client.code in letter
    screenshot(page, "clients-journey-completion-letter")
