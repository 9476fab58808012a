"""Pages for a unit's people: recovery agents and stakeholders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require
from pulih.core.errors import DomainError, add_to_form
from pulih.organisations.models import Unit
from pulih.units import selectors as sel
from pulih.units.access import can_edit_roster, can_manage, can_see_sensitive
from pulih.units.forms import (
    AgentForm,
    AgentLeaveForm,
    AgentLoginForm,
    AgentMoveForm,
    StakeholderForm,
)
from pulih.units.services import (
    agent_create,
    agent_grant_login,
    agent_leave,
    agent_move,
    agent_update,
    stakeholder_create,
    stakeholder_update,
)
from pulih.units.services.agents import open_membership


def _roster(request: HttpRequest, unit: Unit) -> None:
    if not can_edit_roster(request.user, unit):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def agent_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.UNITS_VIEW)
    unit = sel.unit_get(user=request.user, pk=pk)
    _roster(request, unit)
    sensitive = can_see_sensitive(request.user, unit)
    form = AgentForm(request.POST or None, sensitive=sensitive, initial={"active_from": sel.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agent = agent_create(
                actor=request.user, request=request, unit=unit, name=d["name"], sex=d["sex"],
                birth_year=d["birth_year"], phone=d["phone"], tags=d["tags"],
                former_user=bool(d.get("former_user")), role=d["role"], active_from=d["active_from"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Agent %(name)s added.") % {"name": agent.name})
            if "another" in request.POST:
                return redirect("units:agent_create", pk=unit.pk)
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": unit, "title": _("New recovery agent"), "another": True,
    })


@login_required
def agent_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    agent = sel.agent_get(user=request.user, pk=pk)
    return render(request, "units/agent_detail.html", {
        "agent": agent,
        "membership": open_membership(agent),
        "memberships": sel.agent_memberships(agent=agent),
        "training": sel.agent_training_history(agent=agent),
        "sensitive": can_see_sensitive(request.user, agent.unit),
        "can_roster": can_edit_roster(request.user, agent.unit),
        "can_manage": can_manage(request.user, agent.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def agent_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    agent = sel.agent_get(user=request.user, pk=pk)
    _roster(request, agent.unit)
    sensitive = can_see_sensitive(request.user, agent.unit)
    membership = open_membership(agent)
    initial = {"name": agent.name, "sex": agent.sex, "birth_year": agent.birth_year, "phone": agent.phone,
               "tags": agent.tags, "former_user": agent.former_user,
               "role": membership.role if membership else None}
    form = AgentForm(request.POST or None, sensitive=sensitive, editing=True, initial=initial)
    if membership is None:
        del form.fields["role"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agent_update(
                actor=request.user, request=request, agent=agent, name=d["name"], sex=d["sex"],
                birth_year=d["birth_year"], phone=d["phone"], tags=d["tags"],
                former_user=d["former_user"] if sensitive else None, role=d.get("role"),
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:agent_detail", pk=agent.pk)
    return render(request, "units/form.html", {"form": form, "unit": agent.unit, "title": agent.name})


@login_required
@require_http_methods(["GET", "POST"])
def agent_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    agent = sel.agent_get(user=request.user, pk=pk)
    _roster(request, agent.unit)
    units = sel.unit_list(user=request.user).exclude(status="inactive")
    form = AgentMoveForm(request.POST or None, units=units, initial={"moved_on": sel.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agent_move(actor=request.user, request=request, agent=agent, to_unit=d["to_unit"],
                       role=d["role"], moved_on=d["moved_on"])
        except DomainError as err:
            add_to_form(form, err)
        except PermissionDenied:
            form.add_error("to_unit", _("You may not add agents to that unit."))
        else:
            messages.success(request, _("%(name)s moved; the earlier membership stays in the history.")
                             % {"name": agent.name})
            return redirect("units:agent_detail", pk=agent.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": agent.unit, "title": _("Move %(name)s to another unit") % {"name": agent.name},
    })


@login_required
@require_http_methods(["GET", "POST"])
def agent_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    agent = sel.agent_get(user=request.user, pk=pk)
    _roster(request, agent.unit)
    form = AgentLeaveForm(request.POST or None, initial={"left_on": sel.today()})
    if request.method == "POST" and form.is_valid():
        try:
            agent_leave(actor=request.user, request=request, agent=agent,
                        left_on=form.cleaned_data["left_on"])
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("%(name)s is no longer an active agent.") % {"name": agent.name})
            return redirect("units:agent_detail", pk=agent.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": agent.unit, "title": _("%(name)s leaves the unit") % {"name": agent.name},
        "confirm": _("End this agent's membership? Any login of the agent is switched off."),
    })


@login_required
@require_http_methods(["GET", "POST"])
def agent_login_view(request: HttpRequest, pk: int) -> HttpResponse:
    agent = sel.agent_get(user=request.user, pk=pk)
    if not can_manage(request.user, agent.unit):
        raise PermissionDenied
    form = AgentLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = agent_grant_login(actor=request.user, request=request, agent=agent,
                                     username=form.cleaned_data["username"],
                                     password=form.cleaned_data["password"])
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Login %(username)s created for %(name)s.")
                             % {"username": user.username, "name": agent.name})
            return redirect("units:agent_detail", pk=agent.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": agent.unit, "title": _("Login for %(name)s") % {"name": agent.name},
        "intro": _("The login is bound to %(unit)s and follows the agent when they move.")
        % {"unit": agent.unit.name},
    })


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = sel.unit_get(user=request.user, pk=pk)
    _roster(request, unit)
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder_create(actor=request.user, request=request, unit=unit, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Stakeholder added."))
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("New stakeholder")})


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = sel.stakeholder_get(user=request.user, pk=pk)
    _roster(request, stakeholder.unit)
    initial = {f: getattr(stakeholder, f) for f in StakeholderForm.base_fields}
    form = StakeholderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder_update(actor=request.user, request=request, stakeholder=stakeholder,
                               **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:unit_detail", pk=stakeholder.unit_id)
    return render(request, "units/form.html", {"form": form, "unit": stakeholder.unit,
                                               "title": str(stakeholder)})
