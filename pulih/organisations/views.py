from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.roles import Perm
from pulih.accounts.scoping import require, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.organisations.forms import OfficeForm
from pulih.organisations.models import OfficeKind
from pulih.organisations.selectors import office_get, office_list
from pulih.organisations.services import office_create, office_update


@login_required
def office_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.OFFICES_VIEW)
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    qs = office_list(user=request.user, search=search, kind=kind)
    return render(
        request,
        "organisations/office_list.html",
        {
            "page": paginate(request, qs),
            "q": search,
            "kind": kind,
            "kinds": OfficeKind.choices,
            "can_manage": user_can(request.user, Perm.OFFICES_MANAGE),
            "qs": querystring_without_page(request),
        },
    )


@login_required
def office_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    office = office_get(user=request.user, pk=pk)
    return render(
        request,
        "organisations/office_detail.html",
        {
            "office": office,
            "work_area": office.work_area.select_related("province").order_by("code"),
            "children": office.children.order_by("name"),
            "can_manage": user_can(request.user, Perm.OFFICES_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.OFFICES_MANAGE)
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            office = office_create(
                actor=request.user,
                request=request,
                name=d["name"],
                kind=d["kind"],
                parent=d["parent"],
                province=d["province"],
                seat=d["seat"],
                work_area=d["work_area"],
                address=d["address"],
                phone=d["phone"],
                letterhead=d["letterhead"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Office %(name)s created.") % {"name": office.name})
            return redirect("organisations:office_detail", pk=office.pk)
    return render(request, "organisations/office_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def office_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.OFFICES_MANAGE)
    office = office_get(user=request.user, pk=pk)
    initial = {
        "name": office.name,
        "kind": office.kind,
        "parent": office.parent_id,
        "province": office.province_id,
        "seat": office.seat_id,
        "work_area": list(office.work_area.values_list("code", flat=True)),
        "address": office.address,
        "phone": office.phone,
        "letterhead": office.letterhead,
        "is_active": office.is_active,
    }
    form = OfficeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            office_update(
                actor=request.user,
                request=request,
                office=office,
                name=d["name"],
                parent=d["parent"],
                province=d["province"],
                seat=d["seat"],
                work_area=d["work_area"],
                address=d["address"],
                phone=d["phone"],
                letterhead=d["letterhead"],
                is_active=d["is_active"],
            )
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisations:office_detail", pk=office.pk)
    return render(request, "organisations/office_form.html", {"form": form, "office": office})
