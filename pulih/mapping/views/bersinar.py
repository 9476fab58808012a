"""Desa Bersinar pages: list, create/edit, detail with status and evaluations."""

from __future__ import annotations

from dataclasses import fields as dc_fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pulih.accounts.scoping import regency_in_scope, require, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.mapping.access import MappingPerm
from pulih.mapping.forms import BersinarEvaluationForm, BersinarForm
from pulih.mapping.models import BersinarStatus
from pulih.mapping.models.bersinar import COMPONENTS, FUNDING
from pulih.mapping.selectors import bersinar_get, bersinar_list
from pulih.mapping.services.bersinar import (
    NEXT_STATUS,
    BersinarData,
    bersinar_advance,
    bersinar_create,
    bersinar_evaluate,
    bersinar_update,
)
from pulih.regions.forms import AreaFilterForm


def _data(cleaned: dict[str, object]) -> BersinarData:
    return BersinarData(**{f.name: cleaned[f.name] for f in dc_fields(BersinarData)})  # type: ignore[arg-type]


@login_required
def bersinar_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.VIEW)
    status = request.GET.get("status", "")
    area = AreaFilterForm.from_query(request.GET)
    qs = area.narrow(bersinar_list(user=request.user, status=status, area=area.code()))
    return render(
        request,
        "mapping/bersinar_list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "statuses": BersinarStatus.choices,
            "status": status,
            "area_form": area,
            "can_manage": user_can(request.user, MappingPerm.BERSINAR_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bersinar_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.BERSINAR_MANAGE)
    form = BersinarForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            bersinar = bersinar_create(
                actor=request.user,
                request=request,
                village=form.cleaned_data["village"],
                data=_data(form.cleaned_data),
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Desa Bersinar saved."))
            return redirect("mapping:bersinar_detail", pk=bersinar.pk)
    return render(request, "mapping/bersinar_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def bersinar_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MappingPerm.BERSINAR_MANAGE)
    bersinar = bersinar_get(user=request.user, pk=pk)
    initial = {f.name: getattr(bersinar, f.name) for f in dc_fields(BersinarData)}
    form = BersinarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bersinar_update(
                actor=request.user, request=request, bersinar=bersinar, data=_data(form.cleaned_data)
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("mapping:bersinar_detail", pk=bersinar.pk)
    return render(request, "mapping/bersinar_form.html", {"form": form, "bersinar": bersinar})


@login_required
def bersinar_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    bersinar = bersinar_get(user=request.user, pk=pk)
    can_manage = user_can(request.user, MappingPerm.BERSINAR_MANAGE) and regency_in_scope(
        request.user, bersinar.village.regency_id
    )
    next_status = NEXT_STATUS.get(BersinarStatus(bersinar.status))
    return render(
        request,
        "mapping/bersinar_detail.html",
        {
            "b": bersinar,
            "funding": [label for name, label in FUNDING if getattr(bersinar, name)],
            "components": [(label, getattr(bersinar, name)) for name, label in COMPONENTS],
            "evaluations": bersinar.evaluations.all(),
            "can_manage": can_manage,
            "next_status": BersinarStatus(next_status).label if next_status else None,
            "can_evaluate": bersinar.status in (BersinarStatus.ACTIVE, BersinarStatus.EVALUATED),
            "evaluation_form": BersinarEvaluationForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def bersinar_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MappingPerm.BERSINAR_MANAGE)
    bersinar = bersinar_get(user=request.user, pk=pk)
    try:
        bersinar_advance(actor=request.user, request=request, bersinar=bersinar)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(
            request, _("Status changed to %(status)s.") % {"status": bersinar.get_status_display()}
        )
    return redirect("mapping:bersinar_detail", pk=pk)


@login_required
@require_POST
def bersinar_evaluate_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MappingPerm.BERSINAR_MANAGE)
    bersinar = bersinar_get(user=request.user, pk=pk)
    if not regency_in_scope(request.user, bersinar.village.regency_id):
        raise PermissionDenied
    form = BersinarEvaluationForm(request.POST)
    if form.is_valid():
        try:
            bersinar_evaluate(actor=request.user, request=request, bersinar=bersinar, **form.cleaned_data)
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Evaluation recorded."))
    else:
        messages.error(request, _("Check the evaluation: date, evaluator and findings are required."))
    return redirect("mapping:bersinar_detail", pk=pk)
