"""Every write of the reports app: the monthly report workflow, exports, refreshes.

Workflow of the laporan bulanan (domain.md §6)::

    draft ──submit──▶ submitted ──verify──▶ verified ──finalise──▶ final
      ▲                  │                     │                     │
      └────(edit)── returned ◀──return──┘      └──────reopen (reason)─┘
                      (comments)                 → returned, corrections + 1

The unit's coordinator writes and submits; the supervising office (a
supervisor whose work area holds the unit) returns, verifies, finalises and
reopens. A verified or final report is locked: its figures and narrative no
longer change until it is reopened with a reason. Every step is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.accounts.scoping import require, scope_for, unit_in_scope, user_can
from pulih.audit.services import audit_record
from pulih.core.errors import ConflictError, DomainError, NotAllowed
from pulih.organisations.models import Unit
from pulih.reports.access import ReportPerm
from pulih.reports.audit_codes import ReportAction as Audit
from pulih.reports.compute import compute_units
from pulih.reports.models import (
    EDITABLE_STATUSES,
    ExportFormat,
    ExportJob,
    ExportKind,
    MonthlyReport,
    ReportAction,
    ReportEvent,
    ReportStatus,
)
from pulih.reports.months import add_months, current_month, parse_month
from pulih.reports.rollups import fresh_unit_figures

# --- Due dates and compilation -------------------------------------------------------------


def due_day() -> int:
    """Day of the next month a report is due (Perka BNN 4/2015: the first week)."""
    return int(getattr(settings, "PULIH_REPORT_DUE_DAY", 7))


def due_date(month: dt.date) -> dt.date:
    nxt = add_months(month, 1)
    return nxt.replace(day=min(due_day(), 28))


def compile_figures(unit: Unit, month: dt.date) -> dict[str, dict[str, dict[str, int]]]:
    """The month's counts of one unit: {indicator: {dim: {member: n}}}.

    Read from the unit's rollup facts when they are known to be up to date
    (``rollups.fresh_unit_figures``: the same computation, already done by the
    periodic refresh), else computed from its records now.
    """
    fresh = fresh_unit_figures(unit.pk, month)
    if fresh is not None:
        return fresh
    return compute_figures(unit, month)


def compute_figures(unit: Unit, month: dt.date) -> dict[str, dict[str, dict[str, int]]]:
    """The month's counts of one unit, straight from its records."""
    acc = compute_units([unit.pk], [month])
    figures: dict[str, dict[str, dict[str, int]]] = {}
    for (_unit, _month, indicator, dim, member), value in sorted(acc.items(), key=lambda kv: kv[0][2:]):
        figures.setdefault(indicator, {}).setdefault(dim, {})[member] = value
    return figures


def _event(report: MonthlyReport, action: str, previous: str, actor: Any, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=previous,
        to_status=report.status,
        comment=comment,
        by=actor,
        at=timezone.now(),
    )


def _detail(report: MonthlyReport, **extra: Any) -> dict[str, Any]:
    return {"unit": report.unit_id, "month": report.month.strftime("%Y-%m"), "status": report.status, **extra}


def _schedule_refresh(unit_id: int, month: dt.date) -> None:
    from pulih.reports.tasks import refresh_rollups_task

    transaction.on_commit(lambda: refresh_rollups_task([unit_id], [month.isoformat()]))


def _require_unit_writer(actor: Any, report_unit_id: int) -> None:
    require(actor, ReportPerm.SUBMIT)
    if getattr(actor, "unit_id", None) != report_unit_id:
        raise DomainError(_("Report not found."), code="not_found", status=404)


def _require_verifier(actor: Any, report: MonthlyReport) -> None:
    require(actor, ReportPerm.VERIFY)
    if not unit_in_scope(actor, report.unit):
        raise DomainError(_("Report not found."), code="not_found", status=404)


def _compile_into(report: MonthlyReport) -> None:
    report.figures = compile_figures(report.unit, report.month)
    report.compiled_at = timezone.now()


@transaction.atomic
def report_open(*, actor: Any, request: HttpRequest | None = None, month: dt.date) -> MonthlyReport:
    """The unit's report for ``month``, created (and compiled) on first use."""
    require(actor, ReportPerm.SUBMIT)
    unit_id = getattr(actor, "unit_id", None)
    if not unit_id:
        raise NotAllowed(
            _("Only the coordinator of an IBM unit writes its monthly report."), code="not_allowed"
        )
    month = month.replace(day=1)
    if month > current_month():
        raise DomainError(
            _("A report can only be written for this month or an earlier one."), code="invalid", field="month"
        )
    existing = MonthlyReport.objects.filter(unit_id=unit_id, month=month).first()
    if existing is not None:
        return existing
    report = MonthlyReport(
        unit=Unit.objects.get(pk=unit_id), month=month, due_on=due_date(month), created_by=actor
    )
    _compile_into(report)
    report.full_clean()
    report.save(force_insert=True)
    _event(report, ReportAction.CREATE, "", actor)
    audit_record(
        action=Audit.REPORT_CREATED, request=request, actor=actor, obj=report, detail=_detail(report)
    )
    _schedule_refresh(unit_id, month)
    return report


