"""A supervisor builds a unit on a phone: unit, agents, bimtek with attendance (acceptance point 10)."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.organisations.models import Unit
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World
from pulih.units.models import Attendance, TrainingEvent


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_creates_a_unit_adds_agents_and_records_a_bimtek_on_a_phone(
    world: World, phone: Any
) -> None:
    page = phone
    browser_login(page, "pat")
    page.goto(page.base_url + "/units/")
    page.click("[data-testid=unit-create]")

    # The unit, in a village of BNNK Pangkalpinang's work area, picked by search.
    page.fill("input[name=name]", "IBM Mangkol Sehat")
    page.fill("#id_village", "Mangkol")
    page.click(".region-picker__results li >> text=Mangkol")
    page.fill("input[name=decree_number]", "05/SK/DS/2024")
    page.fill("input[name=decree_date]", "2024-02-01")
    page.fill("input[name=decree_signer]", "Kepala Desa Mangkol")
    screenshot(page, "units-create-form")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=unit-title]")
    unit = Unit.objects.get(name="IBM Mangkol Sehat")
    assert unit.village_id == "19.04.02.2006" and unit.office == world.bnnk_pkp
    assert "Diusulkan" in page.inner_text("[data-status]")

    # Three agents, the first as coordinator.
    page.click("[data-testid=agent-create]")
    for i, role in enumerate(["coordinator", "member", "member"], start=1):
        page.fill("input[name=name]", f"Agen Uji {i}")
        page.check(f"input[name=sex][value={'f' if i % 2 else 'm'}]")
        page.fill("input[name=birth_year]", str(1985 + i))
        page.select_option("select[name=role]", role)
        page.check("input[name=tags][value=youth]")
        if i < 3:
            page.click("[data-testid=save-another]")
            page.wait_for_selector(".message--success")
        else:
            screenshot(page, "units-agent-form")
            page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=agent-list]")
    assert page.locator("[data-testid=agent-list] li").count() == 3

    # The unit is formed (it has its decree), then the bimtek.
    page.click("[data-testid=change-status]")
    page.select_option("select[name=to_status]", "formed")
    page.fill("textarea[name=reason]", "SK Kepala Desa terbit")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=event-create]")
    page.click("[data-testid=event-create]")
    page.fill("input[name=title]", "Bimtek IBM Desa Mangkol")
    page.fill("input[name=starts_on]", "2024-05-06")
    page.fill("input[name=ends_on]", "2024-05-08")
    page.fill("input[name=venue]", "Aula Kantor Desa Mangkol")
    page.click("[data-testid=save]")

    # Participants: the three agents and pat himself.
    page.wait_for_selector("input[name=agents]")
    for box in page.locator("input[name=agents]").all():
        box.check()
    page.check(f"input[name=staff][value='{world.pat.pk}']")
    page.click("[data-testid=save]")

    # Attendance per day: the agents every day, pat misses the last day.
    page.wait_for_selector("fieldset.attendance")
    for box in page.locator("fieldset.attendance input[type=checkbox]").all():
        box.check()
    page.locator("fieldset.attendance", has_text="Pat").locator("input[value='2024-05-08']").uncheck()
    screenshot(page, "units-attendance")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=attendance-table]")
    screenshot(page, "units-event")

    event = TrainingEvent.objects.get(unit=unit)
    assert Attendance.objects.filter(participant__event=event).count() == 3 * 4 - 1
    # Three active agents completed the bimtek: the unit is now "trained" by the default rule.
    unit.refresh_from_db()
    assert unit.status == "trained"
    page.goto(page.base_url + f"/units/{unit.pk}/")
    assert "Terlatih" in page.inner_text("[data-status]")
    assert "Otomatis" in page.inner_text("[data-testid=status-history]")
    screenshot(page, "units-profile")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_directory_filters_by_a_place_found_with_the_region_search(world: World, phone: Any) -> None:
    page = phone
    browser_login(page, "olga")
    page.goto(page.base_url + "/units/")
    assert "IBM Air Mesu Timur" in page.inner_text("[data-testid=unit-list]")
    # Any level: a regency typed by name, picked from the one region search.
    page.fill("#area", "Muaro Jambi")
    page.click(".region-picker__results li >> text=Muaro Jambi")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/units/?*area=15.05*")
    listed = page.inner_text("[data-testid=unit-list]")
    assert "IBM Bina Masyarakat" in listed and "IBM Air Mesu Timur" not in listed
    assert "Muaro Jambi" in page.inner_text(".field--area .chip")  # the choice stays shown
    screenshot(page, "units-filter-area")
