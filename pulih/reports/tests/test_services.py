"""The monthly report workflow, due dates and the late-units list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from pulih.audit.models import AuditEvent
from pulih.core.errors import DomainError
from pulih.reports import services
from pulih.reports.audit_codes import ReportAction as Audit
from pulih.reports.models import ReportStatus
from pulih.reports.months import add_months, current_month
from pulih.reports.selectors import late_units
from pulih.reports.tests.conftest import Month
from pulih.testing.world import World


def test_the_report_is_due_in_the_first_week_of_the_next_month() -> None:
    assert services.due_date(dt.date(2025, 3, 1)) == dt.date(2025, 4, 7)
    assert services.due_date(dt.date(2025, 12, 1)) == dt.date(2026, 1, 7)


def test_the_report_is_compiled_from_the_months_records(world: World, month_of_work: Month) -> None:
    report = services.report_open(actor=world.carol, month=current_month())
    assert report.figures["clients_new"][""][""] == 4
    assert report.figures["group_attendance"][""][""] == 5
    assert report.figures["episodes_closed"]["reason"]["moved"] == 1
    assert report.status == ReportStatus.DRAFT
    # Opening it again returns the same report.
    assert services.report_open(actor=world.carol, month=current_month()).pk == report.pk


def test_the_workflow_submit_return_resubmit_verify_finalise_reopen(world: World) -> None:
    month = add_months(current_month(), -1)
    report = services.report_open(actor=world.carol, month=month)
    with pytest.raises(DomainError) as err:
        services.report_submit(actor=world.carol, report=report)
    assert err.value.field == "narrative"
    services.report_edit(actor=world.carol, report=report, narrative="Dua sesi kelompok berjalan baik.")
    report = services.report_submit(actor=world.carol, report=report)
    assert report.status == ReportStatus.SUBMITTED

    with pytest.raises(DomainError):
        services.report_return(actor=world.sam, report=report, comment="  ")
    report = services.report_return(actor=world.sam, report=report, comment="Lengkapi kendala.")
    assert report.status == ReportStatus.RETURNED
    assert report.return_comment == "Lengkapi kendala."

    services.report_edit(
        actor=world.carol, report=report, narrative="Dua sesi kelompok.", challenges="Kurang tes urine."
    )
    report = services.report_submit(actor=world.carol, report=report)
    report = services.report_verify(actor=world.sam, report=report)
    assert report.status == ReportStatus.VERIFIED and report.is_locked

    # Locked: the unit can neither edit nor recount it.
    with pytest.raises(DomainError) as locked:
        services.report_edit(actor=world.carol, report=report, narrative="ubah")
    assert locked.value.code == "locked"
    with pytest.raises(DomainError):
        services.report_compile(actor=world.carol, report=report)

    report = services.report_finalise(actor=world.sam, report=report)
    assert report.status == ReportStatus.FINAL
    with pytest.raises(DomainError):
        services.report_reopen(actor=world.sam, report=report, reason="")
    report = services.report_reopen(actor=world.sam, report=report, reason="Angka klien salah.")
    assert report.status == ReportStatus.RETURNED and report.corrections == 1
    assert [e.action for e in report.events.order_by("at", "id")] == [
        "create",
        "edit",
        "submit",
        "return",
        "edit",
        "submit",
        "verify",
        "finalise",
        "reopen",
    ]
    codes = list(
        AuditEvent.objects.filter(object_id=str(report.pk)).order_by("id").values_list("action", flat=True)
    )
    assert Audit.REPORT_SUBMITTED in codes and Audit.REPORT_RETURNED in codes
    assert Audit.REPORT_VERIFIED in codes and Audit.REPORT_REOPENED in codes
    reopened = AuditEvent.objects.get(object_id=str(report.pk), action=Audit.REPORT_REOPENED)
    assert reopened.detail["reason"] == "Angka klien salah."


def test_only_the_units_coordinator_submits_and_only_its_supervising_office_verifies(world: World) -> None:
    report = services.report_open(actor=world.carol, month=add_months(current_month(), -1))
    services.report_edit(actor=world.carol, report=report, narrative="ok")
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=world.alice, report=report)  # an agent
    with pytest.raises(PermissionDenied):
        services.report_open(actor=world.sam, month=current_month())  # a supervisor
    report = services.report_submit(actor=world.carol, report=report)
    with pytest.raises(DomainError) as outside:
        services.report_verify(actor=world.pat, report=report)  # BNNK Pangkalpinang: another area
    assert outside.value.status == 404
    with pytest.raises(PermissionDenied):
        services.report_verify(actor=world.carol, report=report)
    assert services.allowed_actions(world.sam, report) == ["verify", "return"]
    assert services.allowed_actions(world.carol, report) == []


def test_a_future_month_cannot_be_reported(world: World) -> None:
    with pytest.raises(DomainError):
        services.report_open(actor=world.carol, month=add_months(current_month(), 1))


def test_late_units_are_listed_per_office(world: World) -> None:
    month = dt.date(2025, 3, 1)
    today = dt.date(2025, 4, 10)
    everyone = late_units(user=world.olga, month=month, today=today)
    assert {row.unit.pk for row in everyone} == {world.unit_kayu_aro.pk, world.unit_air_mesu.pk}
    assert all(row.days_late == 3 for row in everyone)
    jambi = late_units(user=world.sam, month=month, today=today)
    assert [row.unit.pk for row in jambi] == [world.unit_kayu_aro.pk]
    assert (
        late_units(user=world.olga, month=month, today=today, office=world.bnnk_pkp)[0].unit
        == world.unit_air_mesu
    )
    # Before the due date nobody is late; a submitted report is not late.
    assert late_units(user=world.olga, month=month, today=dt.date(2025, 4, 7)) == []
    report = services.report_open(actor=world.carol, month=month)
    services.report_edit(actor=world.carol, report=report, narrative="ok")
    services.report_submit(actor=world.carol, report=report)
    assert [r.unit.pk for r in late_units(user=world.olga, month=month, today=today)] == [
        world.unit_air_mesu.pk
    ]