def _lock(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().select_related("unit__village").get(pk=report.pk)


@transaction.atomic
def report_compile(*, actor: Any, request: HttpRequest | None = None, report: MonthlyReport) -> MonthlyReport:
    """Recount the month's figures from the records (draft or returned only)."""
    report = _lock(report)
    _require_unit_writer(actor, report.unit_id)
    if report.status not in EDITABLE_STATUSES:
        raise ConflictError(
            _("This report is locked; ask the supervising office to reopen it."), code="locked"
        )
    _compile_into(report)
    report.save(update_fields=["figures", "compiled_at", "updated_at"])
    _event(report, ReportAction.COMPILE, report.status, actor)
    audit_record(
        action=Audit.REPORT_COMPILED, request=request, actor=actor, obj=report, detail=_detail(report)
    )
    _schedule_refresh(report.unit_id, report.month)
    return report


@transaction.atomic
def report_edit(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    report: MonthlyReport,
    narrative: str,
    challenges: str = "",
    plans_next_month: str = "",
) -> MonthlyReport:
    report = _lock(report)
    _require_unit_writer(actor, report.unit_id)
    if report.status not in EDITABLE_STATUSES:
        raise ConflictError(
            _("This report is locked; ask the supervising office to reopen it."), code="locked"
        )
    report.narrative = narrative.strip()
    report.challenges = challenges.strip()
    report.plans_next_month = plans_next_month.strip()
    report.full_clean()
    report.save(update_fields=["narrative", "challenges", "plans_next_month", "updated_at"])
    _event(report, ReportAction.EDIT, report.status, actor)
    audit_record(action=Audit.REPORT_EDITED, request=request, actor=actor, obj=report, detail=_detail(report))
    return report


@transaction.atomic
def report_submit(*, actor: Any, request: HttpRequest | None = None, report: MonthlyReport) -> MonthlyReport:
    report = _lock(report)
    _require_unit_writer(actor, report.unit_id)
    if report.status not in EDITABLE_STATUSES:
        raise ConflictError(_("Only a draft or a returned report can be submitted."), code="invalid_state")
    if not report.narrative.strip():
        raise DomainError(_("Write the narrative before submitting."), code="required", field="narrative")
    previous = report.status
    _compile_into(report)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save()
    _event(report, ReportAction.SUBMIT, previous, actor)
    audit_record(
        action=Audit.REPORT_SUBMITTED, request=request, actor=actor, obj=report, detail=_detail(report)
    )
    _schedule_refresh(report.unit_id, report.month)
    return report


@transaction.atomic
def report_return(
    *, actor: Any, request: HttpRequest | None = None, report: MonthlyReport, comment: str
) -> MonthlyReport:
    report = _lock(report)
    _require_verifier(actor, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ConflictError(_("Only a submitted report can be returned."), code="invalid_state")
    if not comment.strip():
        raise DomainError(_("Write what the unit should correct."), code="required", field="comment")
    report.status = ReportStatus.RETURNED
    report.return_comment = comment.strip()
    report.save(update_fields=["status", "return_comment", "updated_at"])
    _event(report, ReportAction.RETURN, ReportStatus.SUBMITTED, actor, comment.strip())
    audit_record(
        action=Audit.REPORT_RETURNED, request=request, actor=actor, obj=report, detail=_detail(report)
    )
    return report


@transaction.atomic
def report_verify(
    *, actor: Any, request: HttpRequest | None = None, report: MonthlyReport, comment: str = ""
) -> MonthlyReport:
    report = _lock(report)
    _require_verifier(actor, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ConflictError(_("Only a submitted report can be verified."), code="invalid_state")
    report.status = ReportStatus.VERIFIED
    report.verified_at = timezone.now()
    report.verified_by = actor
    report.return_comment = ""
    report.save(update_fields=["status", "verified_at", "verified_by", "return_comment", "updated_at"])
    _event(report, ReportAction.VERIFY, ReportStatus.SUBMITTED, actor, comment.strip())
    audit_record(
        action=Audit.REPORT_VERIFIED, request=request, actor=actor, obj=report, detail=_detail(report)
    )
    return report


@transaction.atomic
def report_finalise(
    *, actor: Any, request: HttpRequest | None = None, report: MonthlyReport
) -> MonthlyReport:
    report = _lock(report)
    _require_verifier(actor, report)
    if report.status != ReportStatus.VERIFIED:
        raise ConflictError(_("Only a verified report can be made final."), code="invalid_state")
    report.status = ReportStatus.FINAL
    report.save(update_fields=["status", "updated_at"])
    _event(report, ReportAction.FINALISE, ReportStatus.VERIFIED, actor)
    audit_record(
        action=Audit.REPORT_FINALISED, request=request, actor=actor, obj=report, detail=_detail(report)
    )
    return report


@transaction.atomic
def report_reopen(
    *, actor: Any, request: HttpRequest | None = None, report: MonthlyReport, reason: str
) -> MonthlyReport:
    """Unlock a verified or final report for a correction; the reason is kept and audited."""
    report = _lock(report)
    _require_verifier(actor, report)
    if report.status not in {ReportStatus.VERIFIED, ReportStatus.FINAL}:
        raise ConflictError(_("Only a verified or final report can be reopened."), code="invalid_state")
    if not reason.strip():
        raise DomainError(_("Give the reason for the correction."), code="required", field="comment")
    previous = report.status
    report.status = ReportStatus.RETURNED
    report.return_comment = reason.strip()
    report.corrections += 1
    report.save(update_fields=["status", "return_comment", "corrections", "updated_at"])
    _event(report, ReportAction.REOPEN, previous, actor, reason.strip())
    audit_record(
        action=Audit.REPORT_REOPENED,
        request=request,
        actor=actor,
        obj=report,
        detail=_detail(report, previous=previous, reason=reason.strip()),
    )
    return report


def report_transition(
    *, actor: Any, request: HttpRequest | None = None, report: MonthlyReport, action: str, comment: str = ""
) -> MonthlyReport:
    """One workflow step by name (pages and API)."""
    if action == "submit":
        return report_submit(actor=actor, request=request, report=report)
    if action == "return":
        return report_return(actor=actor, request=request, report=report, comment=comment)
    if action == "verify":
        return report_verify(actor=actor, request=request, report=report, comment=comment)
    if action == "finalise":
        return report_finalise(actor=actor, request=request, report=report)
    if action == "reopen":
        return report_reopen(actor=actor, request=request, report=report, reason=comment)
    if action == "compile":
        return report_compile(actor=actor, request=request, report=report)
    raise DomainError(_("Unknown action."), code="invalid", field="action")


def allowed_actions(user: Any, report: MonthlyReport) -> list[str]:
    """Steps the user may take on the report now (for buttons)."""
    out = []
    writer = user_can(user, ReportPerm.SUBMIT) and getattr(user, "unit_id", None) == report.unit_id
    verifier = user_can(user, ReportPerm.VERIFY) and unit_in_scope(user, report.unit)
    if writer and report.status in EDITABLE_STATUSES:
        out += ["edit", "compile", "submit"]
    if verifier and report.status == ReportStatus.SUBMITTED:
        out += ["verify", "return"]
    if verifier and report.status == ReportStatus.VERIFIED:
        out += ["finalise"]
    if verifier and report.status in {ReportStatus.VERIFIED, ReportStatus.FINAL}:
        out += ["reopen"]
    return out


# --- Exports ----------------------------------------------------------------------------------

_FORMATS: dict[str, set[str]] = {
    ExportKind.FACTS: {ExportFormat.CSV, ExportFormat.XLSX},
    ExportKind.DASHBOARD: {ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.PDF},
    ExportKind.REPORT: {ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.PDF},
    ExportKind.RECAP: {ExportFormat.CSV, ExportFormat.XLSX},
    ExportKind.REPORTS: {ExportFormat.CSV, ExportFormat.XLSX},
    ExportKind.LATE: {ExportFormat.CSV, ExportFormat.XLSX},
}


def _clean_params(actor: Any, kind: str, params: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Check the export's parameters against the requester's scope now; return them and a title."""
    from pulih.reports.areas import area_from_request
    from pulih.reports.selectors import default_period, report_get

    clean: dict[str, Any] = {}
    if kind in {ExportKind.FACTS, ExportKind.DASHBOARD}:
        area = area_from_request(actor, params)
        first, last = default_period()
        first = parse_month(params.get("from"), first) or first
        last = parse_month(params.get("to"), last) or last
        if first > last:
            first, last = last, first
        clean = {
            "level": area.level,
            "area": area.code,
            "from": first.isoformat()[:7],
            "to": last.isoformat()[:7],
        }
        if kind == ExportKind.FACTS:
            clean["by"] = "unit" if params.get("by") == "unit" else "area"
            keys = [k for k in (params.get("indicators") or []) if isinstance(k, str)]
            if keys:
                clean["indicators"] = keys
            title = _("Indicator values") + f" · {area.label} · {clean['from']}–{clean['to']}"
        else:
            clean["focus"] = str(params.get("focus") or "")
            title = _("Dashboard") + f" · {area.label} · {clean['from']}–{clean['to']}"
        return clean, title
    if kind == ExportKind.REPORT:
        report = report_get(user=actor, pk=params.get("report"))
        return {"report": str(report.pk)}, _(
            "Monthly report"
        ) + f" · {report.unit.name} · {report.month:%Y-%m}"
    if kind == ExportKind.RECAP:
        require(actor, ReportPerm.RECAP)
        unit_id = getattr(actor, "unit_id", None)
        if not unit_id:
            raise NotAllowed(_("The client recap is exported by the unit itself."), code="not_allowed")
        month = parse_month(params.get("month"), current_month()) or current_month()
        unit = Unit.objects.get(pk=unit_id)
        return {"unit": unit_id, "month": month.isoformat()[:7]}, _(
            "Client recap"
        ) + f" · {unit.name} · {month:%Y-%m}"
    if kind == ExportKind.REPORTS:
        require(actor, ReportPerm.VIEW)
        chosen = parse_month(params.get("month"))
        status = str(params.get("status") or "")
        if status not in ReportStatus.values:
            status = ""
        clean = {"month": chosen.isoformat()[:7] if chosen else "", "status": status}
        return clean, _("Monthly reports") + (f" · {chosen:%Y-%m}" if chosen else "")
    if kind == ExportKind.LATE:
        require(actor, ReportPerm.VIEW)
        if scope_for(actor).level == "unit":
            raise NotAllowed(_("The late list is for supervising offices."), code="not_allowed")
        default = add_months(current_month(), -1)
        month = parse_month(params.get("month"), default) or default
        office = str(params.get("office") or "")
        return {"month": month.isoformat()[:7], "office": office if office.isdigit() else ""}, _(
            "Late monthly reports"
        ) + f" · {month:%Y-%m}"
    raise DomainError(_("Choose what to export."), code="invalid", field="kind")


@transaction.atomic
def export_request(
    *,
    actor: Any,
    request: HttpRequest | None = None,
    kind: str,
    format: str,
    params: dict[str, Any] | None = None,
) -> ExportJob:
    """Queue an export; the file is written by a background job with its progress."""
    require(actor, ReportPerm.EXPORT)
    if kind not in _FORMATS:
        raise DomainError(_("Choose what to export."), code="invalid", field="kind")
    if format not in _FORMATS[kind]:
        raise DomainError(_("This export is not available in that format."), code="invalid", field="format")
    clean, title = _clean_params(actor, kind, dict(params or {}))
    job = ExportJob.objects.create(
        requested_by=actor, kind=kind, format=format, params=clean, title=title[:200]
    )
    audit_record(
        action=Audit.RECAP_EXPORTED if kind == ExportKind.RECAP else Audit.EXPORT_REQUESTED,
        request=request,
        actor=actor,
        obj=job,
        detail={"kind": kind, "format": format, **clean},
    )
    from pulih.reports.tasks import export_task

    job_id = str(job.pk)
    transaction.on_commit(lambda: export_task(job_id))
    return job


def export_downloaded(*, actor: Any, request: HttpRequest | None = None, job: ExportJob) -> None:
    audit_record(
        action=Audit.EXPORT_DOWNLOADED, request=request, actor=actor, obj=job, detail={"kind": job.kind}
    )


def rollup_refresh_request(
    *, actor: Any, request: HttpRequest | None = None, unit_id: int | None = None
) -> None:
    """On-demand refresh: the user's own unit, or everything for office and national staff."""
    require(actor, ReportPerm.REFRESH)
    from pulih.reports.tasks import refresh_rollups_task

    units: list[int] | None
    if getattr(actor, "unit_id", None):
        units = [int(actor.unit_id)]
    elif unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None or not unit_in_scope(actor, unit):
            raise DomainError(_("Unit not found."), code="not_found", status=404)
        units = [unit_id]
    else:
        units = None
    audit_record(action=Audit.ROLLUP_REFRESH_REQUESTED, request=request, actor=actor, detail={"units": units})
    transaction.on_commit(lambda: refresh_rollups_task(units, None))
