"""Reports API (``/api/v1/reports/``): indicators, figures, monthly reports, exports.

Scoped like the pages: figures above the unit are suppressed exactly as on
screen. Operations that need a permission check it during authentication,
before the body is validated, so a role without it gets 403 whatever it sends.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status

from pulih.accounts.api_auth import guarded
from pulih.reports import services
from pulih.reports.access import ReportPerm
from pulih.reports.areas import area_from_request
from pulih.reports.catalogue import DIMENSIONS, INDICATORS
from pulih.reports.compute import unavailable_indicators
from pulih.reports.exports import report_rows, report_suppressed
from pulih.reports.models import ExportJob, MonthlyReport
from pulih.reports.months import parse_month
from pulih.reports.rollups import freshness
from pulih.reports.selectors import (
    default_period,
    export_get,
    export_list,
    indicator_table,
    report_events,
    report_get,
    report_list,
)

router = Router(tags=["reports"])


def _auth(permission: str) -> list[Any]:
    return guarded(permission)


# --- Schemas ------------------------------------------------------------------------------------


class IndicatorOut(Schema):
    key: str
    name: str
    name_en: str
    name_id: str
    group: str
    kind: str
    aggregation: str
    definition: str
    numerator: str
    denominator: str
    dimensions: list[str]
    sources: list[str]
    computed: bool


class DimensionOut(Schema):
    key: str
    name: str
    additive: bool
    members: dict[str, str]


class CatalogueOut(Schema):
    indicators: list[IndicatorOut]
    dimensions: list[DimensionOut]


class ValuesQuery(Schema):
    level: str = ""
    area: str = ""
    period_from: str = ""
    period_to: str = ""


class ValueOut(Schema):
    key: str
    name: str
    kind: str
    value: str
    breakdowns: dict[str, dict[str, str]] = {}


class ValuesOut(Schema):
    level: str
    area: str
    label: str
    period_from: str
    period_to: str
    suppressed: bool
    refreshed_at: datetime | None
    values: list[ValueOut]


class ReportFilter(Schema):
    month: str = ""
    status: str = ""


class ReportOut(Schema):
    id: UUID
    unit_id: int
    unit_name: str
    month: date
    status: str
    due_on: date
    submitted_at: datetime | None
    verified_at: datetime | None
    corrections: int


class FigureOut(Schema):
    indicator: str
    breakdown: str
    member: str
    value: str


class EventOut(Schema):
    action: str = ""
    from_status: str
    to_status: str
    comment: str
    at: datetime


class ReportDetailOut(ReportOut):
    narrative: str
    challenges: str
    plans_next_month: str
    return_comment: str
    figures: list[FigureOut]
    events: list[EventOut]
    allowed_actions: list[str]


class TransitionIn(Schema):
    action: str = ""
    comment: str = ""


class ExportIn(Schema):
    kind: str
    format: str
    params: dict[str, Any] = {}


class ExportOut(Schema):
    id: UUID
    kind: str
    format: str
    title: str
    status: str
    percent: int
    rows_done: int
    rows_total: int
    created_at: datetime
    download_url: str | None


class FreshnessOut(Schema):
    refreshed_at: datetime | None


class AcceptedOut(Schema):
    queued: bool


def _report_out(r: MonthlyReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "unit_name": r.unit.name,
        "month": r.month,
        "status": r.status,
        "due_on": r.due_on,
        "submitted_at": r.submitted_at,
        "verified_at": r.verified_at,
        "corrections": r.corrections,
    }


def _export_out(job: ExportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "format": job.format,
        "title": job.title,
        "status": job.status,
        "percent": job.percent,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "created_at": job.created_at,
        "download_url": reverse("reports:export_download", kwargs={"pk": job.pk})
        if job.status == "done"
        else None,
    }


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/indicators", response=CatalogueOut, url_name="reports_indicator_list", auth=_auth(ReportPerm.DASHBOARD)
)
def indicator_catalogue(request: HttpRequest) -> dict[str, Any]:
    """The indicator catalogue: definitions, numerators, denominators, breakdowns, sources."""
    missing = unavailable_indicators()
    return {
        "indicators": [
            {
                "key": i.key,
                "name": i.name,
                "name_en": i.name_en,
                "name_id": i.name_id,
                "group": i.group,
                "kind": i.kind,
                "aggregation": i.aggregation,
                "definition": i.definition,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "dimensions": list(i.dimensions),
                "sources": list(i.sources),
                "computed": i.key not in missing,
            }
            for i in INDICATORS
        ],
        "dimensions": [
            {"key": d.key, "name": d.name, "additive": d.additive, "members": d.member_labels()}
            for d in DIMENSIONS.values()
        ],
    }


@router.get("/values", response=ValuesOut, url_name="reports_value_list", auth=_auth(ReportPerm.DASHBOARD))
def indicator_values(request: HttpRequest, filters: Query[ValuesQuery]) -> dict[str, Any]:
    """Every indicator for an area and period, read from the rollups (suppressed above the unit)."""
    from pulih.reports.areas import suppressed_for

    params = {"level": filters.level, "area": filters.area}
    area = area_from_request(request.user, params)
    first, last = default_period()
    first = parse_month(filters.period_from, first) or first
    last = parse_month(filters.period_to, last) or last
    if first > last:
        first, last = last, first
    return {
        "level": area.level,
        "area": area.code,
        "label": area.label,
        "period_from": f"{first:%Y-%m}",
        "period_to": f"{last:%Y-%m}",
        "suppressed": suppressed_for(request.user, area),
        "refreshed_at": freshness(),
        "values": indicator_table(request.user, area, first, last),
    }


@router.get(
    "/freshness", response=FreshnessOut, url_name="reports_freshness", auth=_auth(ReportPerm.DASHBOARD)
)
def rollup_freshness(request: HttpRequest) -> dict[str, Any]:
    return {"refreshed_at": freshness()}


@router.post(
    "/refresh", response={202: AcceptedOut}, url_name="reports_refresh", auth=_auth(ReportPerm.REFRESH)
)
def rollup_refresh(request: HttpRequest) -> Status:
    """Recompute the rollups now (the user's unit, or everything for office staff)."""
    services.rollup_refresh_request(actor=request.user, request=request)
    return Status(202, {"queued": True})


@router.get("/monthly", response=list[ReportOut], url_name="reports_report_list", auth=_auth(ReportPerm.VIEW))
def monthly_reports(request: HttpRequest, filters: Query[ReportFilter]) -> list[dict[str, Any]]:
    qs = report_list(user=request.user, month=parse_month(filters.month), status=filters.status)
    return [_report_out(r) for r in qs[:500]]


@router.get(
    "/monthly/{report_id}",
    response=ReportDetailOut,
    url_name="reports_report_get",
    auth=_auth(ReportPerm.VIEW),
)
def monthly_report(request: HttpRequest, report_id: UUID) -> dict[str, Any]:
    r = report_get(user=request.user, pk=report_id)
    rows = report_rows(r, hide=report_suppressed(request.user, r))
    return {
        **_report_out(r),
        "narrative": r.narrative,
        "challenges": r.challenges,
        "plans_next_month": r.plans_next_month,
        "return_comment": r.return_comment,
        "figures": [{"indicator": a, "breakdown": b, "member": c, "value": str(d)} for a, b, c, d in rows],
        "events": [
            {
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": e.comment,
                "at": e.at,
            }
            for e in report_events(report=r)
        ],
        "allowed_actions": services.allowed_actions(request.user, r),
    }


@router.post(
    "/monthly/{report_id}/transition",
    response=ReportOut,
    url_name="reports_report_transition",
    auth=_auth(ReportPerm.VIEW),
)
def monthly_report_transition(request: HttpRequest, report_id: UUID, payload: TransitionIn) -> dict[str, Any]:
    """One workflow step: submit, return, verify, finalise, reopen (with a reason) or compile."""
    r = report_get(user=request.user, pk=report_id)
    r = services.report_transition(
        actor=request.user, request=request, report=r, action=payload.action, comment=payload.comment
    )
    return _report_out(r)


@router.get(
    "/exports", response=list[ExportOut], url_name="reports_export_list", auth=_auth(ReportPerm.EXPORT)
)
def exports(request: HttpRequest) -> list[dict[str, Any]]:
    return [_export_out(j) for j in export_list(user=request.user)[:100]]


@router.post(
    "/exports", response={201: ExportOut}, url_name="reports_export_create", auth=_auth(ReportPerm.EXPORT)
)
def export_create(request: HttpRequest, payload: ExportIn) -> Status:
    """Queue an export (kind: facts, dashboard, report, recap; format: csv, xlsx, pdf)."""
    job = services.export_request(
        actor=request.user, request=request, kind=payload.kind, format=payload.format, params=payload.params
    )
    return Status(201, _export_out(job))


@router.get(
    "/exports/{export_id}", response=ExportOut, url_name="reports_export_get", auth=_auth(ReportPerm.EXPORT)
)
def export_status(request: HttpRequest, export_id: UUID) -> dict[str, Any]:
    return _export_out(export_get(user=request.user, pk=export_id))
