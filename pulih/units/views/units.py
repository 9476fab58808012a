"""Pages of the unit directory, the unit profile and the unit's own particulars."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.organisations.models import Office, UnitStatus
from pulih.regions.forms import AreaFilterForm
from pulih.units import selectors as sel
from pulih.units.access import can_edit_roster, can_manage, can_see_sensitive
from pulih.units.forms import StatusForm, UnitForm
from pulih.units.services import allowed_transitions, unit_change_status, unit_create, unit_update


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def unit_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.UNITS_VIEW)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "office", "status")}
    area = AreaFilterForm.from_query(request.GET)
    qs = area.narrow(sel.unit_list(user=request.user, search=f["q"], area=area.code(),
                                   office=_int(f["office"]), status=f["status"]))
    visible = sel.unit_list(user=request.user)
    return render(request, "units/unit_list.html", {
        "page": paginate(request, qs), "f": f, "qs": querystring_without_page(request),
        "statuses": UnitStatus.choices, "area_form": area,
        "offices": Office.objects.filter(pk__in=visible.values("office_id")).order_by("kind", "name"),
        "summary": sel.agent_background_summary(units=qs),
        "can_create": request.user.can(Perm.UNITS_MANAGE),  # type: ignore[union-attr]
    })


@login_required
def unit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = sel.unit_get(user=request.user, pk=pk)
    year = sel.today().year
    sensitive = can_see_sensitive(request.user, unit)
    agents = list(sel.agent_list(user=request.user, unit=unit))
    return render(request, "units/unit_detail.html", {
        "unit": unit,
        "history": sel.unit_status_history(user=request.user, unit=unit),
        "active_agents": [a for a in agents if a.open_memberships],  # type: ignore[attr-defined]
        "former_agents": [a for a in agents if not a.open_memberships],  # type: ignore[attr-defined]
        "trained_ids": {a.pk for a in sel.unit_trained_agents(unit=unit)},
        "trained_min": sel.trained_min_agents(),
        "summary": sel.agent_background_summary(units=sel.unit_list(user=request.user).filter(pk=unit.pk)),
        "stakeholders": sel.stakeholder_list(user=request.user, unit=unit),
        "events": sel.event_list(user=request.user, unit=unit),
        "visits": sel.visit_list(user=request.user, unit=unit)[:10],
        "evaluations": sel.evaluation_list(user=request.user, unit=unit),
        "plan": sel.workplan_get(user=request.user, unit=unit, year=year),
        "plans": sel.workplan_list(user=request.user, unit=unit),
        "year": year,
        "sensitive": sensitive,
        "can_manage": can_manage(request.user, unit),
        "can_roster": can_edit_roster(request.user, unit),
        "transitions": allowed_transitions(unit),
    })


def _unit_kwargs(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "village", "office", "decree_number", "decree_date", "decree_signer",
            "inaugurated_on", "funding_source", "notes")
    return {k: d[k] for k in keys}


@login_required
@require_http_methods(["GET", "POST"])
def unit_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.UNITS_MANAGE)
    offices = sel.office_choices(user=request.user)
    initial = {"office": request.user.office_id} if request.user.office_id else {}  # type: ignore[union-attr]
    form = UnitForm(request.POST or None, offices=offices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_create(actor=request.user, request=request, **_unit_kwargs(form.cleaned_data))
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Unit %(name)s recorded as proposed.") % {"name": unit.name})
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "title": _("New IBM unit"),
                                               "cancel": "units:unit_list"})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.UNITS_MANAGE)
    unit = sel.unit_get(user=request.user, pk=pk)
    initial = {"name": unit.name, "village": unit.village_id, "office": unit.office_id,
               "decree_number": unit.decree_number, "decree_date": unit.decree_date,
               "decree_signer": unit.decree_signer, "inaugurated_on": unit.inaugurated_on,
               "funding_source": unit.funding_source, "notes": unit.notes}
    offices = sel.office_choices(user=request.user) | Office.objects.filter(pk=unit.office_id)
    form = UnitForm(request.POST or None, offices=offices.distinct(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(actor=request.user, request=request, unit=unit, **_unit_kwargs(form.cleaned_data))
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "title": unit.name, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.UNITS_MANAGE)
    unit = sel.unit_get(user=request.user, pk=pk)
    form = StatusForm(request.POST or None, allowed=allowed_transitions(unit),
                      initial={"changed_on": sel.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            unit_change_status(actor=request.user, request=request, unit=unit, to_status=d["to_status"],
                               changed_on=d["changed_on"], reason=d["reason"])
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Status changed."))
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": unit, "title": _("Change the status of %(name)s") % {"name": unit.name},
        "intro": _("Current status: %(status)s.") % {"status": unit.get_status_display()},
    })
