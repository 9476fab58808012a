"""Rollups, dashboards, exports and the API: suppressed above the unit, never reading raw tables."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pulih.reports import rollups, services
from pulih.reports.areas import resolve_area
from pulih.reports.exports import export_path
from pulih.reports.models import AreaFact, ExportJob, ExportStatus, Fact, RefreshState
from pulih.reports.months import current_month
from pulih.reports.selectors import dashboard
from pulih.reports.tests.conftest import Month
from pulih.testing.world import World

# Encounter and record tables (reference data such as substance names may be read).
RAW_TABLES = (
    "clients_",
    "screening_screening",
    "screening_substanceresult",
    "referrals_referral",
    "prevention_",
    "units_",
    "mapping_ikrn",
)


def _refresh(world: World, month: Any) -> None:
    rollups.refresh_units([world.unit_kayu_aro.pk, world.unit_air_mesu.pk], [month], villages=True)
    RefreshState.objects.update_or_create(name="facts", defaults={"refreshed_at": "2025-01-01T00:00:00Z"})


def test_rollups_sum_units_to_regency_province_and_nation(world: World, month_of_work: Month) -> None:
    m = month_of_work.month
    _refresh(world, m)
    kayu_regency = world.unit_kayu_aro.village.regency_id
    assert Fact.objects.get(unit=world.unit_kayu_aro, month=m, indicator="clients_new", dim="").value == 4
    reg = AreaFact.objects.get(
        level="regency", regency_id=kayu_regency, month=m, indicator="clients_new", dim=""
    )
    assert reg.value == 4
    prov = AreaFact.objects.get(level="province", province_id="15", month=m, indicator="clients_new", dim="")
    assert prov.value == 4
    nat = AreaFact.objects.get(level="national", month=m, indicator="clients_active", dim="")
    assert nat.value == 5  # 4 in Kayu Aro + the mover in Air Mesu Timur
    # Recomputing is idempotent.
    _refresh(world, m)
    assert AreaFact.objects.filter(level="national", month=m, indicator="clients_active", dim="").count() == 1


def test_the_incremental_refresh_picks_up_audited_writes(world: World, month_of_work: Month) -> None:
    rollups.rebuild_all([current_month()])
    state = RefreshState.objects.get(name="facts")
    assert Fact.objects.filter(indicator="clients_new").exists()
    # A new write after the watermark is seen by the next incremental run.
    from pulih.clients.tests.factories import make_client

    make_client(world)
    result = rollups.refresh_incremental()
    assert result.units >= 1
    assert (
        Fact.objects.get(
            unit=world.unit_kayu_aro, month=current_month(), indicator="clients_new", dim=""
        ).value
        == 5
    )
    assert RefreshState.objects.get(name="facts").audit_watermark > state.audit_watermark


def test_reads_alone_leave_the_units_alone(world: World, month_of_work: Month, as_user: Any) -> None:
    from pulih.audit.codes import read_only_codes
    from pulih.audit.models import AuditEvent
    from pulih.clients.models import Client
    from pulih.clients.tests.factories import make_client

    rollups.rebuild_all([current_month()])
    before = RefreshState.objects.get(name="facts").audit_watermark
    agent = as_user(world.alice)
    assert agent.get("/clients/").status_code == 200
    client = Client.objects.filter(unit=world.unit_kayu_aro).first()
    assert client is not None and agent.get(f"/clients/{client.pk}/").status_code == 200
    pending = AuditEvent.objects.filter(id__gt=before)
    assert pending.filter(unit_id=world.unit_kayu_aro.pk).exists()
    assert set(pending.values_list("action", flat=True)) <= read_only_codes()
    result = rollups.refresh_incremental()
    assert result.units == 0  # nothing was written: no unit is recomputed
    assert RefreshState.objects.get(name="facts").audit_watermark == max(pending.values_list("id", flat=True))
    # A write among reads is still seen.
    make_client(world)
    assert agent.get("/clients/").status_code == 200
    assert rollups.refresh_incremental().units == 1


def test_a_supervisor_sees_small_counts_suppressed_and_the_unit_sees_them(
    world: World, month_of_work: Month
) -> None:
    m = month_of_work.month
    _refresh(world, m)
    province = resolve_area(world.sam, "province", "15")
    board = dashboard(world.sam, province, m, m)
    tiles = {t.key: t for t in board.tiles}
    assert tiles["clients_new"].text == "<5"
    sex = next(b for b in board.breakdowns if b.dim == "sex")
    assert all(s.text in {"<5", "×", "0"} for _label, s in sex.rows)
    unit = resolve_area(world.carol, "unit", str(world.unit_kayu_aro.pk))
    own = {t.key: t for t in dashboard(world.carol, unit, m, m).tiles}
    assert own["clients_new"].text == "4"
    assert own["sessions"].text == "3"


def test_the_totals_attack_fails_on_the_breakdown_of_a_dashboard(world: World, month_of_work: Month) -> None:
    m = month_of_work.month
    _refresh(world, m)
    # Add 9 more women so that the total (13 + 1 = 14… ) is shown: men 3 stays small.
    from pulih.clients.models import Sex
    from pulih.clients.tests.factories import make_client

    for _i in range(9):
        make_client(world, sex=Sex.FEMALE, birth_year=1992)
    _refresh(world, m)
    board = dashboard(world.sam, resolve_area(world.sam, "province", "15"), m, m, focus="clients_new")
    sex = {label: s for label, s in next(b for b in board.breakdowns if b.dim == "sex").rows}
    total = next(b for b in board.breakdowns if b.dim == "sex").total
    assert total is not None and total.text == "13"
    shown = [s for s in sex.values()]
    assert sum(1 for s in shown if s.hidden) == 2  # men (<5) and, complementary, women (×)
    assert {s.text for s in shown} == {"<5", "×"}


def test_dashboard_pages_read_rollups_only(world: World, month_of_work: Month, as_user: Any) -> None:
    _refresh(world, month_of_work.month)
    for user, query in (
        (world.olga, ""),
        (world.sam, "?level=province&area=15"),
        (world.sam, f"?level=regency&area={world.unit_kayu_aro.village.regency_id}"),
        (world.carol, ""),
        (world.pat, ""),
    ):
        client = as_user(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/reports/" + query)
        assert response.status_code == 200
        for q in ctx.captured_queries:
            sql = q["sql"].lower()
            assert not any(f'"{t}' in sql or f" {t}" in sql for t in RAW_TABLES), sql
        assert b"<svg" in response.content
        assert b"style=" not in response.content.split(b"<main")[1]


def test_the_drill_down_goes_from_nation_to_unit(world: World, month_of_work: Month, as_user: Any) -> None:
    _refresh(world, month_of_work.month)
    client = as_user(world.olga)
    body = client.get("/reports/").content.decode()
    assert "level=province&amp;area=15" in body
    body = client.get("/reports/?level=province&area=15").content.decode()
    regency = world.unit_kayu_aro.village.regency_id
    assert f"level=regency&amp;area={regency}" in body
    body = client.get(f"/reports/?level=regency&area={regency}").content.decode()
    assert f"level=unit&amp;area={world.unit_kayu_aro.pk}" in body
    assert "IBM Bina Masyarakat" in body
    # Outside the scope: 404.
    assert as_user(world.sam).get("/reports/?level=province&area=19").status_code == 404
    assert as_user(world.carol).get(f"/reports/?level=unit&area={world.unit_air_mesu.pk}").status_code == 404
    assert (
        as_user(world.pat).get("/reports/?level=province&area=19").status_code == 404
    )  # BNNK: not the whole province


@pytest.mark.django_db(transaction=False)
def test_exports_run_in_the_background_and_are_suppressed(
    world: World, month_of_work: Month, huey_immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    m = month_of_work.month
    _refresh(world, m)
    params = {"level": "province", "area": "15", "from": f"{m:%Y-%m}", "to": f"{m:%Y-%m}"}
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(
            actor=world.sam, kind="facts", format="csv", params={**params, "by": "unit"}
        )
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert job.rows_done > 0 and job.percent == 100
    path = export_path(job)
    assert path is not None
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    new = [r for r in rows[1:] if r[4] == "clients_new" and r[6] == ""]
    assert new and new[0][-1] == "<5"
    assert not any(r[-1] in {"1", "2", "3", "4"} for r in rows[1:])

    with django_capture_on_commit_callbacks(execute=True):
        xlsx = services.export_request(
            actor=world.olga, kind="dashboard", format="xlsx", params={"level": "national"}
        )
    xlsx.refresh_from_db()
    assert xlsx.status == ExportStatus.DONE, xlsx.error
    xlsx_path = export_path(xlsx)
    assert xlsx_path is not None
    wb = load_workbook(xlsx_path, read_only=True)
    assert len(wb.sheetnames) >= 3

    with django_capture_on_commit_callbacks(execute=True):
        pdf = services.export_request(actor=world.sam, kind="dashboard", format="pdf", params=params)
    pdf.refresh_from_db()
    assert pdf.status == ExportStatus.DONE, pdf.error
    assert export_path(pdf).read_bytes()[:4] == b"%PDF"  # type: ignore[union-attr]


def test_the_monthly_report_pdf_and_the_client_recap(
    world: World,
    month_of_work: Month,
    huey_immediate: None,
    django_capture_on_commit_callbacks: Any,
    as_user: Any,
) -> None:
    report = services.report_open(actor=world.carol, month=current_month())
    with django_capture_on_commit_callbacks(execute=True):
        pdf = services.export_request(
            actor=world.sam, kind="report", format="pdf", params={"report": str(report.pk)}
        )
        recap = services.export_request(
            actor=world.carol, kind="recap", format="csv", params={"month": f"{current_month():%Y-%m}"}
        )
    pdf.refresh_from_db()
    recap.refresh_from_db()
    assert pdf.status == ExportStatus.DONE, pdf.error
    assert recap.status == ExportStatus.DONE, recap.error
    text = export_path(recap).read_text(encoding="utf-8-sig")  # type: ignore[union-attr]
    assert month_of_work.c1.code in text and month_of_work.c2.code in text
    # The mover was served by this unit earlier in the month, so the recap lists them.
    assert month_of_work.mover.code in text
    assert "Budi" not in text  # codes only, never names
    # The recap is per unit only: a supervisor cannot ask for it.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.export_request(actor=world.sam, kind="recap", format="csv", params={})
    # The owner downloads; anybody else gets 404.
    assert as_user(world.sam).get(f"/reports/exports/{pdf.pk}/download/").status_code == 200
    assert as_user(world.olga).get(f"/reports/exports/{pdf.pk}/download/").status_code == 404
    status = as_user(world.sam).get(f"/reports/exports/{pdf.pk}/status/").json()
    assert status["status"] == "done" and status["percent"] == 100
    assert ExportJob.objects.filter(requested_by=world.carol, kind="recap").count() == 1


def test_the_api_returns_suppressed_values_and_the_report_workflow(
    world: World, month_of_work: Month, as_user: Any
) -> None:
    _refresh(world, month_of_work.month)
    m = f"{month_of_work.month:%Y-%m}"
    data = (
        as_user(world.sam)
        .get(f"/api/v1/reports/values?level=province&area=15&period_from={m}&period_to={m}")
        .json()
    )
    values = {v["key"]: v for v in data["values"]}
    assert data["suppressed"] is True and values["clients_new"]["value"] == "<5"
    own = as_user(world.carol).get(f"/api/v1/reports/values?period_from={m}&period_to={m}").json()
    assert {v["key"]: v for v in own["values"]}["clients_new"]["value"] == "4"
    catalogue = as_user(world.mira).get("/api/v1/reports/indicators").json()
    assert any(i["key"] == "median_days_to_acceptance" for i in catalogue["indicators"])
    report = services.report_open(actor=world.carol, month=current_month())
    services.report_edit(actor=world.carol, report=report, narrative="ok")
    carol = as_user(world.carol)
    r = carol.post(
        f"/api/v1/reports/monthly/{report.pk}/transition",
        data={"action": "submit"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = as_user(world.sam).post(
        f"/api/v1/reports/monthly/{report.pk}/transition",
        data={"action": "verify"},
        content_type="application/json",
    )
    assert r.json()["status"] == "verified"
    schema = as_user(world.olga).get("/api/v1/openapi.json").json()
    assert "/api/v1/reports/values" in schema["paths"]
