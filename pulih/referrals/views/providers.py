"""The provider directory: everyone who refers may search it, administrators edit it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.scoping import require, user_can
from pulih.core.errors import DomainError, add_to_form
from pulih.core.pagination import paginate, querystring_without_page
from pulih.referrals.access import ReferralPerm
from pulih.referrals.forms import ProviderForm
from pulih.referrals.models import ProviderType
from pulih.referrals.selectors import provider_get, provider_list
from pulih.referrals.services.providers import provider_create, provider_update
from pulih.regions.forms import RegionPickerWidget

IPWL_FILTER = {"1": True, "0": False}


@login_required
def provider_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReferralPerm.PROVIDERS_VIEW)
    q = request.GET.get("q", "").strip()
    type_ = request.GET.get("type", "")
    regency_code = request.GET.get("regency", "").strip()
    ipwl = request.GET.get("ipwl", "")
    qs = provider_list(
        user=request.user, search=q, type=type_, regency=regency_code, ipwl=IPWL_FILTER.get(ipwl)
    )
    return render(
        request,
        "referrals/provider_list.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "type": type_,
            "types": ProviderType.choices,
            "ipwl": ipwl,
            "regency_picker": RegionPickerWidget("regency").render(
                "regency", regency_code or None, attrs={"id": "f-regency"}
            ),
            "can_manage": user_can(request.user, ReferralPerm.PROVIDERS_MANAGE),
            "qs": querystring_without_page(request),
        },
    )


@login_required
def provider_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, ReferralPerm.PROVIDERS_VIEW)
    provider = provider_get(user=request.user, pk=pk)
    return render(
        request,
        "referrals/provider_detail.html",
        {"provider": provider, "can_manage": user_can(request.user, ReferralPerm.PROVIDERS_MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, ReferralPerm.PROVIDERS_MANAGE)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = provider_create(actor=request.user, request=request, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Provider %(name)s added.") % {"name": provider.name})
            return redirect("referrals:provider_detail", pk=provider.pk)
    return render(request, "referrals/provider_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, ReferralPerm.PROVIDERS_MANAGE)
    provider = provider_get(user=request.user, pk=pk)
    initial = {
        "name": provider.name,
        "type": provider.type,
        "is_ipwl": provider.is_ipwl,
        "regency": provider.regency_id,
        "address": provider.address,
        "phone": provider.phone,
        "email": provider.email,
        "contact_person": provider.contact_person,
        "services": provider.services,
        "is_active": provider.is_active,
    }
    form = ProviderForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            provider_update(actor=request.user, request=request, provider=provider, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("referrals:provider_detail", pk=provider.pk)
    return render(request, "referrals/provider_form.html", {"form": form, "provider": provider})
