"""The map page, the Leaflet files it uses, and placing a village on the map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pulih.accounts.scoping import require
from pulih.core.errors import DomainError, add_to_form
from pulih.mapping.access import MappingPerm
from pulih.mapping.forms import VillagePointForm
from pulih.mapping.models import HotspotKind, IkrnCategory, VillagePoint
from pulih.mapping.selectors import filter_map_villages, map_data
from pulih.mapping.services.situation import can_set_village_point, village_point_set
from pulih.regions.models import Village

LAYERS = ("units", "bersinar", "ikrn", "hotspots")

@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    require(request.user, MappingPerm.VIEW)
    chosen = {layer for layer in request.GET.getlist("layer") if layer in LAYERS} or set(LAYERS)
    year_text = request.GET.get("year", "")
    data = map_data(user=request.user, year=int(year_text) if year_text.isdigit() else None)
    villages = filter_map_villages(data["villages"], chosen)
    return render(
        request,
        "mapping/map.html",
        {
            "data": data,
            "villages": villages,
            "without_point": [v for v in villages if v["lat"] is None],
            "hotspots": data["hotspots"] if "hotspots" in chosen else None,
            "chosen": chosen,
            "categories": [*IkrnCategory.choices, ("none", _("Unclassified"))],
            "hotspot_kinds": HotspotKind.choices,
            "api_query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def village_point_view(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, MappingPerm.VIEW)
    village = get_object_or_404(Village.objects.select_related("regency", "district", "province"), pk=code)
    if not can_set_village_point(request.user, village):
        raise PermissionDenied
    point = VillagePoint.objects.filter(village=village).first()
    initial = (
        {"latitude": point.latitude, "longitude": point.longitude, "source": point.source} if point else {}
    )
    form = VillagePointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            village_point_set(actor=request.user, request=request, village=village, **form.cleaned_data)
        except DomainError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("The village is now on the map."))
            return redirect("mapping:map")
    return render(request, "mapping/village_point.html", {"form": form, "village": village})
