"""Pages for training events, supervision visits, evaluations and the work plan."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pulih.core.errors import DomainError, add_to_form
from pulih.organisations.models import Office, Unit
from pulih.units import selectors as sel
from pulih.units.access import can_edit_roster, can_manage
from pulih.units.checklist import CHECKLIST
from pulih.units.forms import (
    EvaluationForm,
    EventForm,
    FollowUpCompleteForm,
    FollowUpForm,
    ParticipantsForm,
    VisitForm,
    WorkPlanForm,
)
from pulih.units.models import TrainingEvent, WorkPlan
from pulih.units.services import (
    evaluation_save,
    event_create,
    event_record_attendance,
    event_set_participants,
    event_update,
    followup_add,
    followup_complete,
    visit_create,
    workplan_save,
)
from pulih.units.services.supervision import FIRST_YEAR


def _manage(request: HttpRequest, unit: Unit) -> None:
    if not can_manage(request.user, unit):
        raise PermissionDenied


def _event_offices(request: HttpRequest, unit: Unit) -> object:
    return (sel.office_choices(user=request.user) | Office.objects.filter(pk=unit.office_id)).distinct()


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = sel.unit_get(user=request.user, pk=pk)
    _manage(request, unit)
    form = EventForm(request.POST or None, offices=_event_offices(request, unit),  # type: ignore[arg-type]
                     initial={"office": unit.office_id, "kind": "bimtek",
                              "topics": ["planning", "implementation", "management", "monitoring"]})
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(actor=request.user, request=request, unit=unit, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Event recorded. Now choose the participants."))
            return redirect("units:event_participants", pk=event.pk)
    return render(request, "units/form.html", {"form": form, "unit": unit,
                                               "title": _("New capacity-building event")})


@login_required
def event_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = sel.event_get(user=request.user, pk=pk)
    return render(request, "units/event_detail.html", {
        "event": event, "unit": event.unit, "days": event.days,
        "participants": sel.event_participants(event=event),
        "can_manage": can_manage(request.user, event.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = sel.event_get(user=request.user, pk=pk)
    _manage(request, event.unit)
    initial = {f: getattr(event, f) for f in ("kind", "title", "starts_on", "ends_on", "venue", "topics",
                                               "notes")}
    initial["office"] = event.office_id
    form = EventForm(request.POST or None, offices=_event_offices(request, event.unit),  # type: ignore[arg-type]
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event_update(actor=request.user, request=request, event=event, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:event_detail", pk=event.pk)
    return render(request, "units/form.html", {"form": form, "unit": event.unit, "title": event.title})


@login_required
@require_http_methods(["GET", "POST"])
def event_participants_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = sel.event_get(user=request.user, pk=pk)
    _manage(request, event.unit)
    current = list(event.participants.all())
    form = ParticipantsForm(
        request.POST or None,
        agents=sel.agent_list(user=request.user, unit=event.unit),
        staff=sel.event_staff_candidates(event=event),
        initial={"agents": [p.agent_id for p in current if p.agent_id],
                 "staff": [p.staff_id for p in current if p.staff_id]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event_set_participants(actor=request.user, request=request, event=event,
                                   agents=form.cleaned_data["agents"], staff=form.cleaned_data["staff"])
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Participants saved. Now record who attended each day."))
            return redirect("units:event_attendance", pk=event.pk)
    return render(request, "units/form.html", {"form": form, "unit": event.unit,
                                               "title": _("Participants: %(t)s") % {"t": event.title}})


def _parse_attendance(request: HttpRequest, event: TrainingEvent) -> dict[int, list[dt.date]]:
    marks: dict[int, list[dt.date]] = {}
    for participant in event.participants.all():
        days = []
        for raw in request.POST.getlist(f"p{participant.pk}"):
            try:
                days.append(dt.date.fromisoformat(raw))
            except ValueError as exc:
                raise DomainError(_("Not a date: %(v)s") % {"v": raw}, field="attendance") from exc
        marks[participant.pk] = days
    return marks


@login_required
@require_http_methods(["GET", "POST"])
def event_attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = sel.event_get(user=request.user, pk=pk)
    _manage(request, event.unit)
    error = ""
    if request.method == "POST":
        try:
            event_record_attendance(actor=request.user, request=request, event=event,
                                    attendance=_parse_attendance(request, event))
        except DomainError as err:
            error = err.message
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("units:event_detail", pk=event.pk)
    return render(request, "units/event_attendance.html", {
        "event": event, "unit": event.unit, "days": event.days, "error": error,
        "participants": sel.event_participants(event=event),
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = sel.unit_get(user=request.user, pk=pk)
    _manage(request, unit)
    form = VisitForm(request.POST or None, initial={"visited_on": sel.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = visit_create(actor=request.user, request=request, unit=unit, visited_on=d["visited_on"],
                                 findings=d["findings"], checklist=form.checklist(),
                                 follow_ups=form.follow_ups(), flag_needs_support=d["flag_needs_support"])
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("units:visit_detail", pk=visit.pk)
    return render(request, "units/form.html", {"form": form, "unit": unit,
                                               "title": _("New supervision visit")})


@login_required
def visit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = sel.visit_get(user=request.user, pk=pk)
    labels = dict(CHECKLIST)
    return render(request, "units/visit_detail.html", {
        "visit": visit, "unit": visit.unit,
        "checklist": [(labels.get(k, k), v) for k, v in visit.checklist.items()],
        "follow_ups": visit.follow_ups.select_related("completed_by"),
        "today": sel.today(),
        "can_manage": can_manage(request.user, visit.unit),
        "can_roster": can_edit_roster(request.user, visit.unit),
        "followup_form": FollowUpForm(),
        "complete_form": FollowUpCompleteForm(initial={"completed_on": sel.today()}),
    })


@login_required
@require_POST
def followup_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = sel.visit_get(user=request.user, pk=pk)
    _manage(request, visit.unit)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            followup_add(actor=request.user, request=request, visit=visit, **form.cleaned_data)
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Follow-up action added."))
    else:
        messages.error(request, _("Give the action and its due date."))
    return redirect("units:visit_detail", pk=visit.pk)


@login_required
@require_POST
def followup_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = sel.followup_get(user=request.user, pk=pk)
    if not can_edit_roster(request.user, follow_up.visit.unit):
        raise PermissionDenied
    form = FollowUpCompleteForm(request.POST)
    if form.is_valid():
        try:
            followup_complete(actor=request.user, request=request, follow_up=follow_up,
                              completed_on=form.cleaned_data["completed_on"], note=form.cleaned_data["note"])
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Follow-up marked as completed."))
    else:
        messages.error(request, _("Give the completion date."))
    return redirect("units:visit_detail", pk=follow_up.visit_id)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = sel.unit_get(user=request.user, pk=pk)
    _manage(request, unit)
    form = EvaluationForm(request.POST or None,
                          initial={"year": sel.today().year, "evaluated_on": sel.today()})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_save(actor=request.user, request=request, unit=unit, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": unit, "title": _("Yearly evaluation"),
        "intro": _("One evaluation per year: saving a year again corrects it."),
    })


@login_required
@require_http_methods(["GET", "POST"])
def workplan_edit_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = sel.unit_get(user=request.user, pk=pk)
    if not can_edit_roster(request.user, unit):
        raise PermissionDenied
    if not FIRST_YEAR <= year <= sel.today().year + 1:
        raise Http404
    plan = sel.workplan_get(user=request.user, unit=unit, year=year)
    initial = {f: getattr(plan, f) if plan else 0 for f in WorkPlan.TARGET_FIELDS}
    initial["notes"] = plan.notes if plan else ""
    form = WorkPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workplan_save(actor=request.user, request=request, unit=unit, year=year,
                          targets=form.targets(), notes=form.cleaned_data["notes"])
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Work plan saved."))
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {
        "form": form, "unit": unit, "title": _("Work plan %(year)d") % {"year": year},
        "intro": _("Yearly targets that the monthly reports are compared against."),
    })
