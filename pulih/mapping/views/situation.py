"""Situation mapping pages: list, create/edit, detail with its parts, compare."""

from __future__ import annotations

from dataclasses import fields as dc_fields
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pulih.accounts.scoping import require, unit_in_scope, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.mapping.access import MappingPerm
from pulih.mapping.forms import EstimateForm, HotspotForm, ResourceForm, SituationForm, StakeholderForm
from pulih.mapping.indicators import RISK_FACTORS
from pulih.mapping.selectors import (
    editable_units,
    hotspot_get,
    hotspot_list,
    situation_get,
    situation_list,
    situation_summary,
)
from pulih.mapping.services.situation import (
    SituationData,
    estimate_set,
    hotspot_create,
    hotspot_delete,
    hotspot_update,
    resource_add,
    situation_create,
    situation_update,
    stakeholder_add,
)


def _situation_data(cleaned: dict[str, object]) -> SituationData:
    return SituationData(**{f.name: cleaned[f.name] for f in dc_fields(SituationData)})  # type: ignore[arg-type]


def _can_edit(request: HttpRequest, unit: object) -> bool:
    return user_can(request.user, MappingPerm.EDIT) and unit_in_scope(request.user, unit)


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.VIEW)
    return render(
        request,
        "mapping/index.html",
        {
            "can_situation": user_can(request.user, MappingPerm.SITUATION_VIEW),
            "can_manage_ikrn": user_can(request.user, MappingPerm.IKRN_MANAGE),
        },
    )


