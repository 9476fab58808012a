"""IKRN pages: the list, the import (upload, template, result), the rule, kawasan rawan."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.scoping import require, scope_for, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.mapping import ikrn_files
from pulih.mapping.access import MappingPerm
from pulih.mapping.classification import current_rule
from pulih.mapping.forms import IkrnImportForm, IkrnRuleForm
from pulih.mapping.models import IkrnCategory, IkrnImportStatus
from pulih.mapping.models.ikrn import CATEGORY_ORDER
from pulih.mapping.selectors import (
    ikrn_import_get,
    ikrn_import_list,
    ikrn_list,
    ikrn_years,
    prone_area_report,
    provinces_in_scope,
)
from pulih.mapping.services.ikrn import ThresholdInput, ikrn_import_request, ikrn_rule_update
from pulih.regions.forms import AreaFilterForm


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@login_required
def ikrn_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.VIEW)
    area = AreaFilterForm.from_query(request.GET)
    year = _int_or_none(request.GET.get("year", ""))
    category = request.GET.get("category", "")
    qs = area.narrow(ikrn_list(user=request.user, area=area.code(), year=year, category=category))
    return render(
        request,
        "mapping/ikrn_list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "area_form": area,
            "years": ikrn_years(user=request.user),
            "categories": IkrnCategory.choices,
            "year": year,
            "category": category,
            "can_manage": user_can(request.user, MappingPerm.IKRN_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ikrn_import_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.IKRN_MANAGE)
    form = IkrnImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = ikrn_import_request(
                actor=request.user, request=request, file_name=upload.name, content=upload.read()
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            return redirect("mapping:ikrn_import_detail", pk=job.pk)
    return render(
        request,
        "mapping/ikrn_import.html",
        {"form": form, "recent": ikrn_import_list(user=request.user), "columns": ikrn_files.COLUMNS},
    )


@login_required
def ikrn_import_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, MappingPerm.IKRN_MANAGE)
    job = ikrn_import_get(user=request.user, pk=pk)
    pending = job.status in (IkrnImportStatus.PENDING, IkrnImportStatus.RUNNING)
    return render(
        request,
        "mapping/ikrn_import_detail.html",
        {
            "job": job,
            "pending": pending,
            "errors": [{**e, "message": ikrn_files.error_message(e)} for e in job.errors],
        },
    )


@login_required
def ikrn_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, MappingPerm.IKRN_MANAGE)
    if fmt == "csv":
        response = HttpResponse(ikrn_files.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            ikrn_files.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="template-ikrn.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ikrn_rule_view(request: HttpRequest) -> HttpResponse:
    """The classification rule; national IKRN managers may change it."""
    require(request.user, MappingPerm.VIEW)
    rule = current_rule()
    can_edit = user_can(request.user, MappingPerm.IKRN_MANAGE) and scope_for(request.user).is_national
    initial: dict[str, object] = {}
    for t in rule:
        initial |= {
            f"{t.category}_min_main": t.min_main,
            f"{t.category}_min_supporting": t.min_supporting,
            f"{t.category}_prone": t.counts_as_prone,
            f"{t.category}_source": t.source,
        }
    form = IkrnRuleForm(request.POST or None, initial=initial) if can_edit else None
    if request.method == "POST":
        require(request.user, MappingPerm.IKRN_MANAGE)
        if form is None:
            raise DomainError(_("Only national staff can change the classification rule."), status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                changed = ikrn_rule_update(
                    actor=request.user,
                    request=request,
                    thresholds=[
                        ThresholdInput(
                            category=c,
                            min_main=d[f"{c}_min_main"],
                            min_supporting=d[f"{c}_min_supporting"],
                            counts_as_prone=d[f"{c}_prone"],
                            source=d[f"{c}_source"],
                        )
                        for c in CATEGORY_ORDER
                    ],
                )
            except DomainError as err:
                add_to_form(form, err)
            else:
                messages.success(request, _("Rule saved; %(n)s records were reclassified.") % {"n": changed})
                return redirect("mapping:ikrn_rule")
    return render(request, "mapping/ikrn_rule.html", {"rule": rule, "form": form})


@login_required
def prone_areas_view(request: HttpRequest) -> HttpResponse:
    """Kawasan rawan narkoba per province and year, the trend and IBM coverage."""
    require(request.user, MappingPerm.VIEW)
    provinces = list(provinces_in_scope(user=request.user))
    province = request.GET.get("area", "") or request.GET.get("province", "")  # the picker sends "area"
    if not province:  # by default a province of the user's area that has IKRN data, if any
        with_data = ikrn_list(user=request.user).values_list("village__province_id", flat=True).first()
        province = with_data or (provinces[0].code if provinces else "")
    if province and province not in {p.code for p in provinces}:
        raise Http404
    picker = AreaFilterForm({"area": province}, level="province", label=_("Province"))
    year = _int_or_none(request.GET.get("year", ""))
    report = prone_area_report(user=request.user, province=province, year=year) if province else None
    return render(
        request,
        "mapping/prone_areas.html",
        {
            "area_form": picker,
            "province_name": next((p.name for p in provinces if p.code == province), ""),
            "report": report,
            "years": [line.year for line in report["lines"]] if report else [],
        },
    )
