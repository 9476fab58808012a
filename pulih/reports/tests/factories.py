"""Test helpers for reports: a monthly report and an export job without going through the UI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pulih.accounts.models import User
from pulih.reports.models import ExportJob, MonthlyReport
from pulih.reports.services import due_date
from pulih.testing.world import World

MONTH = dt.date(2025, 3, 1)


def make_report(world: World, unit: Any = None, month: dt.date = MONTH) -> MonthlyReport:
    unit = unit or world.unit_kayu_aro
    creator = world.carol if unit.pk == world.unit_kayu_aro.pk else world.bob
    report, _created = MonthlyReport.objects.get_or_create(
        unit=unit, month=month, defaults={"due_on": due_date(month), "created_by": creator}
    )
    return report


def other_report(world: World, user: Any) -> MonthlyReport | None:
    """A report of a unit outside ``user``'s scope (None for national users)."""
    if user.unit_id == world.unit_kayu_aro.pk or user.office_id == world.bnnp_jambi.pk:
        return make_report(world, world.unit_air_mesu)
    if user.unit_id == world.unit_air_mesu.pk or user.office_id in {world.bnnk_pkp.pk, world.bnnp_babel.pk}:
        return make_report(world, world.unit_kayu_aro)
    return None


def make_export(user: Any, **kw: Any) -> ExportJob:
    fields = {"kind": "dashboard", "format": "csv", "params": {"level": "national"}, "title": "test"}
    fields.update(kw)
    return ExportJob.objects.create(requested_by=user, **fields)


def bystander_export(world: World) -> ExportJob:
    return make_export(User.objects.get(username="bystander"))
