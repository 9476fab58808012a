"""The field app in Chromium on a phone: offline journey, two-device conflict, wipes."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.clients.models import (
    Client,
    Consent,
    InterventionPlan,
    MonitoringContact,
    OutreachContact,
    Session,
    UrineTest,
)
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246810"


def _setup(page: Any, username: str = "alice") -> None:
    browser_login(page, username)
    page.goto(page.base_url + "/app/")
    page.fill("[data-testid=pin]", PIN)
    page.fill("[data-testid=pin-again]", PIN)
    page.click("[data-testid=pin-save]")
    page.wait_for_selector("[data-testid=caseload]")
    page.wait_for_selector("#sync-badge:has-text('terkirim')")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def _save(page: Any) -> None:
    page.click("[data-testid=form-submit]")
    page.wait_for_selector("[data-testid=form-submit]", state="detached")


def _sync(page: Any) -> None:
    page.goto(page.base_url + "/app/#/sync")
    page.wait_for_selector("[data-testid=sync-now]")
    page.click("[data-testid=sync-now]")
    page.wait_for_selector("[data-testid=pending-count]:text-is('0')")
    page.wait_for_selector("[data-testid=sync-now]:not([disabled])")


def _reference_data(world: World) -> Any:
    from pulih.mapping.tests.factories import mapping_for
    from pulih.referrals.tests.factories import make_provider
    from pulih.screening.loading import load_shipped_instruments

    load_shipped_instruments()
    mapping_for(world.unit_kayu_aro)
    return make_provider(world, name="Puskesmas Kayu Aro (uji)")


def test_a_full_journey_recorded_offline_arrives_once(world: World, phone: Any) -> None:
    from pulih.mapping.models import Hotspot
    from pulih.prevention.models import CommunityActivity
    from pulih.referrals.models import Referral
    from pulih.screening.models import Screening

    provider = _reference_data(world)
    page = phone
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -1.7234, "longitude": 101.2711, "accuracy": 12})
    _setup(page)
    page.context.set_offline(True)

    page.click("[data-testid=menu-outreach]")
    page.select_option("[data-testid=field-channel]", "home_visit")
    page.select_option("[data-testid=field-outcome]", "consented")
    _save(page)

    page.click("[data-testid=menu-register]")
    page.fill("[data-testid=field-name]", "Siti Luring")
    page.select_option("[data-testid=field-sex]", "f")
    page.fill("[data-testid=field-birth_year]", "1994")
    page.fill("[data-testid=field-phone]", "081200001111")
    page.select_option("[data-testid=field-referral_source]", "outreach")
    page.check("[data-testid=field-consent_services]")
    page.check("[data-testid=field-consent_data]")
    screenshot(page, "fieldapp-register-offline")
    _save(page)
    page.wait_for_selector("[data-testid=client-facts]")
    client_url = page.url

    page.click("[data-testid=action-assist]")
    # Wait for the screen first: on a slow machine the loop below would otherwise find no radios.
    page.wait_for_selector("input[type=radio][value=no]")
    # Answer "no" to every substance of Q1; the instrument's stop rule then ends the interview.
    while page.locator("input[type=radio][value=no]:not(:checked)").count():
        page.locator("input[type=radio][value=no]:not(:checked)").first.evaluate("el => el.click()")
    screenshot(page, "fieldapp-assist-offline")
    page.wait_for_selector("text=Pertanyaan penegasan")
    page.click("[data-testid=assist-save]")
    page.wait_for_selector("[data-testid=client-facts]")

    for action, fill in [
        (
            "plan",
            {
                "goals": "Berhenti memakai",
                "frequency": "Mingguan",
                "review_on": "2027-01-15",
                "modality": "individual",
            },
        ),
        ("session", {"topic": "Wawancara motivasional"}),
        ("urine", {"result": "negative"}),
        ("monitoring", {"mode": "visit"}),
        ("consent", {"given_by": "client"}),
        (
            "referral",
            {
                "provider": str(provider.pk),
                "pathway": "outpatient",
                "urgency": "routine",
                "reason": "Asesmen lanjutan",
            },
        ),
    ]:
        page.goto(client_url + f"/{action}")
        page.wait_for_selector("[data-testid=form-submit]")
        for name, value in fill.items():
            selector = f"[data-testid=field-{name}]"
            if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        _save(page)

    page.goto(page.base_url + "/app/#/session")
    page.wait_for_selector("[data-testid=field-topic]")
    page.select_option("[data-testid=field-kind]", "group")
    page.fill("[data-testid=field-topic]", "Kelompok dukungan")
    page.check("[data-testid=field-clients] input >> nth=0")
    _save(page)

    page.click("[data-testid=menu-activity]")
    page.select_option("[data-testid=field-kind]", "socialisation")
    page.fill("[data-testid=field-men]", "12")
    _save(page)

    page.click("[data-testid=menu-hotspot]")
    page.fill("[data-testid=field-label]", "Warung dekat dermaga")
    page.select_option("[data-testid=field-kind]", "stall")
    page.click("[data-testid=gps]")
    page.wait_for_selector("text=Lokasi:")
    _save(page)

    # Still offline: the app reopens from the service worker and the encrypted store.
    page.reload()
    page.fill("[data-testid=pin]", PIN)
    page.click("[data-testid=pin-unlock]")
    page.wait_for_selector("[data-testid=caseload]")
    assert "12 belum terkirim" in page.inner_text("#sync-badge")
    screenshot(page, "fieldapp-caseload-offline")
    assert (
        not Client.objects.filter(name__isnull=False)
        .exclude(pk__in=[])
        .filter(registered_by=world.alice)
        .exists()
    )

    page.context.set_offline(False)
    _sync(page)
    screenshot(page, "fieldapp-sync-done")
    client = Client.objects.get(registered_by=world.alice)
    assert client.name == "Siti Luring" and client.phone == "081200001111"
    assert OutreachContact.objects.filter(unit=world.unit_kayu_aro).count() == 1
    assert Screening.objects.filter(client=client).count() == 1
    assert InterventionPlan.objects.filter(client=client).count() == 1
    assert Session.objects.filter(unit=world.unit_kayu_aro).count() == 2
    assert UrineTest.objects.filter(client=client).count() == 1
    assert MonitoringContact.objects.filter(client=client).count() == 1
    assert Consent.objects.filter(client=client).count() == 3
    assert Referral.objects.filter(client=client).count() == 1
    assert CommunityActivity.objects.filter(unit=world.unit_kayu_aro).count() == 1
    hotspot = Hotspot.objects.get()
    assert float(hotspot.latitude or 0) == pytest.approx(-1.7234)

    _sync(page)  # syncing again sends nothing twice
    assert Client.objects.filter(registered_by=world.alice).count() == 1
    assert UrineTest.objects.filter(client=client).count() == 1


def _device(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.base_url = live_server.url
    return page


def _edit_phone(page: Any, client_id: str, phone: str) -> None:
    page.goto(page.base_url + f"/app/#/client/{client_id}/edit")
    page.wait_for_selector("[data-testid=field-phone]")
    page.fill("[data-testid=field-phone]", phone)
    _save(page)


def test_two_devices_editing_the_same_field_show_a_conflict_that_a_person_resolves(
    world: World, phone: Any, browser: Any, live_server: Any
) -> None:
    from pulih.clients.tests.factories import make_client

    client = make_client(world, phone="0811")
    first, second = phone, _device(browser, live_server)
    _setup(first, "alice")
    _setup(second, "carol")
    for page in (first, second):
        page.context.set_offline(True)
    _edit_phone(first, str(client.pk), "0822")
    _edit_phone(second, str(client.pk), "0833")
    first.context.set_offline(False)
    _sync(first)
    second.context.set_offline(False)
    _sync(second)
    second.wait_for_selector("[data-testid=conflict]")
    assert second.inner_text("[data-testid=conflict-server]") == "0822"
    assert second.inner_text("[data-testid=conflict-device]") == "0833"
    screenshot(second, "fieldapp-conflict")
    client.refresh_from_db()
    assert client.phone == "0822"  # nothing overwritten before a person chooses
    second.click("[data-testid=keep-device]")
    second.wait_for_selector("text=Tidak ada perbedaan data.")
    client.refresh_from_db()
    assert client.phone == "0833"
    second.context.close()


def _store_exists(page: Any) -> bool:
    return bool(page.evaluate("indexedDB.databases().then(dbs => dbs.some(d => d.name === 'pulih-field'))"))


def test_logout_wipes_the_store(world: World, phone: Any) -> None:
    from pulih.clients.tests.factories import make_client

    make_client(world)
    _setup(phone)
    assert _store_exists(phone)
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.click("[data-testid=logout]")
    phone.wait_for_url("**/accounts/login/**")
    assert not _store_exists(phone)


def test_too_many_wrong_pins_wipe_the_store(world: World, phone: Any, settings: Any) -> None:
    settings.PULIH_SYNC_MAX_WRONG_PINS = 2
    _setup(phone)
    phone.reload()
    for _ in range(2):
        phone.fill("[data-testid=pin]", "000000")
        phone.click("[data-testid=pin-unlock]")
        phone.wait_for_timeout(600)
    phone.wait_for_selector("[data-testid=pin-setup]")
    screenshot(phone, "fieldapp-wiped-pins")
    assert "PIN salah" in phone.content() or "dihapus" in phone.content()


def test_a_phone_that_has_not_synced_for_too_long_is_wiped(world: World, phone: Any) -> None:
    _setup(phone)
    phone.evaluate(
        """new Promise((ok) => { const r = indexedDB.open('pulih-field'); r.onsuccess = () => {
             const tx = r.result.transaction('meta', 'readwrite');
             tx.objectStore('meta').put(Date.now() - 40 * 86400000, 'last_sync');
             tx.oncomplete = () => { r.result.close(); ok(); }; }; })"""
    )
    phone.reload()
    phone.wait_for_selector("[data-testid=pin-setup]")
    assert "tidak ada sinkronisasi" in phone.inner_text("body").lower()
