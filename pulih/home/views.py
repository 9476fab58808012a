from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pulih.home.actions import actions_for


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what this person can do next."""
    return render(request, "home/index.html", {"actions": actions_for(request)})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
