"""The installable field app: its shell page, service worker and manifest.

The shell holds no client data (everything comes from the sync API into the
encrypted store on the phone), so the service worker may keep it for offline
use. The worker is served from ``/app/`` so that its scope is the app.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

STATIC_DIR = Path(__file__).resolve().parent / "static" / "fieldapp"


@cache
def assets() -> tuple[list[str], str]:
    """Every file the app needs offline, and a version that changes when any of them does."""
    files = sorted(p for p in STATIC_DIR.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    urls = [static("fieldapp/" + str(p.relative_to(STATIC_DIR))) for p in files]
    return urls, digest.hexdigest()[:12]


@require_GET
@login_required
def shell(request: HttpRequest) -> HttpResponse:
    get_token(request)  # the app reads the CSRF cookie for its API calls
    return render(request, "fieldapp/shell.html", {"version": assets()[1]})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    urls, version = assets()
    body = render_to_string(
        "fieldapp/sw.js", {"assets": json.dumps([*urls, reverse("fieldapp:manifest")]), "version": version}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/app/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Pulih — field app"),
        "short_name": "Pulih",
        "description": _("Offline work of the recovery agent"),
        "lang": "id",
        "start_url": "/app/",
        "scope": "/app/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "icons": [
            {"src": static("fieldapp/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("fieldapp/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response
