"""Pages: dashboards, the indicator catalogue, monthly reports, late units, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pulih.accounts.scoping import require, scope_for, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.organisations.models import Office
from pulih.reports import charts, services
from pulih.reports.access import ReportPerm
from pulih.reports.areas import ancestors, area_from_request, children
from pulih.reports.catalogue import DIMENSIONS, GROUPS, INDICATORS, group_name
from pulih.reports.compute import unavailable_indicators
from pulih.reports.exports import CONTENT_TYPES, export_path, report_rows, report_suppressed
from pulih.reports.forms import ActionForm, ExportForm, NarrativeForm, OpenReportForm
from pulih.reports.models import ExportKind, ReportStatus
from pulih.reports.months import add_months, current_month, parse_month
from pulih.reports.selectors import (
    dashboard,
    default_period,
    export_get,
    export_list,
    late_units,
    report_events,
    report_get,
    report_list,
)

# --- Dashboards ------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[Any, Any]:
    first, last = default_period()
    first = parse_month(request.GET.get("from"), first) or first
    last = parse_month(request.GET.get("to"), last) or last
    if first > last:
        first, last = last, first
    if (last.year - first.year) * 12 + last.month - first.month > 59:  # at most five years on one page
        first = add_months(last, -59)
    return first, last


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReportPerm.DASHBOARD)
    area = area_from_request(request.user, request.GET)
    first, last = _period(request)
    board = dashboard(
        request.user, area, first, last, focus=request.GET.get("focus", ""), sort=request.GET.get("sort", "")
    )
    trend_charts = [
        (t, charts.column_chart([(f"{m:%m/%y}", s) for m, s in t.points], t.indicator.name))
        for t in board.trends
    ]
    breakdown_charts = [
        (b, charts.bar_chart(b.rows, f"{b.indicator.name}: {b.name}")) for b in board.breakdowns
    ]
    period_q = f"from={first:%Y-%m}&to={last:%Y-%m}"
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "area": area,
            "trend_charts": trend_charts,
            "breakdown_charts": breakdown_charts,
            "crumbs": ancestors(request.user, area),
            "kids": children(request.user, area),
            "period_q": period_q,
            "first": first,
            "last": last,
            "focus_choices": [i for i in INDICATORS if i.is_count and i.dimensions],
            "can_refresh": user_can(request.user, ReportPerm.REFRESH),
            "can_export": user_can(request.user, ReportPerm.EXPORT),
        },
    )


@login_required
@require_GET
def indicator_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReportPerm.DASHBOARD)
    missing = unavailable_indicators()
    groups = [
        (
            group_name(key),
            [
                (i, [DIMENSIONS[d].name for d in i.dimensions], missing.get(i.key))
                for i in INDICATORS
                if i.group == key
            ],
        )
        for key, _en, _id in GROUPS
    ]
    return render(request, "reports/indicators.html", {"groups": groups})


@login_required
@require_POST
def refresh_view(request: HttpRequest) -> HttpResponse:
    try:
        services.rollup_refresh_request(actor=request.user, request=request)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("The figures are being recalculated; reload the page in a minute."))
    return redirect(request.POST.get("next") or reverse("reports:dashboard"))


# --- Monthly reports ----------------------------------------------------------------------------


@login_required
@require_GET
def report_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReportPerm.VIEW)
    month = parse_month(request.GET.get("month"))
    status = request.GET.get("status", "")
    qs = report_list(user=request.user, month=month, status=status)
    is_writer = user_can(request.user, ReportPerm.SUBMIT) and bool(getattr(request.user, "unit_id", None))
    return render(
        request,
        "reports/report_list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "month": month,
            "status": status,
            "statuses": ReportStatus.choices,
            "open_form": OpenReportForm(initial={"month": add_months(current_month(), -1)})
            if is_writer
            else None,
            "can_verify": user_can(request.user, ReportPerm.VERIFY),
            "can_export": user_can(request.user, ReportPerm.EXPORT),
        },
    )


@login_required
@require_POST
def report_open_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReportPerm.SUBMIT)
    form = OpenReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_open(
                actor=request.user, request=request, month=form.cleaned_data["month"]
            )
        except DomainError as err:
            messages.error(request, err.message)
        else:
            return redirect("reports:report_detail", pk=report.pk)
    else:
        messages.error(request, _("Choose a month."))
    return redirect("reports:report_list")


ACTION_LABELS = {
    "compile": _("Recount the figures"),
    "submit": _("Submit to the supervising office"),
    "verify": _("Verify"),
    "return": _("Return with comments"),
    "finalise": _("Make final"),
    "reopen": _("Reopen for a correction"),
}


@login_required
@require_GET
def report_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    report = report_get(user=request.user, pk=pk)
    actions = services.allowed_actions(request.user, report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "rows": report_rows(report, hide=report_suppressed(request.user, report)),
            "events": report_events(report=report),
            "actions": actions,
            "action_buttons": [(a, ACTION_LABELS[a]) for a in actions if a != "edit"],
            "action_form": ActionForm(),
            "overdue": report.status in {ReportStatus.DRAFT, ReportStatus.RETURNED}
            and report.due_on < timezone.localdate(),
            "can_export": user_can(request.user, ReportPerm.EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    report = report_get(user=request.user, pk=pk)
    if "edit" not in services.allowed_actions(request.user, report):
        raise Http404
    form = NarrativeForm(
        request.POST or None,
        initial={
            "narrative": report.narrative,
            "challenges": report.challenges,
            "plans_next_month": report.plans_next_month,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_edit(actor=request.user, request=request, report=report, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("reports:report_detail", pk=report.pk)
    return render(request, "reports/report_edit.html", {"report": report, "form": form})


@login_required
@require_POST
def report_action_view(request: HttpRequest, pk: str) -> HttpResponse:
    report = report_get(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in services.allowed_actions(
        request.user, report
    ):
        raise Http404
    action = form.cleaned_data["action"]
    try:
        services.report_transition(
            actor=request.user,
            request=request,
            report=report,
            action=action,
            comment=form.cleaned_data["comment"],
        )
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, str(ACTION_LABELS[action]) + " ✓")
    return redirect("reports:report_detail", pk=report.pk)


@login_required
@require_GET
def late_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReportPerm.VIEW)
    scope = scope_for(request.user)
    if scope.level == "unit":
        raise Http404
    default = add_months(current_month(), -1)
    month = parse_month(request.GET.get("month"), default) or default
    offices = Office.objects.filter(units__isnull=False).distinct().order_by("name")
    if not scope.is_national:
        offices = offices.filter(units__village__regency_id__in=scope.regency_codes).distinct()
    office = None
    if request.GET.get("office", "").isdigit():
        office = offices.filter(pk=int(request.GET["office"])).first()
    rows = late_units(user=request.user, month=month, today=timezone.localdate(), office=office)
    return render(
        request,
        "reports/late.html",
        {
            "rows": rows,
            "month": month,
            "offices": offices,
            "office": office,
            "can_export": user_can(request.user, ReportPerm.EXPORT),
        },
    )


# --- Exports ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReportPerm.EXPORT)
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            try:
                services.export_request(
                    actor=request.user,
                    request=request,
                    kind=form.cleaned_data["kind"],
                    format=form.cleaned_data["format"],
                    params=form.params(),
                )
            except DomainError as err:
                messages.error(request, err.message)
            else:
                messages.success(request, _("The export is being prepared; it appears below when ready."))
        else:
            messages.error(request, _("Choose what to export and the format."))
        return redirect("reports:exports")
    scope = scope_for(request.user)
    return render(
        request,
        "reports/exports.html",
        {
            "page": paginate(request, export_list(user=request.user)),
            "qs": querystring_without_page(request),
            "can_recap": user_can(request.user, ReportPerm.RECAP) and scope.level == "unit",
            "recap_month": add_months(current_month(), -1),
            "kinds": ExportKind,
        },
    )


@login_required
@require_GET
def export_status_view(request: HttpRequest, pk: str) -> HttpResponse:
    job = export_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "id": str(job.pk),
            "status": job.status,
            "status_label": job.get_status_display(),
            "percent": job.percent,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "download": reverse("reports:export_download", kwargs={"pk": job.pk})
            if job.status == "done"
            else None,
        }
    )


@login_required
@require_GET
def export_download_view(request: HttpRequest, pk: str) -> HttpResponseBase:
    job = export_get(user=request.user, pk=pk)
    path = export_path(job)
    if path is None:
        raise Http404
    services.export_downloaded(actor=request.user, request=request, job=job)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in job.title)[:80].strip("-")
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=f"{safe or 'pulih'}.{job.format}",
        content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )
