from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.scoping import regency_in_scope, require, scope_for, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.prevention.access import PreventionPerm
from pulih.prevention.forms import ActivityForm, participant_field
from pulih.prevention.models import ActivityKind, Partner
from pulih.prevention.selectors import activity_get, activity_list, activity_summary
from pulih.prevention.services import ActivityData, activity_create, activity_update


def _data(form: ActivityForm, village: Any) -> ActivityData:
    d = form.cleaned_data
    return ActivityData(
        kind=d["kind"],
        held_on=d["held_on"],
        village=village,
        rw=d["rw"],
        place=d["place"],
        partners=list(d["partners"]),
        partners_other=d["partners_other"],
        newcomers_count=d["newcomers_count"],
        description=d["description"],
        participants=form.participants(),
    )


def _unit_village(request: HttpRequest) -> Any:
    """Unit users record activities of their own village; staff choose one."""
    if scope_for(request.user).level == "unit":
        return request.user.unit.village  # type: ignore[union-attr]
    return None


@login_required
def activity_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, PreventionPerm.VIEW)
    kind = request.GET.get("kind", "")
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else None
    qs = activity_list(user=request.user, kind=kind, year=year)
    return render(
        request,
        "prevention/activity_list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "kinds": ActivityKind.choices,
            "kind": kind,
            "year": year_text,
            "summary": activity_summary(user=request.user, year=year),
            "can_edit": user_can(request.user, PreventionPerm.EDIT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, PreventionPerm.EDIT)
    village = _unit_village(request)
    form = ActivityForm(request.POST or None, with_village=village is None)
    if request.method == "POST" and form.is_valid():
        try:
            activity, _created = activity_create(
                actor=request.user,
                request=request,
                data=_data(form, village or form.cleaned_data["village"]),
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("prevention:activity_detail", pk=activity.pk)
    return render(request, "prevention/activity_form.html", {"form": form, "village": village})


@login_required
def activity_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    activity = activity_get(user=request.user, pk=pk)
    partner_labels = dict(Partner.choices)
    can_edit = user_can(request.user, PreventionPerm.EDIT) and (
        (scope_for(request.user).level == "unit" and activity.unit_id == scope_for(request.user).unit_id)
        or (
            scope_for(request.user).level != "unit"
            and regency_in_scope(request.user, activity.village.regency_id)
        )
    )
    return render(
        request,
        "prevention/activity_detail.html",
        {
            "a": activity,
            "partners": [partner_labels.get(p, p) for p in activity.partners],
            "participants": activity.participants.all(),
            "can_edit": can_edit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    require(request.user, PreventionPerm.EDIT)
    activity = activity_get(user=request.user, pk=pk)
    village = _unit_village(request)
    if village is not None and activity.village_id != village.pk:
        raise PermissionDenied
    initial: dict[str, Any] = {
        "kind": activity.kind,
        "held_on": activity.held_on,
        "rw": activity.rw,
        "place": activity.place,
        "partners": activity.partners,
        "partners_other": activity.partners_other,
        "newcomers_count": activity.newcomers_count,
        "description": activity.description,
        "village": activity.village_id,
    }
    for p in activity.participants.all():
        initial[participant_field(p.sex, p.age_band)] = p.count
    form = ActivityForm(request.POST or None, initial=initial, with_village=village is None)
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(
                actor=request.user,
                request=request,
                activity=activity,
                data=_data(form, village or form.cleaned_data["village"]),
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("prevention:activity_detail", pk=activity.pk)
    return render(
        request, "prevention/activity_form.html", {"form": form, "village": village, "activity": activity}
    )
