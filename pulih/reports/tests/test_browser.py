"""On a phone: carol submits the unit's monthly report, sam returns it, carol resubmits, sam verifies."""

from __future__ import annotations

from typing import Any

import pytest

from pulih.reports import rollups
from pulih.reports.models import MonthlyReport, ReportStatus
from pulih.reports.months import current_month
from pulih.reports.tests.conftest import build_month
from pulih.testing.browser import browser_login, screenshot
from pulih.testing.world import World


def _switch(page: Any, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, username)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_unit_submits_its_report_and_the_supervisor_returns_then_verifies_it(
    world: World, phone: Any, huey_immediate: None
) -> None:
    page = phone
    browser_login(page, "carol")
    page.goto(page.base_url + "/reports/monthly/")
    page.click("[data-testid=report-open]")
    page.wait_for_selector("[data-testid=report-status]")
    page.click("[data-testid=report-edit]")
    page.fill("textarea[name=narrative]", "Dua sesi kelompok dan satu kunjungan rumah. Tidak ada nama klien.")
    page.click("[data-testid=narrative-save]")
    page.click("[data-testid=action-submit]")
    page.wait_for_selector("text=Diserahkan")
    screenshot(page, "reports-01-carol-submitted")
    report = MonthlyReport.objects.get(unit=world.unit_kayu_aro)
    assert report.status == ReportStatus.SUBMITTED

    _switch(page, "sam")
    page.goto(page.base_url + "/reports/monthly/")
    page.click(f"a[href='/reports/monthly/{report.pk}/']")
    page.fill("#c-return", "Tambahkan kendala dan rencana bulan depan.")
    page.click("[data-testid=action-return]")
    page.wait_for_selector("[data-testid=return-comment]")
    screenshot(page, "reports-02-sam-returned")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    _switch(page, "carol")
    page.goto(page.base_url + f"/reports/monthly/{report.pk}/")
    assert "Tambahkan kendala" in page.inner_text("[data-testid=return-comment]")
    page.click("[data-testid=report-edit]")
    page.fill("textarea[name=challenges]", "Tes urine terbatas.")
    page.click("[data-testid=narrative-save]")
    page.click("[data-testid=action-submit]")
    page.wait_for_selector("text=Diserahkan")

    _switch(page, "sam")
    page.goto(page.base_url + f"/reports/monthly/{report.pk}/")
    page.click("[data-testid=action-verify]")
    page.wait_for_selector("text=Diverifikasi")
    screenshot(page, "reports-03-sam-verified")
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED
    assert page.locator("[data-testid=report-edit]").count() == 0  # locked

    # Some client work this month, counted into the rollups, for the supervisor's dashboard.
    build_month(world)
    rollups.rebuild_all([current_month()])
    page.goto(page.base_url + "/reports/?level=province&area=15")
    page.wait_for_selector("[data-testid=tiles]")
    screenshot(page, "reports-04-sam-dashboard")
    assert "<5" in page.inner_text("[data-testid=tiles]")  # 4 new clients, suppressed for the province
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the dashboard scrolls sideways on a phone ({width}px)"