@login_required
def situation_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.SITUATION_VIEW)
    qs = situation_list(user=request.user)
    return render(
        request,
        "mapping/situation_list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "can_create": editable_units(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def situation_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.EDIT)
    unit = editable_units(user=request.user).first()
    if unit is None:
        raise PermissionDenied
    form = SituationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = situation_create(
                actor=request.user, request=request, unit=unit, data=_situation_data(form.cleaned_data)
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Mapping saved."))
            return redirect("mapping:situation_detail", pk=mapping.pk)
    return render(request, "mapping/situation_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def situation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MappingPerm.EDIT)
    mapping = situation_get(user=request.user, pk=pk)
    if not _can_edit(request, mapping.unit):
        raise PermissionDenied
    initial = {f.name: getattr(mapping, f.name) for f in dc_fields(SituationData)}
    form = SituationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            situation_update(
                actor=request.user, request=request, mapping=mapping, data=_situation_data(form.cleaned_data)
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("mapping:situation_detail", pk=mapping.pk)
    return render(
        request, "mapping/situation_form.html", {"form": form, "unit": mapping.unit, "mapping": mapping}
    )


@login_required
def situation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = situation_get(user=request.user, pk=pk)
    can_edit = _can_edit(request, mapping.unit)
    can_hotspots = user_can(request.user, MappingPerm.HOTSPOTS_VIEW)
    others = situation_list(user=request.user, unit_id=mapping.unit_id).exclude(pk=mapping.pk)
    return render(
        request,
        "mapping/situation_detail.html",
        {
            "mapping": mapping,
            "summary": situation_summary(user=request.user, mapping=mapping),
            "estimates": mapping.estimates.all(),
            "hotspots": hotspot_list(user=request.user, mapping=mapping) if can_hotspots else None,
            "resources": mapping.resources.all(),
            "stakeholders": mapping.stakeholders.all(),
            "risks": [(label, getattr(mapping, name)) for name, label in RISK_FACTORS],
            "can_edit": can_edit,
            "others": others,
            "estimate_form": EstimateForm() if can_edit else None,
            "resource_form": ResourceForm(prefix="res") if can_edit else None,
            "stakeholder_form": StakeholderForm(prefix="sh") if can_edit else None,
        },
    )


def _editable_mapping(request: HttpRequest, pk: int) -> object:
    require(request.user, MappingPerm.EDIT)
    mapping = situation_get(user=request.user, pk=pk)
    if not _can_edit(request, mapping.unit):
        raise PermissionDenied
    return mapping


@login_required
@require_POST
def estimate_set_view(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = _editable_mapping(request, pk)
    form = EstimateForm(request.POST)
    if form.is_valid():
        try:
            estimate_set(actor=request.user, request=request, mapping=mapping, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Estimate saved."))
    else:
        messages.error(request, _("Check the estimate: every field is required."))
    return redirect("mapping:situation_detail", pk=pk)


@login_required
@require_POST
def resource_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = _editable_mapping(request, pk)
    form = ResourceForm(request.POST, prefix="res")
    if form.is_valid():
        try:
            resource_add(actor=request.user, request=request, mapping=mapping, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Resource added."))
    else:
        messages.error(request, _("Check the resource: type and name are required."))
    return redirect("mapping:situation_detail", pk=pk)


@login_required
@require_POST
def stakeholder_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = _editable_mapping(request, pk)
    form = StakeholderForm(request.POST, prefix="sh")
    if form.is_valid():
        try:
            stakeholder_add(actor=request.user, request=request, mapping=mapping, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Stakeholder added."))
    else:
        messages.error(request, _("Check the stakeholder: type and role are required."))
    return redirect("mapping:situation_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def hotspot_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MappingPerm.HOTSPOTS_VIEW)
    mapping = _editable_mapping(request, pk)
    form = HotspotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hotspot_create(actor=request.user, request=request, mapping=mapping, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Hotspot saved."))
            return redirect("mapping:situation_detail", pk=pk)
    return render(request, "mapping/hotspot_form.html", {"form": form, "mapping": mapping})


@login_required
@require_http_methods(["GET", "POST"])
def hotspot_edit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, MappingPerm.EDIT)
    hotspot = hotspot_get(user=request.user, pk=pk)
    if not _can_edit(request, hotspot.mapping.unit):
        raise PermissionDenied
    initial = {k: getattr(hotspot, k) for k in ("label", "kind", "rw", "latitude", "longitude", "notes")}
    form = HotspotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hotspot_update(actor=request.user, request=request, hotspot=hotspot, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("mapping:situation_detail", pk=hotspot.mapping_id)
    return render(
        request, "mapping/hotspot_form.html", {"form": form, "mapping": hotspot.mapping, "hotspot": hotspot}
    )


@login_required
@require_POST
def hotspot_delete_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, MappingPerm.EDIT)
    hotspot = hotspot_get(user=request.user, pk=pk)
    if not _can_edit(request, hotspot.mapping.unit):
        raise PermissionDenied
    mapping_id = hotspot.mapping_id
    hotspot_delete(actor=request.user, request=request, hotspot=hotspot)
    messages.success(request, _("Hotspot deleted."))
    return redirect("mapping:situation_detail", pk=mapping_id)


@login_required
def situation_compare_view(request: HttpRequest) -> HttpResponse:
    """Two periods of the same unit side by side (``?a=<id>&b=<id>``)."""
    require(request.user, MappingPerm.SITUATION_VIEW)
    try:
        a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError as exc:
        raise Http404 from exc
    a = situation_get(user=request.user, pk=a_id)
    b = situation_get(user=request.user, pk=b_id)
    if a.unit_id != b.unit_id:
        raise DomainError(_("Compare two periods of the same unit."), code="different_units")
    if a.period_start > b.period_start:
        a, b = b, a
    sa, sb = situation_summary(user=request.user, mapping=a), situation_summary(user=request.user, mapping=b)

    def rows(left: dict[str, int] | None, right: dict[str, int] | None) -> list[tuple[str, int, int]]:
        left, right = left or {}, right or {}
        return [(k, left.get(k, 0), right.get(k, 0)) for k in sorted(set(left) | set(right))]

    risks = [(label, getattr(a, name), getattr(b, name)) for name, label in RISK_FACTORS]
    return render(
        request,
        "mapping/situation_compare.html",
        {
            "a": a,
            "b": b,
            "sa": sa,
            "sb": sb,
            "substance_rows": rows(sa.by_substance, sb.by_substance),
            "sex_rows": rows(sa.by_sex, sb.by_sex),
            "age_rows": rows(sa.by_age, sb.by_age),
            "hotspot_rows": rows(sa.hotspots_by_kind, sb.hotspots_by_kind)
            if sa.hotspot_total is not None
            else None,
            "resource_rows": rows(sa.resources_by_kind, sb.resources_by_kind),
            "risks": risks,
        },
    )
